"""The live counters in the header. Each is one indexed query over open records (never a
COUNT over history): waiting and in-building visits by status, missed calls of the last
seven days not yet returned, open tickets of the operator, overdue open tickets, and keys out
past their due time (shown only when there are any: DOMAIN §3, the key register)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, or_, select
from sqlmodel import Session

from deskconsole.models import Call, Ticket, Visit
from deskconsole.services.context import Actor
from deskconsole.services.registers.keys import overdue_count

OPEN_TICKET = ("new", "assigned", "in_progress")
MISSED_WINDOW = timedelta(days=7)


def _count(session: Session, stmt) -> int:
    return session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()


def counters(session: Session, actor: Actor) -> dict[str, int]:
    now = actor.clock.now()
    values = {
        "waiting": _count(session, select(Visit.id).where(Visit.status == "waiting", Visit.voided_at.is_(None))),
        "in_building": _count(session, select(Visit.id).where(Visit.status == "in_building", Visit.voided_at.is_(None))),
        "missed": _count(session, select(Call.id).where(
            Call.status == "missed", Call.started_at >= now - MISSED_WINDOW,
            Call.returned_at.is_(None), Call.voided_at.is_(None))),
        "my_open": _count(session, select(Ticket.id).where(
            Ticket.status.in_(OPEN_TICKET),
            or_(Ticket.first_owner_id == actor.operator_id, Ticket.assignee_id == actor.operator_id))),
        "overdue": _count(session, select(Ticket.id).where(
            Ticket.status.in_(OPEN_TICKET), Ticket.due_at < now)),
    }
    keys_overdue = overdue_count(session, now)
    if keys_overdue:
        values["keys_overdue"] = keys_overdue
    return values
