"""`python -m bench.audit_verify_probe DB`: a full `audit verify` of a store, in-process, as
the command runs it (the keyed chain and its checkpoints, then every sealed record): CPU and
wall seconds of each part, events and records checked, and the peak RSS of the process
(the walk streams: it must not grow with the store). Prints one JSON object. With --parallel:
the check as `audit verify` runs it on a big store, on every core (services/audit_parallel.py):
CPU of this process and its workers, wall, the largest peak RSS.

The key is the one the store was generated with (DESKCONSOLE_HOME / DESKCONSOLE_AUDIT_KEY_FILE
of the bench run)."""

from __future__ import annotations

import argparse
import json
import resource
import time

from bench.rss import peak_rss_kb


def _timed(fn):
    cpu, wall = time.process_time(), time.perf_counter()
    value = fn()
    return value, round(time.process_time() - cpu, 2), round(time.perf_counter() - wall, 2)


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.audit_verify_probe")
    ap.add_argument("db")
    ap.add_argument("--parallel", action="store_true",
                    help="time the check as the command runs it on a big store: on every core (CPU of the workers)")
    args = ap.parse_args()
    if args.parallel:
        return parallel(args.db)
    from deskconsole.cli.audit import verify_chain_and_checkpoints
    from deskconsole.db.store import Store
    from deskconsole.services import audit_rows

    store = Store(f"sqlite:///{args.db}").open()
    try:
        with store.read() as s:
            (chain, missed, _), chain_cpu, chain_wall = _timed(
                lambda: verify_chain_and_checkpoints(s, store.checkpoints_path))
        done = [0]

        def count(n: int, _total) -> None:
            done[0] = n

        with store.read() as s:
            findings, rows_cpu, rows_wall = _timed(
                lambda: sum(1 for _ in audit_rows.verify_rows(s, progress=count)))
    finally:
        store.close()
    rss = peak_rss_kb() // 1024
    print(json.dumps({
        "events": chain.checked, "chain_ok": chain.ok and not missed, "records": done[0], "findings": findings,
        "chain": {"cpu_s": chain_cpu, "wall_s": chain_wall}, "records_check": {"cpu_s": rows_cpu, "wall_s": rows_wall},
        "cpu_s": round(chain_cpu + rows_cpu, 2), "wall_s": round(chain_wall + rows_wall, 2), "peak_rss_mb": rss}))


def parallel(db: str) -> None:
    from deskconsole.db.store import Store
    from deskconsole.models import AuditHead
    from deskconsole.services import audit_parallel
    from deskconsole.services.audit_key import source_for

    store = Store(f"sqlite:///{db}").open()
    wall = time.perf_counter()
    with store.read() as s:
        key = source_for(s).get(create=False)
        head = s.get(AuditHead, 1)
        tasks = audit_parallel.parts(s)
    workers = audit_parallel.workers_for(store.url)
    checked = audit_parallel.verify_all(store, key, frozenset(), tasks, workers)
    wall = round(time.perf_counter() - wall, 2)
    store.close()
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "events": checked.chain.checked, "chain_ok": checked.chain.ok, "head": head.count if head else 0,
        "records": checked.rows, "findings": checked.found, "workers": workers, "parts": len(tasks),
        "cpu_s": round(me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime, 2), "wall_s": wall,
        "peak_rss_mb": max(peak_rss_kb(), kids.ru_maxrss) // 1024}))


if __name__ == "__main__":
    main()
