"""Progress calls (DOMAIN §3, 000 C: 及时跟踪和向客户反馈问题进展的程度,直到问题解决 - keep the
customer informed of the progress until the problem is solved).

A ticket of a kind that needs them (data/sla.toml `progress_call_kinds`, complaints by default)
gets a task when it is received: a progress call due `progress_call_hours` business hours
later (services/sla.py, the one business-day rule). The task waits in the follow-up worklist
(the 待回访 queue) from shortly before it is due. Doing it logs an outgoing call in the phone
register linked to the ticket (the task holds the call, the ticket's history a
"progress_call" event with the call's number, both audited), and the next call is due the
same business hours after it. When the ticket is resolved or cancelled the task stops; a
reopened ticket gets a new one.

A progress call may be made on any open ticket, due or not: it is logged all the same and,
for a ticket that needs them, the next one is due counting from it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from deskconsole.models import ProgressCall, Ticket
from deskconsole.services import audit
from deskconsole.services.calls import log_outgoing
from deskconsole.services.context import Actor
from deskconsole.services.sla import SLARules
from deskconsole.services.text import clean
from deskconsole.services.tickets.history import (
    append_event,
    get_for_update,
    save_audited,
    snapshot,
)
from deskconsole.services.tickets.placed_calls import placed_call
from deskconsole.services.tickets.workflow import OPEN, target


def pending_for(session: Session, ticket_id: int) -> ProgressCall | None:
    """The ticket's progress call still to make (one at a time), if any."""
    return session.execute(
        select(ProgressCall).where(ProgressCall.ticket_id == ticket_id, ProgressCall.done_at.is_(None),
                                   ProgressCall.stopped_at.is_(None))
        .order_by(ProgressCall.id.desc()).limit(1)).scalar_one_or_none()


def schedule(session: Session, actor: Actor, ticket: Ticket, rules: SLARules) -> ProgressCall | None:
    """The next progress call of an open ticket that needs them, due `progress_call_hours`
    business hours from now (the ticket received or reopened now, or a call just made). None
    when the ticket needs none or has one pending already."""
    if ticket.status not in OPEN or not rules.needs_progress_calls(ticket.kind):
        return None
    if pending_for(session, ticket.id) is not None:
        return None
    now = actor.clock.now()
    task = ProgressCall(ticket_id=ticket.id, created_at=now, due_at=rules.progress_call_due(now))
    session.add(task)
    session.flush()
    audit.record_for(session, actor, "create", "progress_call", task.id, None,
                     {"ticket_id": ticket.id, "due_at": task.due_at})
    return task


def stop_for(session: Session, actor: Actor, ticket: Ticket) -> None:
    """The ticket is solved (resolved) or cancelled: its pending progress call is not needed."""
    task = pending_for(session, ticket.id)
    if task is None:
        return
    task.stopped_at = actor.clock.now()
    session.add(task)
    session.flush()
    audit.record_for(session, actor, "stop", "progress_call", task.id, {"stopped_at": None},
                     {"stopped_at": task.stopped_at, "ticket_id": ticket.id})


def record(session: Session, actor: Actor, ticket_id: int, *, note: str, rules: SLARules,
           log_call: bool = True) -> ProgressCall:
    """Log the progress call made to the customer of an open ticket: what they were told
    (`note`, required), the outgoing call in the phone register, the event in the ticket's
    history; the due task is done and the next one is due."""
    ticket = get_for_update(session, ticket_id)
    target("progress_call", ticket.status)
    note = clean(note, field="ticket_note", limit=1000, required=True, multiline=True)
    before = snapshot(ticket)
    now = actor.clock.now()
    task = pending_for(session, ticket.id)
    # a call the phone system already logged to this customer (placed_calls) is this one
    call_id = placed_call(session, actor, task, ticket, note) if log_call else None
    if call_id is None and log_call and ticket.phone:  # DOMAIN §2: every call goes in the register
        call_id = log_outgoing(session, actor, phone=ticket.phone, caller_name=ticket.customer_name,
                               honorific=ticket.honorific, unit=ticket.unit,
                               summary=f"#{ticket.id} {note}"[:1000]).id
    if task is None:  # a call made with no task due (or on a ticket opened before they existed)
        task = ProgressCall(ticket_id=ticket.id, created_at=now)
    task.done_at, task.call_id, task.operator_id, task.shift_id = now, call_id, actor.operator_id, actor.shift_id
    session.add(task)
    session.flush()
    append_event(session, actor, ticket, "progress_call", new=None if call_id is None else str(call_id),
                 note=note)
    audit.record_for(session, actor, "done", "progress_call", task.id, None,
                     {"ticket_id": ticket.id, "call_id": call_id, "due_at": task.due_at})
    save_audited(session, actor, ticket, "progress_call", before)
    schedule(session, actor, ticket, rules)
    return task


__all__ = ["pending_for", "record", "schedule", "stop_for"]
