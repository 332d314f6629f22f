"""Ticket queues, search and the ticket detail. Read side only.

Queues page by keyset (`WHERE (due_at, id) > (:due, :id) ORDER BY due_at, id LIMIT n`) on
indexed columns: the screen only ever loads the rows it shows, so 100k open tickets cost
what one page costs. No COUNT over the table on a refresh.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, text, union_all
from sqlmodel import Session

from deskconsole.models import (
    Call,
    FollowUp,
    Operator,
    ProgressCall,
    RepairStep,
    Ticket,
    TicketEvent,
    Visit,
)
from deskconsole.models.tickets import OPEN_WHERE, OPEN_WHERE_SQLITE
from deskconsole.services.context import Actor
from deskconsole.services.newest_first import (
    NewestFirst,
    escape_like,
    newest_matching,
    starts_with,
)
from deskconsole.services.sla import SLARules
from deskconsole.services.tickets.history import get
from deskconsole.services.tickets.workflow import ACTIVE, OPEN

QUEUES = ("mine", "department", "escalated", "overdue", "due_today", "follow_up", "all")
SORTS = ("due", "newest")
PAGE_SIZE = 50


@dataclass(frozen=True)
class QueueQuery:
    queue: str = "mine"
    sort: str = "due"
    kind: str | None = None
    department: str | None = None  # the "department" queue; None = not yet passed to one
    search: str = ""
    status: str | None = None  # only tickets in this status (the CLI's --status)


@dataclass(frozen=True)
class Cursor:
    key: datetime | None
    id: int


@dataclass(frozen=True)
class TicketRow:
    id: int
    kind: str
    status: str
    priority: str
    customer_name: str
    honorific: str
    phone: str | None
    unit: str
    description: str
    category: str | None
    department: str | None
    first_owner_id: int
    assignee_id: int | None
    assignee_text: str | None
    due_at: datetime | None
    escalated_at: datetime | None
    created_at: datetime
    resolved_at: datetime | None
    steps_done: int = 0
    follow_up_due: datetime | None = None  # the pending follow-up call's due time
    progress_call_due: datetime | None = None  # the follow-up worklist: a progress call's due time


@dataclass
class Page:
    rows: list[TicketRow]
    next_cursor: Cursor | None  # None: this is the last page


def _sort_column(q: QueueQuery):
    """(column, ascending). The follow-up queue runs oldest resolution first."""
    if q.search or q.sort == "newest":
        return Ticket.created_at, False
    if q.queue == "follow_up":
        return Ticket.resolved_at, True
    return Ticket.due_at, True


SEARCH_TEXT_WINDOW = timedelta(days=400)  # words inside descriptions: the last 13 months
_NEWEST = NewestFirst(Ticket.created_at, Ticket.id, ids_descending=False)  # a search's order


def _search_filters(text: str, now: datetime) -> tuple[list, list]:
    """(prefixes, conditions): the index-served prefixes (column, match) — unit, phone,
    customer — searched newest first by services/newest_first, and the other conditions:
    the number, and for words one text scan bounded to recent tickets. Each runs as its own
    query (their union is the result)."""
    text = text.strip()
    number = re.fullmatch(r"#?(\d{1,9})", text)
    digits = re.sub(r"[\s\-()+]", "", text)
    conds, prefixes = [], []
    if number:
        conds.append(Ticket.id == int(number.group(1)))
    if digits.isdigit() and len(digits) >= 3:
        prefixes.append((Ticket.phone, digits))
    prefixes.append((Ticket.unit, text))
    prefixes.append((Ticket.customer_name, text))
    if re.search(r"[^\d\s\-#+/().]", text):  # words, not a number, unit or phone: scan the text
        like = "%" + escape_like(text) + "%"
        conds.append(and_(Ticket.created_at >= now - SEARCH_TEXT_WINDOW,
                          Ticket.description.like(like, escape="\\")))
    return prefixes, conds


def _open(dialect: str):
    """The open statuses, written as the partial indexes are (migration 0004)."""
    return text(OPEN_WHERE_SQLITE if dialect == "sqlite" else OPEN_WHERE)


def _queue_filter(q: QueueQuery, actor: Actor, now: datetime, rules: SLARules | None, dialect: str):
    if q.search:
        return None  # search runs over every ticket: a customer asking after any request
    if q.queue == "mine":
        return and_(Ticket.status.in_(ACTIVE),
                    or_(Ticket.first_owner_id == actor.operator_id, Ticket.assignee_id == actor.operator_id))
    if q.queue == "department":
        dept = Ticket.department.is_(None) if q.department is None else Ticket.department == q.department
        return and_(_open(dialect), dept)
    if q.queue == "escalated":
        return and_(_open(dialect), Ticket.escalated_at.is_not(None))
    if q.queue == "overdue":
        return and_(_open(dialect), Ticket.due_at < now)
    if q.queue == "due_today":
        start, end = rules.day_bounds(now) if rules else (now, now)
        return and_(_open(dialect), Ticket.due_at >= start, Ticket.due_at < end)
    if q.queue == "follow_up":  # a worklist of calls: two halves (_follow_up_halves)
        return None
    if q.queue == "all":
        return None
    raise ValueError(f"unknown queue {q.queue}")


def _follow_up_halves(now: datetime, rules: SLARules | None, dialect: str) -> list:
    """The worklist's tickets: resolved with a follow-up call (回访) still to make, and open with
    a progress call due. Queried apart, each served by its own index, and merged."""
    return [and_(Ticket.status == "resolved", select(FollowUp.id).where(
                FollowUp.ticket_id == Ticket.id, FollowUp.done_at.is_(None)).exists()),
            and_(_open(dialect), select(ProgressCall.id).where(
                ProgressCall.ticket_id == Ticket.id, *_progress_due_by(now, rules)).exists())]


def _after(col, ascending: bool, cursor: Cursor):
    """Rows strictly after `cursor` in (col NULLS LAST, id) order."""
    if cursor.key is None:
        return and_(col.is_(None), Ticket.id > cursor.id)
    beyond = col > cursor.key if ascending else col < cursor.key
    return or_(beyond, and_(col == cursor.key, Ticket.id > cursor.id), col.is_(None))


def _progress_due_by(now: datetime, rules: SLARules | None) -> list:
    """A pending progress call (DOMAIN §3: keep the customer informed) shows in the worklist
    from `due_soon` before it is due: amber first, then red."""
    horizon = now + (rules.due_soon if rules is not None else timedelta(0))
    return [ProgressCall.done_at.is_(None), ProgressCall.stopped_at.is_(None), ProgressCall.due_at <= horizon]


def _worklist_page(session: Session, q: QueueQuery, after: Cursor | None, limit: int, now: datetime,
                   rules: SLARules | None) -> Page:
    """The follow-up worklist by when each call is due: the follow-up call (回访) of a resolved
    ticket and the progress call of an open one, one row per ticket, paged by keyset on
    (due, ticket id). Both sides walk their pending-task index, not the tickets."""
    def narrowed(stmt):
        if q.kind:
            stmt = stmt.where(Ticket.kind == q.kind)
        if q.status:
            stmt = stmt.where(Ticket.status == q.status)
        return stmt

    follow = narrowed(select(FollowUp.ticket_id.label("tid"), func.min(FollowUp.due_at).label("due"))
                      .join(Ticket, Ticket.id == FollowUp.ticket_id)
                      .where(FollowUp.done_at.is_(None), Ticket.status == "resolved").group_by(FollowUp.ticket_id))
    progress = narrowed(select(ProgressCall.ticket_id, func.min(ProgressCall.due_at))
                        .join(Ticket, Ticket.id == ProgressCall.ticket_id)
                        .where(*_progress_due_by(now, rules), Ticket.status.in_(OPEN))
                        .group_by(ProgressCall.ticket_id))
    calls = union_all(follow, progress).subquery()
    stmt = select(calls.c.tid, calls.c.due)
    if after is not None:
        stmt = stmt.where(or_(calls.c.due > after.key, and_(calls.c.due == after.key, calls.c.tid > after.id)))
    due = session.execute(stmt.order_by(calls.c.due, calls.c.tid).limit(limit + 1)).all()
    more = len(due) > limit
    due = due[:limit]
    found = {t.id: t for t in session.execute(select(Ticket).where(Ticket.id.in_([d.tid for d in due]))).scalars()}
    steps = _steps_done(session, list(found))
    rows = [_row(t, steps.get(t.id, 0), when if t.status == "resolved" else None,
                 None if t.status == "resolved" else when)
            for tid, when in due if (t := found.get(tid)) is not None]
    return Page(rows, Cursor(due[-1].due, due[-1].tid) if more and due else None)


def fetch_page(session: Session, actor: Actor, q: QueueQuery, *, after: Cursor | None = None,
               limit: int = PAGE_SIZE, rules: SLARules | None = None) -> Page:
    now = actor.clock.now()
    if q.queue == "follow_up" and q.sort == "due" and not q.search:
        return _worklist_page(session, q, after, limit, now, rules)
    col, ascending = _sort_column(q)
    conds = []
    where = _queue_filter(q, actor, now, rules, session.get_bind().dialect.name)
    if where is not None:
        conds.append(where)
    if q.kind:
        conds.append(Ticket.kind == q.kind)
    if q.status:
        conds.append(Ticket.status == q.status)
    if after is not None:
        conds.append(_after(col, ascending, after))
    order = col.asc() if ascending else col.desc()
    if q.search:
        prefixes, extras = _search_filters(q.search, now)
        variants = [[c] for c in extras]
    elif q.queue == "follow_up":
        prefixes, variants = [], [[c] for c in _follow_up_halves(now, rules, session.get_bind().dialect.name)]
    else:
        prefixes, variants = [], [[]]
    found: dict[int, Ticket] = {}
    key = (after.key, after.id) if after is not None else None
    for column, prefix in prefixes:  # search: sorted by created_at, newest first
        for t in newest_matching(session, Ticket, _NEWEST, column, lambda c, p=prefix: starts_with(c, p),
                                 where=conds, after=key, need=limit + 1):
            found[t.id] = t
    if q.search and len(found) > limit:
        # The page's last row so far: the other searches (a text scan) need not look beyond it.
        last = sorted(found.values(), key=_sort_key(col, ascending))[limit]
        conds.append(_NEWEST.upto((last.created_at, last.id)))
    for extra in variants:
        stmt = select(Ticket).where(*conds, *extra) if conds or extra else select(Ticket)
        stmt = stmt.order_by(order.nulls_last(), Ticket.id.asc()).limit(limit + 1)
        for t in session.execute(stmt).scalars():
            found[t.id] = t
    tickets = sorted(found.values(), key=_sort_key(col, ascending))
    more = len(tickets) > limit
    tickets = tickets[:limit]
    steps = _steps_done(session, [t.id for t in tickets])
    calls = _follow_ups_due(session, [t.id for t in tickets if t.status == "resolved"])
    progress = _progress_calls_due(session, [t.id for t in tickets if t.status in OPEN]) \
        if q.queue == "follow_up" and not q.search else {}
    rows = [_row(t, steps.get(t.id, 0), calls.get(t.id), progress.get(t.id)) for t in tickets]
    next_cursor = None
    if more and tickets:
        last = tickets[-1]
        next_cursor = Cursor(getattr(last, col.key), last.id)
    return Page(rows, next_cursor)


def _sort_key(col, ascending: bool):
    """The SQL order (col NULLS LAST, id) in Python, to merge the search's separate queries."""
    def key(t: Ticket):
        value = getattr(t, col.key)
        if value is None:
            return (1, 0, t.id)
        stamp = value.timestamp()
        return (0, stamp if ascending else -stamp, t.id)
    return key


def _steps_done(session: Session, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    return dict(session.execute(
        select(RepairStep.ticket_id, func.count()).where(RepairStep.ticket_id.in_(ids))
        .group_by(RepairStep.ticket_id)).all())


def _follow_ups_due(session: Session, ids: list[int]) -> dict[int, datetime]:
    """The due time of each ticket's pending follow-up call (ix_follow_up_ticket)."""
    if not ids:
        return {}
    return dict(session.execute(
        select(FollowUp.ticket_id, func.min(FollowUp.due_at)).where(FollowUp.ticket_id.in_(ids),
                                                                    FollowUp.done_at.is_(None))
        .group_by(FollowUp.ticket_id)).all())


def _progress_calls_due(session: Session, ids: list[int]) -> dict[int, datetime]:
    """The due time of each ticket's pending progress call (ix_progress_call_ticket)."""
    if not ids:
        return {}
    return dict(session.execute(
        select(ProgressCall.ticket_id, func.min(ProgressCall.due_at))
        .where(ProgressCall.ticket_id.in_(ids), ProgressCall.done_at.is_(None), ProgressCall.stopped_at.is_(None))
        .group_by(ProgressCall.ticket_id)).all())


def _row(t: Ticket, steps: int, follow_up_due: datetime | None = None,
         progress_call_due: datetime | None = None) -> TicketRow:
    return TicketRow(t.id, t.kind, t.status, t.priority, t.customer_name, t.honorific, t.phone, t.unit,
                     t.description, t.category, t.department, t.first_owner_id, t.assignee_id,
                     t.assignee_text, t.due_at, t.escalated_at, t.created_at, t.resolved_at, steps,
                     follow_up_due, progress_call_due)


def operator_names(session: Session, ids) -> dict[int, tuple[str, str]]:
    """{id: (staff_no, name)} for the ids given (one query)."""
    ids = sorted({i for i in ids if i is not None})
    if not ids:
        return {}
    rows = session.execute(select(Operator.id, Operator.staff_no, Operator.name).where(Operator.id.in_(ids)))
    return {r.id: (r.staff_no, r.name) for r in rows}


# -- the ticket view ---------------------------------------------------------------------------
@dataclass
class TicketDetail:
    ticket: Ticket
    events: list[TicketEvent]
    steps: dict[str, RepairStep]  # step code -> the row that ticked it
    follow_ups: list[FollowUp]
    call: Call | None
    visit: Visit | None
    names: dict[int, tuple[str, str]] = field(default_factory=dict)
    progress_call_due: datetime | None = None  # the next progress call (DOMAIN §3), if one is pending


def ticket_detail(session: Session, ticket_id: int, *, history_limit: int = 200) -> TicketDetail:
    ticket = get(session, ticket_id)
    events = list(session.execute(
        select(TicketEvent).where(TicketEvent.ticket_id == ticket_id)
        .order_by(TicketEvent.id.desc()).limit(history_limit)).scalars())
    events.reverse()
    steps = {s.step: s for s in session.execute(
        select(RepairStep).where(RepairStep.ticket_id == ticket_id)).scalars()}
    follow_ups = list(session.execute(
        select(FollowUp).where(FollowUp.ticket_id == ticket_id).order_by(FollowUp.id)).scalars())
    call = session.get(Call, ticket.call_id) if ticket.call_id else None
    visit = session.get(Visit, ticket.visit_id) if ticket.visit_id else None
    ids = {ticket.first_owner_id, ticket.assignee_id, *(e.operator_id for e in events),
           *(s.operator_id for s in steps.values()), *(f.operator_id for f in follow_ups),
           *(int(v) for e in events if e.field_name == "assignee_id" for v in (e.old, e.new) if v)}
    progress = _progress_calls_due(session, [ticket_id]).get(ticket_id)
    return TicketDetail(ticket, events, steps, follow_ups, call, visit, operator_names(session, ids), progress)


def list_for_export(session: Session, actor: Actor, q: QueueQuery, *, limit: int,
                    rules: SLARules | None = None) -> list[TicketRow]:
    """Up to `limit` rows of a queue, walking pages by keyset (the CLI's `ticket list`)."""
    rows: list[TicketRow] = []
    cursor = None
    while len(rows) < limit:
        page = fetch_page(session, actor, q, after=cursor, limit=min(PAGE_SIZE * 4, limit - len(rows)),
                          rules=rules)
        rows.extend(page.rows)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    return rows


__all__ = ["QUEUES", "SORTS", "PAGE_SIZE", "QueueQuery", "Cursor", "TicketRow", "Page", "fetch_page",
           "operator_names", "TicketDetail", "ticket_detail", "list_for_export"]
