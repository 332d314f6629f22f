"""A ticket's history, the base every ticket operation writes through (DOMAIN §3: every change
is kept, with who and when).

Load the ticket for a change (locked on PostgreSQL, so two desks acting on it take turns),
append history events, move its status through the state machine (workflow.py), and save it
with its audit record. The history rows are append-only (models/tickets.py).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from deskconsole.models import Ticket, TicketEvent
from deskconsole.services import audit
from deskconsole.services.context import Actor
from deskconsole.services.tickets.workflow import TicketError, target

# The fields whose before/after the audit trail records for a ticket.
AUDITED = ("status", "assignee_id", "assignee_text", "department", "priority", "due_at", "escalated_at")


def get(session: Session, ticket_id: int) -> Ticket:
    """The ticket, for reading; TicketError('tickets.error.not_found') when there is none."""
    return _load(select(Ticket).where(Ticket.id == ticket_id), session, ticket_id)


def get_for_update(session: Session, ticket_id: int) -> Ticket:
    """The ticket, row-locked until the transaction ends on PostgreSQL (SQLite writers are
    serialised by BEGIN IMMEDIATE already)."""
    stmt = select(Ticket).where(Ticket.id == ticket_id)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    return _load(stmt, session, ticket_id)


def _load(stmt, session: Session, ticket_id: int) -> Ticket:
    ticket = session.execute(stmt).scalar_one_or_none()
    if ticket is None:
        raise TicketError("tickets.error.not_found", id=ticket_id)
    return ticket


def append_event(session: Session, actor: Actor, ticket: Ticket, kind: str, *, field: str | None = None,
                 old=None, new=None, note: str | None = None) -> None:
    session.add(TicketEvent(ticket_id=ticket.id, at=actor.clock.now(), operator_id=actor.operator_id,
                            kind=kind, field_name=field,
                            old=None if old is None else str(old), new=None if new is None else str(new),
                            note=note))


def set_status(session: Session, actor: Actor, ticket: Ticket, action: str, note: str | None = None) -> str:
    """Apply `action` to the ticket's status (refused whole when illegal); returns the old status."""
    old = ticket.status
    new = target(action, old, has_assignee=bool(ticket.assignee_id or ticket.assignee_text))
    if new != old:
        ticket.status = new
        append_event(session, actor, ticket, "status", field="status", old=old, new=new, note=note)
    return old


def snapshot(ticket: Ticket) -> dict:
    """The audited fields as they are now: take one before a change, pass it to save_audited."""
    return {k: getattr(ticket, k) for k in AUDITED}


def save_audited(session: Session, actor: Actor, ticket: Ticket, action: str, before: dict) -> Ticket:
    """Stamp, flush and record the change in the audit trail (before: a snapshot)."""
    ticket.updated_at = actor.clock.now()
    session.add(ticket)
    session.flush()
    audit.record_for(session, actor, action, "ticket", ticket.id, before, snapshot(ticket))
    return ticket
