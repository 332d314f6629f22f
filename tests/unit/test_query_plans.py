"""Every query a screen or the summary runs on a keystroke is served by an index,
so a keystroke costs the same after years of history.

How it works: each PROBE calls a service function the way a screen does, on a demo database
(deskconsole/demo/); an engine event captures every SELECT it sends; the test runs
EXPLAIN QUERY PLAN on each with the same parameters and fails on a full scan of a table that
grows with history, or on a sort of one (a temp B-tree fed by such a scan).

A scan is accepted only where a probe says why (`walks`): an ordered walk that stops at a
LIMIT, e.g. the audit chain's newest event (ORDER BY id DESC LIMIT 1).

To cover a new screen or service: add a Probe below (module, and a function of the module
and the Ctx). A probe whose module cannot be imported fails.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, select

from deskconsole.clock import FakeClock
from deskconsole.db.store import Store
from deskconsole.services.context import Actor

# Tables that grow with every day of history. A scan of one of these is a bug.
HISTORY = {"visit", "call", "ticket", "ticket_event", "repair_step", "follow_up", "audit_event",
           "etiquette_check", "etiquette_result", "shift", "expected_visit", "directory_entry"}
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
    Probe("audit events of a ticket", "deskconsole.services.audit",
          lambda m, c: m.events(c.s, entity="ticket", entity_id=c.ids["ticket"]), AUDIT_HEAD),
]


# Plans found wrong when this test was written, left to their owners: strict, so the test
# fails (XPASS) once the plan is fixed and the entry must be removed. bench/RESULTS.md has
# their cost on the five-year database.
KNOWN: dict[str, str] = {}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from deskconsole.demo import generate

    path = tmp_path_factory.mktemp("plans") / "demo.db"
    store = Store(f"sqlite:///{path}").open()
    generate(store, days=21, seed=11, scale="busy", clock=FakeClock(NOW), pipeline=False)
    yield store
    store.close()


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


class Captured:
    def __init__(self, engine) -> None:
        self.engine, self.statements = engine, []

    def __enter__(self) -> Captured:
        event.listen(self.engine, "before_cursor_execute", self._on)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._on)

    def _on(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            self.statements.append((statement, parameters))


_SCAN = re.compile(r"^SCAN (\w+)(?: USING (?:COVERING )?INDEX (\w+))?")


def _partial(conn, index: str | None) -> bool:
    """A partial index (CREATE INDEX ... WHERE status IN open ones) holds live rows only: a
    walk over it does not grow with history."""
    if not index:
        return False
    sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?",
                               (index,)).scalar()
    return bool(sql) and " WHERE " in sql.upper()


def plan_problems(conn, statement: str, parameters, walks: frozenset[str]) -> list[str]:
    """What is wrong with one statement's plan: a full scan of a history table, or a sort of
    one. `walks`: tables the statement may walk in index order up to its LIMIT."""
    rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
    details = [r[3] for r in rows]
    limited = re.search(r"\bLIMIT\b", statement, re.IGNORECASE) is not None
    # A temp B-tree for the whole ORDER BY means every matching row is read and sorted; one
    # for the "RIGHT PART" only breaks ties of an ordered walk, which still stops at LIMIT.
    sorts = any("TEMP B-TREE FOR ORDER BY" in d or "TEMP B-TREE FOR GROUP BY" in d for d in details)
    bad = []
    for d in details:
        m = _SCAN.match(d)
        if not m or m.group(1) not in HISTORY:
            continue
        if m.group(1) in walks and limited and not sorts:
            continue
        if _partial(conn, m.group(2)) and not sorts:
            continue
        bad.append(d)
    return bad


@pytest.mark.parametrize("probe", [
    pytest.param(p, marks=pytest.mark.xfail(strict=True, reason=KNOWN[p.name])) if p.name in KNOWN else p
    for p in PROBES], ids=str)
def test_keystroke_query_is_served_by_an_index(demo_db, probe: Probe):
    # A probe naming a module that is gone fails: a renamed service must take its probes along.
    module = importlib.import_module(probe.module)
    with demo_db.read() as s:
        ctx = ctx_for(s)
        with Captured(demo_db.engine) as cap:
            probe.call(module, ctx)
    assert cap.statements, f"{probe.name}: no query captured"
    problems = []
    with demo_db.engine.connect() as conn:
        for statement, params in cap.statements:
            for bad in plan_problems(conn, statement, params, probe.walks):
                problems.append(f"{bad}\n    in: {' '.join(statement.split())[:300]}")
    assert problems == [], f"{probe.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("window", [4, 1_000_000], ids=["walks", "sorts"])
def test_prefix_search_walks_only_its_window(demo_db, monkeypatch, window):
    """A prefix search (services/newest_first) scans a history table only to find the edge of
    a window of rows (its time index alone: ORDER BY time LIMIT 1 OFFSET n): the rows it
    reads are read from a time range bounded on both sides, or by the prefix's own index. A
    small window takes the walking branch on the demo data, a huge one the sorting branch."""
    from deskconsole.services import newest_first

    monkeypatch.setattr(newest_first, "FIRST_WINDOW", window)
    problems = []
    for probe in (p for p in PROBES if p.walks is WINDOW_EDGE):
        with demo_db.read() as s:
            ctx = ctx_for(s)
            with Captured(demo_db.engine) as cap:
                probe.call(importlib.import_module(probe.module), ctx)
        with demo_db.engine.connect() as conn:
            for statement, params in cap.statements:
                bad = plan_problems(conn, statement, params, probe.walks)
                plan = [r[3] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params)]
                bad += [d for d in plan if (m := _SCAN.match(d)) and m.group(1) in HISTORY
                        and not ("OFFSET" in statement and " COVERING INDEX " in d)]
                problems += [f"{probe.name}: {b}\n    in: {' '.join(statement.split())[:300]}" for b in bad]
    assert problems == []


def test_the_plan_check_finds_a_full_scan_and_a_sort(demo_db):
    """The check itself can fail: a LIKE '%x' has no index, ORDER BY name sorts the table."""
    with demo_db.engine.connect() as conn:
        assert plan_problems(conn, "SELECT id FROM visit WHERE note LIKE '%快递%'", (), frozenset())
        assert plan_problems(conn, "SELECT id FROM call ORDER BY summary LIMIT 5", (), frozenset({"call"}))
        assert plan_problems(conn, "SELECT id FROM visit WHERE status = 'waiting'", (), frozenset()) == []


def test_demo_history_is_old_enough_to_matter(demo_db):
    """The probes run against weeks of busy history, not an empty store."""
    with demo_db.engine.connect() as conn:
        visits = conn.exec_driver_sql("SELECT count(*) FROM visit").scalar()
    assert visits > 5000
