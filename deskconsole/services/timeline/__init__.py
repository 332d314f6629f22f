"""One timeline per unit and per caller: every visit, call, ticket, follow-up and watch-list
hit of a unit or a phone number, newest first, a page at a time — so whoever takes the third
call about one leak sees the first two and gives the same answer (DOMAIN §4 D: one consistent
answer across staff; DOMAIN §3: first-contact ownership, keep the customer informed).

The lines come from SOURCES (sources.py): one function per kind of record, each returning that
kind's entries for the target newest first, at most `limit`, past a cursor. A new register
(key lending, goods release) joins the timeline by adding one more function to the list.

Paging is keyset: the order is (at, source rank, id) descending over all sources, and the
cursor is the last line shown; each source turns it into a bound its (unit|phone, time, id)
index serves, so a page costs the same after years of history (DOCS: DEVELOPING "Services").
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func, select, tuple_
from sqlmodel import Session

from deskconsole.models import Ticket
from deskconsole.services.errors import DeskError

PAGE = 20
MAX_PAGE = 200
OPEN = ("new", "assigned", "in_progress")  # services/tickets/workflow.OPEN


@dataclass(frozen=True)
class Target:
    """A unit ('A-1201') or a normalised phone number."""

    unit: str | None = None
    phone: str | None = None

    @classmethod
    def of(cls, *, unit: str | None = None, phone: str | None = None) -> Target:
        from deskconsole.services.phone_numbers import normalise

        unit = (unit or "").strip() or None
        number = normalise(phone, field="phone") if (phone or "").strip() else None
        if (unit is None) == (number is None):
            raise DeskError("timeline.error.target", field="unit")
        return cls(unit=unit, phone=number)

    def column(self, model, unit_col: str = "unit", phone_col: str = "phone"):
        """`model.unit == U` or `model.phone == P`."""
        return getattr(model, unit_col) == self.unit if self.unit else getattr(model, phone_col) == self.phone


@dataclass(frozen=True)
class Cursor:
    at: datetime
    source: str
    id: int

    def text(self) -> str:
        return f"{self.at.isoformat()}|{self.source}|{self.id}"

    @classmethod
    def parse(cls, text: str) -> Cursor:
        try:
            at, source, rid = text.split("|")
            return cls(datetime.fromisoformat(at), source, int(rid))
        except ValueError:
            raise DeskError("timeline.error.cursor", field="after") from None


@dataclass(frozen=True)
class Entry:
    at: datetime
    source: str  # the source that made it: visit / call / ticket / follow_up / watch_hit ...
    id: int  # the record's id in its own table (what a line opens)
    kind: str  # a catalog suffix: timeline.kind.<kind> (call_in, call_missed, ticket, ...)
    name: str = ""
    phone: str | None = None  # stored number: mask it for the reader (phone_numbers.mask_for)
    unit: str = ""
    status: str = ""  # a catalog key or ""
    text: str = ""  # the record's own words (a call's summary, a ticket's description): data
    extra: dict = field(default_factory=dict)  # per source: owner, department, due_at, satisfaction...


@dataclass(frozen=True)
class Bound:
    """The cursor as each source applies it: rows strictly older in (at, rank, id)."""

    cursor: Cursor | None
    rank: int  # this source's rank
    cursor_rank: int

    def clause(self, time_col, id_col):
        if self.cursor is None:
            return None
        at, rid = self.cursor.at, self.cursor.id
        if self.rank < self.cursor_rank:
            return time_col <= at
        if self.rank == self.cursor_rank:
            return tuple_(time_col, id_col) < tuple_(at, rid)
        return time_col < at

    def apply(self, query, time_col, id_col):
        clause = self.clause(time_col, id_col)
        return query if clause is None else query.where(clause)


@dataclass(frozen=True)
class OpenTicket:
    id: int
    kind: str
    status: str
    due_at: datetime | None
    department: str | None
    owner: str  # first-contact owner (DOMAIN §3 首问负责)
    assignee: str
    created_at: datetime


@dataclass
class Page:
    target: Target
    entries: list[Entry]
    next_cursor: Cursor | None
    open_tickets: list[OpenTicket] = field(default_factory=list)  # first page only: open ones first
    open_count: int = 0


def page(session: Session, target: Target, *, limit: int = PAGE, after: Cursor | None = None) -> Page:
    """One page of the target's timeline, newest first; the open tickets (due soonest first)
    with the first page."""
    from deskconsole.services.timeline.sources import SOURCES

    limit = max(1, min(limit, MAX_PAGE))
    names = [name for name, _ in SOURCES]
    cursor_rank = names.index(after.source) if after is not None and after.source in names else -1
    if after is not None and cursor_rank < 0:
        raise DeskError("timeline.error.cursor", field="after")
    runs = []
    for rank, (_name, fetch) in enumerate(SOURCES):
        rows = fetch(session, target, Bound(after, rank, cursor_rank), limit + 1)
        runs.append([((e.at, rank, e.id), e) for e in rows])
    merged = heapq.merge(*runs, key=lambda pair: pair[0], reverse=True)
    taken = [entry for _, (_, entry) in zip(range(limit + 1), merged, strict=False)]
    more = len(taken) > limit
    entries = taken[:limit]
    nxt = Cursor(entries[-1].at, entries[-1].source, entries[-1].id) if more and entries else None
    result = Page(target, entries, nxt)
    if after is None:
        result.open_tickets, result.open_count = open_tickets(session, target)
    return result


def open_tickets(session: Session, target: Target, *, limit: int = 5) -> tuple[list[OpenTicket], int]:
    """The target's open tickets, due soonest first (no due date last), and how many there are.
    Read by the (unit|phone, created_at, id) index: a unit's tickets, not all tickets."""
    from deskconsole.services.tickets.queues import operator_names

    where = and_(target.column(Ticket), Ticket.status.in_(OPEN))
    count = session.execute(select(func.count()).select_from(Ticket).where(where)).scalar_one()
    if not count:
        return [], 0
    rows = session.execute(
        select(Ticket.id, Ticket.kind, Ticket.status, Ticket.due_at, Ticket.department, Ticket.first_owner_id,
               Ticket.assignee_id, Ticket.assignee_text, Ticket.created_at)
        .where(where).order_by(Ticket.due_at.is_(None), Ticket.due_at, Ticket.id).limit(limit)).all()
    names = operator_names(session, [r.first_owner_id for r in rows] + [r.assignee_id for r in rows])
    return [OpenTicket(r.id, r.kind, r.status, r.due_at, r.department,
                       names.get(r.first_owner_id, ("", ""))[1],
                       r.assignee_text or names.get(r.assignee_id, ("", ""))[1], r.created_at)
            for r in rows], count


__all__ = ["Bound", "Cursor", "Entry", "OpenTicket", "PAGE", "Page", "Target", "open_tickets", "page"]
