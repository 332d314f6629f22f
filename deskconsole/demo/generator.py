"""Demo data: years of realistic front-desk records for trying the console and for `make bench`.

`generate(store, days=..., seed=..., scale="normal"|"busy", end=..., clock=...)` fills an EMPTY
database (it refuses one that holds anything) and is deterministic for a seed, but for the
PIN hashes, each salted afresh. Operators:
supervisors 001 王芳 and 002 赵敏 sign on with PIN 135790, receptionists 101... with PIN 2468.
Desks are desk-1 (and desk-2 when busy); the console's default desk is desk-1.

Speed: rows are tuples written with executemany in transactions of a month; on SQLite the
load runs with journal_mode=OFF, synchronous=OFF, foreign_keys=OFF and the history tables'
secondary indexes dropped, all restored (and the indexes rebuilt) before returning. The audit
chain is hashed by services/audit's chain_payload and chain_digest (an HMAC under the store's
audit key), one day at a time, and pinned by a signed checkpoint (services/audit_checkpoints)
kept beside the store. Every audited row is then sealed by an event of its own (demo/seal.py:
worker processes read the seals back, still in bulk mode, before the audit trail's indexes
are built). Loads of 60 days or more generate in a child process and stage the visits in a
file next to the database (demo/pipe.py). Figures: bench/NOTES.md.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from deskconsole.config import Config
from deskconsole.demo import day as demo_day
from deskconsole.demo import left_open as demo_left_open
from deskconsole.demo import names as N
from deskconsole.demo import pipe as demo_pipe
from deskconsole.demo import registers as demo_registers
from deskconsole.demo import seal as demo_seal
from deskconsole.demo import sink as demo_sink
from deskconsole.demo import tickets as demo_tickets
from deskconsole.demo import watch as demo_watch
from deskconsole.demo.sink import CLOCK, DATES, TABLES, Sink
from deskconsole.services import audit, audit_checkpoints
from deskconsole.services.audit_key import AuditKey
from deskconsole.services.errors import DeskError
from deskconsole.services.operators import hash_pin
from deskconsole.services.sla import rules_from

PINS = {"supervisor": "135790", "receptionist": "2468"}  # documented in README (demo section)
MAX_DAYS = 3660


@dataclass(frozen=True)
class Scale:
    desks: int
    receptionists: int
    visits: float  # per day, on average
    calls: float  # incoming per day
    visit_ticket: float  # share of visits that raise a ticket
    call_ticket: float  # share of answered calls that raise a ticket
    other_tickets: float  # per day
    buildings: int
    visitors: int  # size of the pool of non-resident visitors and callers


SCALES = {
    # "busy" over five years: ~1M visits, ~1M calls (with callbacks and follow-up calls), ~200k tickets.
    "busy": Scale(2, 8, 548, 470, 0.07, 0.13, 14, 12, 20_000),
    "normal": Scale(1, 4, 120, 100, 0.07, 0.13, 3, 6, 5_000),
}


@dataclass
class DemoResult:
    days: int
    seed: int
    scale: str
    first_day: date
    last_day: date
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    checkpoint: audit_checkpoints.Checkpoint | None = None


def _codes(catalog: str, table: str, fallback: tuple[str, ...]) -> tuple[str, ...]:
    """Codes from a company catalog (data/<catalog>) when that file exists, else our own."""
    from deskconsole import catalogs

    try:
        rows = catalogs.load(catalog).get(table, [])
        codes = tuple(row["code"] for row in rows if isinstance(row, dict) and "code" in row)
    except Exception:  # noqa: BLE001 - a missing or odd catalog falls back to generic codes
        codes = ()
    return codes or fallback


class World:
    """Everything the day generators share: the seeded Random, ids, the sink, the directory."""

    def __init__(self, *, seed: int, scale: Scale, dialect: str, now: int, tz: ZoneInfo, key: AuditKey) -> None:
        self.rng = random.Random(seed)
        self.key = key
        self.seed, self.scale, self.now, self.tz = seed, scale, now, tz
        self.sink = Sink(dialect)
        self.ts = self.sink.ts
        self.ids: dict[str, int] = dict.fromkeys(TABLES, 0)
        self.last_shift: dict[int, int] = {}
        self.last_shift_end: dict[int, int] = {}  # desk -> when its last shift ended
        self.left_open: dict[int, tuple] = {}  # desk -> a forgotten shift the next sign-on closes
        self.last_index = self.supervisor_index = 0  # the last day; the day of demo/left_open's open shift
        self.key_free: dict[str, int] = {}  # key code -> when it is back in the cabinet
        self.watch_entries: list[tuple] = []  # (id, name, phone, action, where they turn up)
        # Due times as the console computes them (DOMAIN §3): business hours, holidays, 调休.
        self.rules = rules_from(Config(timezone=tz.key))
        self.prev_hash = audit.GENESIS
        self.ring_period, self.ring_limit = 5.0, 3  # DOMAIN §2: China cadence, three rings
        self.purposes = _codes("purposes.toml", "purpose",
                               ("payment", "inquiry", "repair", "visit", "delivery", "business",
                                "interview", "viewing", "other"))
        self.call_categories = _codes("call_categories.toml", "category",
                                      ("inquiry", "repair", "complaint", "payment", "other"))
        self.repair_steps = _codes("repair_steps.toml", "step",
                                   ("received", "tools_ready", "on_site", "fee_confirmed", "repaired",
                                    "cleaned_up", "signed_paid", "order_returned", "archived"))
        self.ticket_categories = _ticket_categories()
        (self.self_items, self.inspection_items, self.self_scale, self.inspection_scale,
         self.checklist_version) = _checklist()

    def business(self, at: int, hours: float) -> int:
        """`hours` of business time after `at` (epoch seconds in and out)."""
        return int(self.rules.add_business_hours(datetime.fromtimestamp(at, UTC), hours).timestamp())

    def due(self, kind: str, priority: str, at: int) -> int:
        return int(self.rules.due_at(kind, priority, datetime.fromtimestamp(at, UTC)).timestamp())

    def next_id(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    # -- people and places ----------------------------------------------------------------
    def build_directory(self, created: int, pins: dict[str, str]) -> None:
        rng, rows = self.rng, self.sink.rows
        people = [("王芳", "supervisor"), ("赵敏", "supervisor")]
        people += [(N.person_name(rng)[0], "receptionist") for _ in range(self.scale.receptionists)]
        self.supervisors, self.receptionists = [], []
        for i, (name, role) in enumerate(people):
            oid = self.next_id("operator")
            staff_no = f"{i + 1:03d}" if role == "supervisor" else f"{101 + i - 2}"
            # A fresh salt each, as a real store has (scrypt is slow on purpose, but they are few).
            digest = hash_pin(pins[role])
            rows["operator"].append((oid, staff_no, name, role, "", digest, True, 0, None, self.ts(created)))
            (self.supervisors if role == "supervisor" else self.receptionists).append(oid)
            # The first supervisor creates themself, then adds everyone else (as the CLI would).
            by = self.supervisors[0]
            self.audit_now([(created, by, None, None, "create", "operator", oid, None,
                             json.dumps({"name": name, "role": role, "staff_no": staff_no},
                                        ensure_ascii=False, sort_keys=True))])
        self.desks = []
        for d in range(self.scale.desks):
            did = self.next_id("desk")
            rows["desk"].append((did, f"desk-{d + 1}", self.ts(created)))
            self.desks.append((did, f"desk-{d + 1}"))
        self.residents = []
        for unit in N.units(self.scale.buildings, 24 if self.scale.buildings > 6 else 18, 4):
            for _ in range(1 + (rng.random() < 0.6) + (rng.random() < 0.2)):
                name, hon = N.person_name(rng)
                phone = N.mobile(rng)
                rows["directory_entry"].append((self.next_id("directory_entry"), "resident", name, unit,
                                                phone, rng.random() > 0.02))
                self.residents.append((name, hon, phone, unit))
        offices = N.office_units("AB", 20)
        self.companies = []
        for i, company in enumerate(N.COMPANIES):
            unit = offices[(i * 7) % len(offices)]
            rows["directory_entry"].append((self.next_id("directory_entry"), "company", company, unit,
                                            N.landline(rng), True))
            self.companies.append((company, unit))
        for text in N.STAFF_TEXT:
            rows["directory_entry"].append((self.next_id("directory_entry"), "staff", text, "",
                                            N.mobile(rng), True))
        self.visitors = [(*N.person_name(rng), N.mobile(rng)) for _ in range(self.scale.visitors)]

    def handoff_post(self, host: str) -> str:
        return "大堂前台" if any(host == c for c, _ in self.companies[:3]) else "楼栋管家"

    def describe(self, r: Callable[[], float]) -> str:
        colours, clothes = "黑白蓝灰红", ("外套", "衬衫", "风衣", "工装")
        return f"{colours[int(r() * 5)]}色{clothes[int(r() * 4)]},{'提公文包' if r() < 0.3 else '戴眼镜' if r() < 0.5 else '手持文件袋'}"

    def kind_for_visit(self, x: float) -> str:
        return "repair" if x < 0.45 else "complaint" if x < 0.6 else "inquiry" if x < 0.85 else \
            "suggestion" if x < 0.92 else "callback"

    def kind_for_call(self, x: float) -> str:
        return "repair" if x < 0.35 else "complaint" if x < 0.5 else "inquiry" if x < 0.7 else \
            "suggestion" if x < 0.75 else "callback"

    # -- etiquette and audit -----------------------------------------------------------------
    def add_check(self, kind, op, inspector, sid, desk, at, items, skipped, audit) -> None:
        r, rows = self.rng.random, self.sink.rows
        cid = self.next_id("etiquette_check")
        score = maximum = 0
        graded = (self.inspection_scale if inspector else self.self_scale) == "0-2"
        if not skipped:
            for item_id, element in items:
                x = r()
                if graded:  # 0 not met, 1 partly, 2 fully, na excluded (services/etiquette.points)
                    result = "2" if x < 0.8 else "1" if x < 0.93 else "0" if x < 0.98 else "na"
                    score += int(result) if result != "na" else 0
                    maximum += 2 if result != "na" else 0
                else:
                    result = "pass" if x < 0.94 else "fail" if x < 0.98 else "na"
                    score += result == "pass"
                    maximum += result != "na"
                rows["etiquette_result"].append((self.next_id("etiquette_result"), cid, item_id, element,
                                                 result))
        seen = at + 3600 + int(r() * 4 * 3600) if inspector else at
        rows["etiquette_check"].append((
            cid, kind, op, inspector, sid, desk, self.ts(at),  # an inspection: the inspected shift's
            self.checklist_version, skipped, score, maximum,
            self.rng.choice(N.INSPECTION_COMMENTS) if inspector and r() < 0.6 else None,
            self.ts(at), self.ts(seen) if seen <= self.now else None))
        audit.append((at, inspector or op, desk, sid, "skip" if skipped else "create", "etiquette_check",
                      cid, None, json.dumps({"kind": kind, "max_score": maximum, "operator_id": op,
                                             "score": score, "version": self.checklist_version},
                                            ensure_ascii=False, sort_keys=True)))

    def ticket_category(self, kind: str, x: float) -> str | None:
        cats = self.ticket_categories.get(kind)
        return cats[int(x * len(cats))] if cats else None

    def audit_now(self, events: list[tuple]) -> None:
        """Append events to the chain, hashed by services/audit's own payload and digest; the
        time string is built from the cached date and clock strings (no datetime per event)."""
        add, payload, digest, D, C = (self.sink.rows["audit_event"].append, audit.chain_payload,
                                      audit.chain_digest, DATES, CLOCK)
        key = self.key
        prev, next_id = self.prev_hash, self.ids["audit_event"]
        for at, op, desk, shift, action, entity, entity_id, before, after in events:
            day, clock = D[at // 86400], C[at % 86400]
            eid = None if entity_id is None else str(entity_id)
            h = digest(payload(f"{day[:10]}T{clock[:8]}+00:00", op, desk, shift, action, entity, eid,
                               before, after, prev), key)
            next_id += 1
            add((next_id, day + clock, op, desk, shift, action, entity, eid, after, prev, h))
            prev = h
        self.prev_hash, self.ids["audit_event"] = prev, next_id


def _ticket_categories() -> dict[str, tuple[str, ...]]:
    from deskconsole import catalogs

    out: dict[str, list[str]] = {}
    try:
        for row in catalogs.load("ticket_categories.toml").get("category", []):
            for kind in row.get("kinds", []):
                out.setdefault(kind, []).append(row["code"])
    except Exception:  # noqa: BLE001 - no catalog: generic categories
        out = {"repair": ["plumbing", "electrical", "doors_locks"], "complaint": ["noise", "cleaning"]}
    return {k: tuple(v) for k, v in out.items()}


def _checklist() -> tuple[list[tuple[str, str]], list[tuple[str, str]], str, str]:
    """(self-check items, inspection items as (item id, element), self scale, inspection
    scale) from the company checklist (services/etiquette_checklist), else generic items:
    DOMAIN §5 grooming for the self-check, DOMAIN §4 five elements for inspections."""
    try:
        from deskconsole.services.etiquette_checklist import load_checklist

        cl = load_checklist()
        return ([(i.id, i.element) for i in cl.self_items()],
                [(i.id, i.element) for i in cl.inspection_items()], cl.self_scale,
                cl.inspection_scale, cl.version)
    except Exception:  # noqa: BLE001 - no checklist (or a broken one): generic ids
        grooming = [(f"G{i}", "E") for i in range(1, 9)]
        inspection = [(f"{e}{i}", e) for e in "ABCDE" for i in range(1, 5)]
        return grooming, inspection, "pass_fail", "0-2", "demo-1"


def validate(*, days: int, scale: str = "normal", **_) -> None:
    """Refuse options `generate` cannot honour, before anything is written."""
    if scale not in SCALES:
        raise DeskError("demo.error.scale", field="scale", scales=", ".join(SCALES))
    if not 1 <= days <= MAX_DAYS:
        raise DeskError("demo.error.days", field="days", max=MAX_DAYS)


def generate(store, *, days: int, seed: int = 1, scale: str = "normal", end: date | None = None,
             clock, tz: str = "Asia/Shanghai", chunk_days: int = 30, pipeline: bool | None = None,
             progress: Callable[[int, int], None] | None = None) -> DemoResult:
    """Fill an empty store with `days` days of history ending on `end` (site-local date;
    default: today by `clock`). Nothing later than `clock.now()` is written.

    `pipeline` (default: on for SQLite loads of 60 days or more; never on PostgreSQL) generates
    the rows in a child process while this one writes them (demo/pipe.py).

    On SQLite a failure leaves a half-filled file (the load runs without a journal): the CLI
    builds into a temporary file and moves it into place (demo/target.py). On PostgreSQL the
    load is one transaction."""
    validate(days=days, scale=scale)
    started = time.perf_counter()
    zone = ZoneInfo(tz)
    now = clock.now()
    end = end or now.astimezone(zone).date()
    first = end - timedelta(days=days - 1)
    dialect = store.engine.dialect.name
    sqlite = dialect == "sqlite"
    key = store.keys.get(create=True)  # an empty store: its chain is keyed with this desk's key
    plan = _Plan(seed, SCALES[scale], dialect, int(now.timestamp()), zone, first, days, chunk_days, key)
    pipeline = sqlite and (days >= 60 if pipeline is None else pipeline)
    sql, counts = demo_sink.insert_sql(dialect), dict.fromkeys(TABLES, 0)
    with store.engine.connect() as conn:
        demo_sink.refuse_non_empty(conn)
        conn.commit()
        bulk = demo_sink.BulkMode(conn) if sqlite else None
        pipe = demo_pipe.Pipeline(bulk.raw, _run, plan) if pipeline else None
        done, sealed_end = False, []

        def seal(raw) -> None:  # by bulk.leave, before the audit trail's indexes are built
            sealed_end.append(demo_seal.seal_sqlite(raw, conn.dialect, last_id, last_hash, now, key))
        try:
            if bulk:
                bulk.enter()

            def emit(rows: dict[str, list], done: int) -> None:
                demo_sink.write(conn, sql, rows, counts)
                if sqlite:  # PostgreSQL: one transaction, rolled back whole if the load stops
                    conn.commit()
                if progress:
                    progress(done, days)

            if pipe:
                last_id, last_hash, staged = pipe.rows(emit)
                counts.update(staged)
            else:
                last_id, last_hash = _run(plan, emit)
            done = True
        finally:
            try:
                if bulk:  # done: indexes rebuilt, rows staged and sealed; else the error in flight counts
                    bulk.leave(pipe, seal) if done else bulk.abandon()
            finally:
                if pipe:
                    pipe.close()
        if bulk:
            last_id, last_hash, sealed = sealed_end[0]
        else:
            last_id, last_hash, sealed = demo_seal.seal_rows(conn, sql["audit_event"], last_id, last_hash, now, key)
        counts["audit_event"] += sealed
        demo_sink.move_chain_head(conn, sqlite, last_id, last_hash, counts["audit_event"], key.id)
        if not sqlite:
            demo_sink.pg_sequences(conn)
        conn.commit()
    checkpoint = None
    if counts["audit_event"]:
        with store.read() as s:
            checkpoint = audit_checkpoints.take(s, now)
    return DemoResult(days, seed, scale, first, end, counts, time.perf_counter() - started, checkpoint)


@dataclass(frozen=True)
class _Plan:
    seed: int
    scale: Scale
    dialect: str
    now: int
    zone: ZoneInfo
    first: date
    days: int
    chunk_days: int
    key: AuditKey


def _run(plan: _Plan, emit: Callable[[dict[str, list], int], None]) -> tuple[int, str]:
    """Generate day by day, handing each chunk of rows to `emit`; returns the chain's end."""
    world = World(seed=plan.seed, scale=plan.scale, dialect=plan.dialect, now=plan.now, tz=plan.zone,
                  key=plan.key)
    last = plan.first + timedelta(days=plan.days - 1)
    world.last_index = last.toordinal()
    world.supervisor_index = max(plan.first, last - timedelta(days=2)).toordinal()
    for i in range(plan.days):
        d = plan.first + timedelta(days=i)
        day0 = int(datetime.combine(d, datetime.min.time(), plan.zone).timestamp())
        if i == 0:
            world.build_directory(day0 - 16 * 3600, PINS)
        # Each day draws from its own Random, seeded by the seed and the date: a day looks the
        # same whatever history precedes it (so a longer demo only adds older days).
        world.rng = random.Random(plan.seed * 1_000_003 + d.toordinal())
        day = demo_day.Day(world, d.toordinal(), day0, d.weekday())
        day.shifts()
        day.inspections()
        day.visits()
        day.calls()
        demo_tickets.tickets(day)
        demo_left_open.close_forgotten(day)
        demo_registers.registers(day)
        demo_watch.watch(day)
        day.audit.sort(key=lambda e: e[0])
        world.audit_now(day.audit)
        if (i + 1) % plan.chunk_days == 0 or i == plan.days - 1:
            emit(world.sink.take(), i + 1)
    return world.ids["audit_event"], world.prev_hash
