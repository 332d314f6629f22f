"""Shifts: signing on opens one (or resumes this operator's open shift at this desk);
every record made later is stamped with it. Handover (DOMAIN §6, 003 §4.2.4)
is built on these rows (services/handover.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from deskconsole.clock import Clock
from deskconsole.models import Desk, Shift
from deskconsole.services import audit
from deskconsole.services.context import Actor
from deskconsole.services.operators import OperatorInfo


def desk_for(session: Session, name: str, now: datetime) -> Desk:
    desk = session.execute(select(Desk).where(Desk.name == name)).scalar_one_or_none()
    if desk is None:
        desk = Desk(name=name, created_at=now)
        session.add(desk)
        session.flush()
    return desk


def sign_on(session: Session, op: OperatorInfo, *, desk_name: str, clock: Clock) -> Actor:
    now = clock.now()
    desk = desk_for(session, desk_name, now)
    shift = session.execute(
        select(Shift).where(Shift.operator_id == op.id, Shift.desk_id == desk.id,
                            Shift.ended_at.is_(None)).order_by(Shift.started_at.desc()).limit(1)
    ).scalar_one_or_none()
    resumed = shift is not None
    if shift is None:
        prev = session.execute(
            select(Shift).where(Shift.desk_id == desk.id, Shift.ended_at.is_not(None))
            .order_by(Shift.ended_at.desc()).limit(1)
        ).scalar_one_or_none()
        if prev is not None and session.execute(
            select(Shift.id).where(Shift.prev_shift_id == prev.id).limit(1)
        ).first():
            prev = None  # that handover was already taken over by another shift at this desk
        shift = Shift(operator_id=op.id, desk_id=desk.id, started_at=now,
                      prev_shift_id=prev.id if prev else None)
        session.add(shift)
        session.flush()
    actor = Actor(operator_id=op.id, staff_no=op.staff_no, name=op.name, role=op.role,
                  shift_id=shift.id, desk_id=desk.id, desk_name=desk.name, clock=clock)
    audit.record_for(session, actor, "resume" if resumed else "sign_on", "shift", shift.id)
    return actor
