"""Outgoing calls the phone system saw (services/pbx_calls.py) that reach a customer whose
ticket waits for a call: the follow-up call (回访) of a resolved ticket, or the pending progress
call of an open one (DOMAIN §3). The call is linked to the task the same way the keys path
links it (the task's `call_id`, the call's summary "#<ticket>", its caller and unit from the
ticket), but the task is NOT done: the satisfaction (or what the customer was told) is still
asked and recorded by the receptionist. Recording it from the worklist then uses this call
instead of logging a second one (followups.record, progress_calls.record).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from deskconsole.models import Call, FollowUp, ProgressCall, Ticket
from deskconsole.services import audit
from deskconsole.services.context import Actor
from deskconsole.services.tickets.workflow import OPEN


def link_outgoing(session: Session, actor: Actor, call: Call) -> list[int]:
    """Link `call` (flushed, not yet audited: its create event seals what is set here) to the
    waiting follow-up / progress-call tasks of tickets with its number that have no call yet.
    Returns the linked tickets' ids (oldest task first)."""
    if not call.phone:
        return []
    follow = session.execute(
        select(FollowUp, Ticket).join(Ticket, Ticket.id == FollowUp.ticket_id)
        .where(Ticket.phone == call.phone, Ticket.status == "resolved", FollowUp.done_at.is_(None),
               FollowUp.call_id.is_(None)).order_by(FollowUp.due_at, FollowUp.id)).all()
    progress = session.execute(
        select(ProgressCall, Ticket).join(Ticket, Ticket.id == ProgressCall.ticket_id)
        .where(Ticket.phone == call.phone, Ticket.status.in_(OPEN), ProgressCall.done_at.is_(None),
               ProgressCall.stopped_at.is_(None), ProgressCall.call_id.is_(None))
        .order_by(ProgressCall.due_at, ProgressCall.id)).all()
    linked: list[int] = []
    for task, ticket in [*follow, *progress]:
        entity = "follow_up" if isinstance(task, FollowUp) else "progress_call"
        task.call_id = call.id
        session.add(task)
        session.flush()
        audit.record_for(session, actor, "call_placed", entity, task.id, {"call_id": None},
                         {"call_id": call.id, "ticket_id": ticket.id})
        linked.append(ticket.id)
    if linked:
        first = next(t for _task, t in [*follow, *progress] if t.id == linked[0])
        call.summary = (call.summary or " ".join(f"#{tid}" for tid in linked))[:1000]
        call.caller_name = call.caller_name or first.customer_name
        call.honorific = call.honorific or first.honorific
        call.unit = call.unit or first.unit
        session.add(call)
        session.flush()
    return linked


def placed_call(session: Session, actor: Actor, task: FollowUp | ProgressCall | None, ticket: Ticket,
                note: str) -> int | None:
    """The call the phone system already logged for this task (linked above), its summary
    completed with what the receptionist recorded; None when there is none."""
    if task is None or task.call_id is None:
        return None
    call = session.get(Call, task.call_id)
    if call is None or call.voided_at is not None:
        return None
    before = call.summary
    call.summary = f"#{ticket.id} {note}".strip()[:1000]
    session.add(call)
    session.flush()
    audit.record_for(session, actor, "update", "call", call.id, {"summary": before}, {"summary": call.summary})
    return call.id
