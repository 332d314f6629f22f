"""The actor a feed writes with: the receptionist signed on at the desk (the open shift),
else the desk's last shift, so a call that rings at an empty desk is still registered,
stamped with the shift that last worked there (DOMAIN §2: every call registered)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from deskconsole.clock import Clock
from deskconsole.models import Desk, Operator, Shift
from deskconsole.services.context import Actor
from deskconsole.services.errors import DeskError


def desk_actor(store, desk_name: str, clock: Clock) -> Actor:
    with store.read() as s:
        desk = s.execute(select(Desk).where(Desk.name == desk_name)).scalar_one_or_none()
        row = None if desk is None else s.execute(
            select(Shift, Operator).join(Operator, Operator.id == Shift.operator_id)
            .where(Shift.desk_id == desk.id)
            .order_by(Shift.ended_at.is_not(None), Shift.started_at.desc()).limit(1)).first()
        if row is None:
            raise DeskError("phone.feed.no_shift", desk=desk_name)
        shift, op = row
        return Actor(operator_id=op.id, staff_no=op.staff_no, name=op.name, role=op.role, shift_id=shift.id,
                     desk_id=desk.id, desk_name=desk.name, clock=clock)


def actor_source(store, desk_name: str, clock: Clock, signed_on: Callable[[], Actor | None] = lambda: None):
    """The actor of each event: the console's signed-on operator if any, else the desk's shift."""
    def actor() -> Actor:
        return signed_on() or desk_actor(store, desk_name, clock)

    return actor
