"""The keystroke queries, as probes: each calls a service function the way a screen does.

Shared by the query-plan test (tests/unit/test_query_plans.py: every probe's SELECTs must be
served by an index) and the bench (bench/service_probe.py: every probe's median time). This
module imports only deskconsole, so the bench runs on the runtime install (no pytest, no tests/).

To cover a new screen or service: add a Probe (module, and a function of the module and the
Ctx). A probe whose module cannot be imported fails the test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from deskconsole.clock import FakeClock
from deskconsole.services.context import Actor

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)  # 11:00 in Shanghai
TZ = ZoneInfo("Asia/Shanghai")

@dataclass
class Ctx:
    s: object  # Session
    actor: Actor
    supervisor: Actor
    now: datetime
    tz: ZoneInfo
    ids: dict[str, int]


@dataclass(frozen=True)
class Probe:
    name: str
    module: str
    call: Callable[[object, Ctx], object]
    walks: frozenset[str] = field(default_factory=frozenset)  # tables an ordered LIMIT walk may scan

    def __str__(self) -> str:
        return self.name


def _month(m, c: Ctx):
    from deskconsole.services.summary.period import Period

    end = c.now.astimezone(c.tz).date()
    return m.summarize(c.s, Period.for_range(end.replace(day=1), end, "Asia/Shanghai", c.now))


def _shift(m, c: Ctx):
    from deskconsole.services.summary.period import Period

    return m.summarize(c.s, Period.for_shift(c.s, c.ids["closed_shift"], "Asia/Shanghai", c.now))


def _queue(name: str, sort: str = "due", search: str = ""):
    def call(m, c: Ctx):
        page = m.fetch_page(c.s, c.actor, m.QueueQuery(queue=name, sort=sort, search=search))
        if page.rows and page.next_cursor:
            m.fetch_page(c.s, c.actor, m.QueueQuery(queue=name, sort=sort, search=search), after=page.next_cursor)
        return page
    return call


def _visit_search(query: str):
    def call(m, c: Ctx):
        rows, cursor = m.search(c.s, query, tz=c.tz)
        if cursor is not None:
            m.search(c.s, query, tz=c.tz, after=cursor)
        return rows
    return call


def _timeline(**target):
    """The first page (with the open tickets) and the next one, as the timeline modal reads them."""
    def call(m, c: Ctx):
        page = m.page(c.s, m.Target.of(**target), limit=20)
        last = page.entries[-1] if page.entries else None
        m.page(c.s, m.Target.of(**target), limit=20,
               after=m.Cursor(last.at, last.source, last.id) if last else m.Cursor(c.now, "visit", 1))
        return page
    return call


AUDIT_HEAD = frozenset({"audit_event"})
WINDOW_EDGE = frozenset({"visit", "call", "ticket"})  # test_prefix_search_walks_only_its_window
PROBES: list[Probe] = [
    # The header counters, every two seconds and after every write.
    Probe("counters", "deskconsole.services.counters", lambda m, c: m.counters(c.s, c.actor)),
    # Unit/host fields complete from the directory on every key.
    Probe("directory suggest unit", "deskconsole.services.directory", lambda m, c: m.suggest(c.s, "3-12")),
    Probe("directory suggest name", "deskconsole.services.directory", lambda m, c: m.suggest(c.s, "王")),
    Probe("operators", "deskconsole.services.operators", lambda m, c: m.list_operators(c.s)),
    Probe("active operators", "deskconsole.services.operators", lambda m, c: m.count_active(c.s)),
    # Reception (F2): the waiting queue, the building roll, search as you type, recall by phone.
    Probe("reception queue", "deskconsole.services.reception",
          lambda m, c: m.queue(c.s, c.actor, threshold_minutes=3.0)),
    Probe("reception in building", "deskconsole.services.reception_query", lambda m, c: m.in_building(c.s)),
    # Prefix searches (services/newest_first) may walk a window of rows by time: LIMIT/OFFSET.
    Probe("reception search name", "deskconsole.services.reception_query", _visit_search("王"), WINDOW_EDGE),
    Probe("reception search unit", "deskconsole.services.reception_query", _visit_search("3-1"), WINDOW_EDGE),
    Probe("reception search phone", "deskconsole.services.reception_query", _visit_search("13800138000"),
          WINDOW_EDGE),
    Probe("reception search date", "deskconsole.services.reception_query", _visit_search("2026-11-20")),
    Probe("reception search number", "deskconsole.services.reception_query", _visit_search("#42")),
    Probe("reception search all", "deskconsole.services.reception_query", _visit_search(""), frozenset({"visit"})),
    Probe("reception recall phone", "deskconsole.services.reception_query",
          lambda m, c: m.recall(c.s, phone="13800138000")),
    Probe("reception recall name", "deskconsole.services.reception_query", lambda m, c: m.recall(c.s, name="王")),
    Probe("expected today", "deskconsole.services.reception_query",
          lambda m, c: m.expected_today(c.s, now=c.now, tz=c.tz)),
    # Phone (F3): missed calls to return, messages, the register.
    Probe("phone unreturned missed", "deskconsole.services.calls", lambda m, c: m.unreturned_missed(c.s, c.now)),
    Probe("phone messages", "deskconsole.services.calls", lambda m, c: m.messages_for(c.s, c.actor)),
    Probe("phone open calls", "deskconsole.services.calls",
          lambda m, c: m.open_calls(c.s, c.actor.desk_id, c.now)),
    Probe("phone register", "deskconsole.services.calls",
          lambda m, c: m.search_calls(c.s, m.CallQuery(), c.tz), frozenset({"call"})),
    Probe("phone register day", "deskconsole.services.calls",
          lambda m, c: m.search_calls(c.s, m.CallQuery(day=c.now.astimezone(c.tz).date()), c.tz)),
    Probe("phone register phone", "deskconsole.services.calls",
          lambda m, c: m.search_calls(c.s, m.CallQuery(phone="138"), c.tz), WINDOW_EDGE),
    Probe("phone register unit", "deskconsole.services.calls",
          lambda m, c: m.search_calls(c.s, m.CallQuery(unit="3-"), c.tz), WINDOW_EDGE),
    # Missed calls are a steady few per cent of all calls: the walk to fill a page does not
    # grow with history.
    Probe("phone register unanswered", "deskconsole.services.calls",
          lambda m, c: m.search_calls(c.s, m.CallQuery(unanswered=True), c.tz), frozenset({"call"})),
    # Tickets (F4): every queue and sort, search, one ticket opened. The "all" queue walks
    # ix_ticket_created or ix_ticket_due in order and stops at its LIMIT (SQLite serves
    # `due_at NULLS LAST` from the index: it seeks past the NULLs, then reads them last).
    *[Probe(f"ticket queue {q} {sort}", "deskconsole.services.tickets.queues", _queue(q, sort),
            frozenset({"ticket"}) if q == "all" else frozenset())
      for q in ("mine", "department", "escalated", "overdue", "due_today", "follow_up", "all")
      for sort in ("due", "newest")],
    Probe("ticket queue search", "deskconsole.services.tickets.queues", _queue("all", "newest", "3-1"),
          WINDOW_EDGE),
    Probe("ticket queue search words", "deskconsole.services.tickets.queues", _queue("all", "newest", "王"),
          WINDOW_EDGE),
    Probe("ticket detail", "deskconsole.services.tickets.queues",
          lambda m, c: m.ticket_detail(c.s, c.ids["ticket"])),
    # Registers (F10), the header's overdue keys, a unit's and a caller's history.
    Probe("keys overdue count", "deskconsole.services.registers.keys", lambda m, c: m.overdue_count(c.s, c.now)),
    Probe("keys out", "deskconsole.services.registers.keys", lambda m, c: m.out_keys(c.s, c.now)),
    Probe("key loans of a unit", "deskconsole.services.registers.keys",
          lambda m, c: m.key_loans_for_unit(c.s, "3-1202", now=c.now)),
    Probe("key loans of a phone", "deskconsole.services.registers.keys",
          lambda m, c: m.key_loans_for_phone(c.s, "13800138000", now=c.now)),
    Probe("goods releases", "deskconsole.services.registers.goods",
          lambda m, c: m.list_releases(c.s, now=c.now), frozenset({"goods_release"})),
    Probe("goods releases of a unit", "deskconsole.services.registers.goods",
          lambda m, c: m.goods_releases_for_unit(c.s, "3-1202")),
    Probe("goods release check", "deskconsole.services.registers.goods",
          lambda m, c: m.check_release(c.s, "GR261203-001", now=c.now)),
    Probe("loan items out", "deskconsole.services.registers.loans", lambda m, c: m.out_items(c.s)),
    # The timeline of a unit or a number (any unit/phone field, and the call form's banner).
    Probe("timeline unit", "deskconsole.services.timeline", _timeline(unit="3-1201")),
    Probe("timeline phone", "deskconsole.services.timeline", _timeline(phone="13800138000")),
    Probe("timeline open tickets", "deskconsole.services.timeline",
          lambda m, c: m.open_tickets(c.s, m.Target.of(unit="3-1201"))),
    # Shift (F6) and handover.
    Probe("handover open items", "deskconsole.services.handover",
          lambda m, c: m.open_items(c.s, desk_id=c.actor.desk_id, operator_id=c.actor.operator_id,
                                    now=c.now, timezone="Asia/Shanghai")),
    Probe("handover pending", "deskconsole.services.handover",
          lambda m, c: m.pending_for(c.s, c.actor.shift_id, timezone="Asia/Shanghai", now=c.now)),
    Probe("handover recent shifts", "deskconsole.services.handover", lambda m, c: m.recent_shifts(c.s),
          frozenset({"shift"})),
    Probe("summary shift", "deskconsole.services.summary", _shift),
    Probe("summary month", "deskconsole.services.summary", _month),
    # Etiquette (F5).
    Probe("etiquette history", "deskconsole.services.etiquette",
          lambda m, c: m.history(c.s, c.actor.operator_id)),
    Probe("etiquette unseen", "deskconsole.services.etiquette", lambda m, c: m.unseen(c.s, c.actor.operator_id)),
    Probe("etiquette self-check done", "deskconsole.services.etiquette",
          lambda m, c: m.has_self_check(c.s, c.actor.shift_id)),
    # The evidence beside the checklist (F5 on a shift, an inspection over a week): the facts
    # of a window read only that window (test_query_plans: test_a_windows_facts_read_only_the_window).
    Probe("etiquette evidence shift", "deskconsole.services.evidence", lambda m, c: m.for_shift(
        c.s, c.actor.shift_id, now=c.now, tz=c.tz)),
    Probe("etiquette evidence week", "deskconsole.services.evidence", lambda m, c: m.for_operator(
        c.s, c.actor.operator_id, "weekly", now=c.now, tz=c.tz)),
    Probe("audit events of a ticket", "deskconsole.services.audit",
          lambda m, c: m.events(c.s, entity="ticket", entity_id=c.ids["ticket"]), AUDIT_HEAD),
]


def _actor(s, staff_no: str) -> Actor:
    from deskconsole.models import Desk, Operator, Shift

    op = s.execute(select(Operator).where(Operator.staff_no == staff_no)).scalar_one()
    shift = s.execute(select(Shift).order_by(Shift.id.desc()).limit(1)).scalar_one_or_none()
    desk = s.get(Desk, shift.desk_id) if shift else None
    return Actor(op.id, op.staff_no, op.name, op.role, shift.id if shift else 0,
                 desk.id if desk else 0, desk.name if desk else "desk-1", FakeClock(NOW))


def ctx_for(s) -> Ctx:
    """The receptionist on the newest shift, and ids the probes need (also used by bench/)."""
    from deskconsole.models import Operator, Shift, Ticket

    def first(stmt):
        return s.execute(stmt.limit(1)).scalar_one_or_none()

    on_duty = first(select(Shift.operator_id).order_by(Shift.id.desc()))
    staff_no = s.get(Operator, on_duty).staff_no if on_duty else "101"
    ids = {"ticket": first(select(Ticket.id).order_by(Ticket.id.desc())) or 0,
           "closed_shift": first(select(Shift.id).where(Shift.ended_at.is_not(None)).order_by(Shift.id.desc()))}
    return Ctx(s, _actor(s, staff_no), _actor(s, "001"), NOW, TZ, ids)
