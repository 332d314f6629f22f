"""A ticket's history a page at a time (the ticket view shows the newest lines first and
older ones on request): keyset pages by event id, read by (ticket_id, id)."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from deskconsole.models import TicketEvent
from deskconsole.services.tickets.queues import operator_names


def history_page(session: Session, ticket_id: int, *, before: int | None = None, after: int | None = None,
                 limit: int) -> tuple[list[TicketEvent], dict[int, tuple[str, str]]]:
    """Up to `limit` events, oldest first: the newest ones, those just older than event id
    `before`, or those just newer than `after`; with the names of the operators they mention."""
    stmt = select(TicketEvent).where(TicketEvent.ticket_id == ticket_id)
    if after is not None:
        stmt = stmt.where(TicketEvent.id > after).order_by(TicketEvent.id.asc())
    else:
        if before is not None:
            stmt = stmt.where(TicketEvent.id < before)
        stmt = stmt.order_by(TicketEvent.id.desc())
    events = list(session.execute(stmt.limit(limit)).scalars())
    if after is None:
        events.reverse()
    ids = {e.operator_id for e in events}
    ids |= {int(v) for e in events if e.field_name == "assignee_id" for v in (e.old, e.new) if v}
    return events, operator_names(session, ids)


__all__ = ["history_page"]
