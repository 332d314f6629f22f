"""`python -m bench.audit_verify_probe DB`: a full `audit verify` of a store, in-process, as
the command runs it (the keyed chain and its checkpoints, then every sealed record): CPU and
wall seconds of each part, events and records checked, and the peak RSS of the process
(the walk streams: it must not grow with the store). Prints one JSON object.

The key is the one the store was generated with (DESKCONSOLE_HOME / DESKCONSOLE_AUDIT_KEY_FILE
of the bench run)."""

from __future__ import annotations

import argparse
import json
import resource
import time


def _timed(fn):
    cpu, wall = time.process_time(), time.perf_counter()
    value = fn()
    return value, round(time.process_time() - cpu, 2), round(time.perf_counter() - wall, 2)


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.audit_verify_probe")
    ap.add_argument("db")
    args = ap.parse_args()
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
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(json.dumps({
        "events": chain.checked, "chain_ok": chain.ok and not missed, "records": done[0], "findings": findings,
        "chain": {"cpu_s": chain_cpu, "wall_s": chain_wall}, "records_check": {"cpu_s": rows_cpu, "wall_s": rows_wall},
        "cpu_s": round(chain_cpu + rows_cpu, 2), "wall_s": round(chain_wall + rows_wall, 2), "peak_rss_mb": rss}))


if __name__ == "__main__":
    main()
