"""Service-level figures, in process: `python -m bench.service_probe DB` prints JSON.

- summary for one shift and for one month (services/summary.summarize) vs the same figures
  by hand-written SQL on the raw tables (one aggregate query per table), median of runs;
- durable check-in save: `store.write(reception.check_in)` on the real store (WAL,
  synchronous=FULL: each save is fsynced), p50/p95 over many saves;
- every keystroke query of tests/unit/test_query_plans.py (the same probes), median time.
The caller restores the database afterwards (bench/dbs.mark/restore)."""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

HAND_SQL = {
    "visits": """SELECT count(*), sum(party_size), sum(status = 'left'), sum(status = 'waiting'),
                 sum(status = 'in_building'), sum(status = 'cancelled'), sum(apology_shown_at IS NOT NULL),
                 sum(apology_ack_at IS NOT NULL), sum(served_out_of_order),
                 avg(julianday(served_at) - julianday(arrived_at)) * 86400,
                 max(julianday(served_at) - julianday(arrived_at)) * 86400
                 FROM visit WHERE arrived_at >= :a AND arrived_at < :b AND voided_at IS NULL""",
    "visits_by_purpose": """SELECT purpose, count(*) FROM visit WHERE arrived_at >= :a AND arrived_at < :b
                 AND voided_at IS NULL GROUP BY purpose""",
    "visits_by_hour": """SELECT strftime('%H', arrived_at, '+8 hours'), count(*) FROM visit
                 WHERE arrived_at >= :a AND arrived_at < :b AND voided_at IS NULL GROUP BY 1""",
    "calls": """SELECT count(*), sum(direction = 'in'), sum(direction = 'out'), sum(status = 'missed'),
                sum(within_limit = 1), sum(within_limit = 0), avg(answer_seconds), max(answer_seconds),
                sum(status = 'missed' AND returned_at IS NOT NULL), category
                FROM call WHERE started_at >= :a AND started_at < :b AND voided_at IS NULL GROUP BY category""",
    "tickets_created": """SELECT kind, count(*), sum(status = 'closed'), sum(escalated_at IS NOT NULL)
                FROM ticket WHERE created_at >= :a AND created_at < :b GROUP BY kind""",
    "tickets_open": """SELECT count(*), sum(due_at < :now) FROM ticket
                WHERE status IN ('new', 'assigned', 'in_progress')""",
    "follow_ups": """SELECT satisfaction, count(*) FROM follow_up WHERE done_at >= :a AND done_at < :b
                GROUP BY satisfaction""",
    "etiquette": """SELECT kind, count(*), sum(score), sum(max_score), sum(skipped) FROM etiquette_check
                WHERE at >= :a AND at < :b GROUP BY kind""",
}


def _median_ms(fn, runs: int) -> float:
    """Median CPU milliseconds of this thread: stable on a shared, loaded machine, where wall
    time mostly measures waiting for a core. (Queries here are CPU-bound: the database file
    is in the page cache after the first run.)"""
    times = []
    fn()  # warm: page cache, statement cache, imports
    gc.collect()
    gc.disable()  # as timeit does: a full collection of the probe session's objects is not the query's
    try:
        for _ in range(runs):
            started = time.thread_time()
            fn()
            times.append(time.thread_time() - started)
    finally:
        gc.enable()
    return round(statistics.median(times) * 1000, 2)


def _pcts(samples: list[float]) -> dict:
    xs = sorted(samples)
    pick = lambda p: round(xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))] * 1000, 3)  # noqa: E731
    return {"n": len(xs), "p50_ms": pick(0.5), "p95_ms": pick(0.95), "max_ms": round(xs[-1] * 1000, 3)}


def _hand(conn, start, end, now) -> None:
    from deskconsole.demo.sink import sqlite_ts

    params = {"a": sqlite_ts(int(start.timestamp())), "b": sqlite_ts(int(end.timestamp())),
              "now": sqlite_ts(int(now.timestamp()))}
    for sql in HAND_SQL.values():
        conn.exec_driver_sql(sql, params).all()


def summary_figures(store, runs: int) -> dict:
    from sqlalchemy import select

    from bench.dbs import NOW
    from deskconsole.models import Shift
    from deskconsole.services.summary import summarize
    from deskconsole.services.summary.period import Period

    out = {}
    with store.read() as s:
        shift = s.execute(select(Shift.id).where(Shift.ended_at.is_not(None))
                          .order_by(Shift.id.desc()).limit(1)).scalar_one_or_none()
        local = NOW.astimezone(ZoneInfo("Asia/Shanghai")).date()
        periods = {"month": Period.for_range(local - timedelta(days=30), local - timedelta(days=1),
                                             "Asia/Shanghai", NOW)}
        if shift is not None:
            periods["shift"] = Period.for_shift(s, shift, "Asia/Shanghai", NOW)
    for name, period in periods.items():
        with store.read() as s:
            app_ms = _median_ms(lambda p=period: summarize(s, p), runs)
        with store.engine.connect() as conn:
            sql_ms = _median_ms(lambda p=period: _hand(conn, p.start, p.end, NOW), runs)
        out[name] = {"summarize_ms": app_ms, "hand_sql_ms": sql_ms,
                     "ratio": round(app_ms / sql_ms, 2) if sql_ms else None}
    return out


def check_in_saves(store, n: int) -> dict:
    from deskconsole.clock import SystemClock
    from deskconsole.services import operators, reception, shifts

    clock = SystemClock()
    op = operators.authenticate_in(store, staff_no="101", pin="2468", now=clock.now())
    actor = store.write(lambda s: shifts.sign_on(s, op, desk_name="desk-1", clock=clock))
    samples, cpus = [], []
    for i in range(n):
        form = reception.CheckInForm(name="王", honorific="mr", unit="3-1202", purpose="consultation",
                                     phone=f"1380013{i:04d}")
        started, cpu = time.perf_counter(), time.thread_time()
        store.write(lambda s, f=form: reception.check_in(s, actor, f))
        samples.append(time.perf_counter() - started)
        cpus.append(time.thread_time() - cpu)
    return {"wall": _pcts(samples), "cpu": _pcts(cpus)}


def commit_floor(db: str, n: int) -> dict:
    """The baseline for a durable save: one row inserted and committed by raw sqlite3 with the
    store's durability (WAL, synchronous=FULL) in a scratch file next to the database."""
    import os
    import sqlite3

    path = Path(db).with_name("commit-floor.db")
    for p in path.parent.glob(path.name + "*"):
        p.unlink()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, at TEXT, name TEXT)")
    samples = []
    for i in range(n):
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t (at, name) VALUES (?, ?)", ("2026-11-25 03:00:00.000000", f"王{i}"))
        conn.execute("COMMIT")
        samples.append(time.perf_counter() - started)
    conn.close()
    for p in path.parent.glob(path.name + "*"):
        os.unlink(p)
    return _pcts(samples)


def query_probes(store, runs: int) -> dict:
    from bench import query_probes as plans

    out = {}
    with store.read() as s:
        ctx = plans.ctx_for(s)
        for probe in plans.PROBES:
            try:
                module = importlib.import_module(probe.module)
            except ModuleNotFoundError:
                continue
            try:
                out[probe.name] = _median_ms(lambda p=probe, m=module: p.call(m, ctx), runs)
            except Exception as exc:  # noqa: BLE001 - reported, not fatal
                out[probe.name] = f"error: {type(exc).__name__}: {exc}"[:120]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("db")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--saves", type=int, default=200)
    args = ap.parse_args()
    from deskconsole.db.store import Store

    store = Store(f"sqlite:///{args.db}").open()
    result = {"summary": summary_figures(store, args.runs), "queries_ms": query_probes(store, args.runs),
              "check_in_save": check_in_saves(store, args.saves),
              "commit_floor": commit_floor(args.db, args.saves)}
    store.close()
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
