"""Ticket queues under load: `python -m bench.tickets_queue [--open N] [--closed N] [--db URL]`.

Fills a scratch database with N open tickets (and some closed history), then times what the
F4 screen runs: the first page of every queue, the next page by keyset, a deep page, and a
search, each as one `fetch_page` call (p50 / p95 / max over rounds, in ms). Also times the
screen itself: F4 to a filled table, and `]` to the next page, under Pilot (100x30).
Tickets are inserted in bulk (not through the services) to build the data quickly."""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


def _fill(store, actor, other, n_open: int, n_closed: int) -> None:
    from deskconsole.models import Ticket

    rnd = random.Random(1)
    kinds = ("repair", "complaint", "inquiry", "suggestion", "callback")
    depts = ("engineering", "cleaning", "security", "landscaping", "finance", "management", None)
    rows = []

    def flush():
        with store.engine.begin() as conn:
            conn.execute(Ticket.__table__.insert(), rows)
        rows.clear()

    for i in range(n_open + n_closed):
        is_open = i < n_open
        created = NOW - timedelta(minutes=rnd.randint(0, 60 * 24 * (20 if is_open else 700)))
        owner = actor if rnd.random() < 0.02 else other
        rows.append(dict(
            kind=rnd.choice(kinds), status=rnd.choice(("new", "assigned", "in_progress")) if is_open else "closed",
            priority=rnd.choice(("low", "normal", "normal", "high", "urgent")), customer_name=f"客户{i}",
            honorific="", phone=f"139{i:08d}", unit=f"{i % 30 + 1}-{i % 1200:04d}", source="walk_in",
            description=f"第 {i} 号请求 水管 漏水" if i % 7 == 0 else f"第 {i} 号请求",
            department=rnd.choice(depts), first_owner_id=owner.operator_id,
            due_at=(created + timedelta(hours=rnd.randint(1, 60))),
            escalated_at=created if is_open and rnd.random() < 0.05 else None,
            created_at=created, updated_at=created,
            shift_id=owner.shift_id, desk_id=owner.desk_id, reopened_count=0, anonymised=False))
        if len(rows) >= 5000:
            flush()
    if rows:
        flush()


def _time(fn, rounds: int) -> dict:
    xs = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        xs.append((time.perf_counter() - t0) * 1000)
    xs.sort()
    return {"p50": round(statistics.median(xs), 2), "p95": round(xs[int(0.95 * (len(xs) - 1))], 2),
            "max": round(xs[-1], 2)}


def run(url: str | None, n_open: int, n_closed: int, rounds: int) -> list[tuple[str, dict]]:
    from deskconsole.clock import FakeClock
    from deskconsole.db.store import Store
    from deskconsole.services import operators, shifts
    from deskconsole.services.sla import rules_from
    from deskconsole.services.tickets.queues import QUEUES, QueueQuery, fetch_page

    tmp = Path(tempfile.mkdtemp())
    store = Store(url or f"sqlite:///{tmp / 'bench.db'}").open()
    clock = FakeClock(NOW)

    def sign(staff_no, name):
        def work(s):
            op = operators.create_operator(s, staff_no=staff_no, name=name, role="receptionist", pin="2468",
                                           now=clock.now())
            return shifts.sign_on(s, op, desk_name="Lobby-1", clock=clock)
        return store.write(work)

    actor, other = sign("101", "李娜"), sign("102", "赵敏")
    t0 = time.perf_counter()
    _fill(store, actor, other, n_open, n_closed)
    results = [(f"fill {n_open} open + {n_closed} closed (s)", {"p50": round(time.perf_counter() - t0, 1)})]
    rules = rules_from(_config(tmp))

    def page(q, after=None):
        with store.read() as s:
            return fetch_page(s, actor, q, after=after, rules=rules)

    for name in QUEUES:
        q = QueueQuery(queue=name, sort="newest" if name == "all" else "due", department="engineering")
        first = page(q)
        results.append((f"{name}: first page ({len(first.rows)} rows)", _time(lambda q=q: page(q), rounds)))
        if first.next_cursor:
            results.append((f"{name}: next page", _time(lambda q=q, c=first.next_cursor: page(q, c), rounds)))
    deep = page(QueueQuery(queue="all", sort="due"))
    for _ in range(200):  # 200 pages in: keyset cost does not grow with depth
        deep = page(QueueQuery(queue="all", sort="due"), deep.next_cursor) if deep.next_cursor else deep
    if deep.next_cursor:
        results.append(("all by due: page 201", _time(
            lambda c=deep.next_cursor: page(QueueQuery(queue="all", sort="due"), c), rounds)))
    from deskconsole.services.counters import counters

    def header():
        with store.read() as s:
            counters(s, actor)

    results.append(("header counters (foundation, every refresh)", _time(header, rounds)))
    for text in ("3-0101", "13900012", "#4242", "漏水", "no such words"):
        results.append((f"search '{text}'", _time(lambda text=text: page(QueueQuery(search=text)), rounds)))
    try:
        results += asyncio.run(_screen(store, clock, tmp, rounds=max(3, rounds // 4)))
    except Exception as exc:  # noqa: BLE001 - a bench reports what it could not measure
        results.append((f"screen: not measurable ({type(exc).__name__}: {exc})", {}))
    store.close()
    return results


def _config(tmp: Path):
    from deskconsole.config import Config

    return Config(site_name="Bench", desk_name="Lobby-1", language="en", timezone="Asia/Shanghai",
                  data_dir=tmp, idle_lock_minutes=0)


async def _screen(store, clock, tmp, rounds: int) -> list[tuple[str, dict]]:
    from bench.ui_probe import _settle as settle
    from bench.ui_probe import sign_on
    from deskconsole.ui.app import DeskApp

    app = DeskApp(config=_config(tmp), store=store, clock=clock)
    app.animation_level = "none"
    out = []
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        xs, ys = [], []
        for _ in range(rounds):
            t0 = time.perf_counter()
            await pilot.press("f4")
            await settle(pilot)
            xs.append((time.perf_counter() - t0) * 1000)
            await pilot.press("7")
            await settle(pilot)
            t0 = time.perf_counter()
            await pilot.press("right_square_bracket")
            await settle(pilot)
            ys.append((time.perf_counter() - t0) * 1000)
            await pilot.press("f2" if "reception" in app._modes else "f4")
            await settle(pilot)
        out.append(("screen: F4 to a filled queue (ms)", {"p50": round(statistics.median(xs), 1), "max": round(max(xs), 1)}))
        out.append(("screen: ] next page of All (ms)", {"p50": round(statistics.median(ys), 1), "max": round(max(ys), 1)}))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--open", type=int, default=100_000)
    ap.add_argument("--closed", type=int, default=50_000)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--db", default=None, help="an empty database URL (default: a scratch SQLite file)")
    args = ap.parse_args()
    for label, stats in run(args.db, args.open, args.closed, args.rounds):
        print(f"{label:<44} " + "  ".join(f"{k} {v}" for k, v in stats.items()))


if __name__ == "__main__":
    main()
