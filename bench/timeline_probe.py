"""The timeline of the busiest unit and the busiest caller: `python -m bench.timeline_probe DB`
prints JSON (median CPU ms and median wall ms of the first page with its open tickets, the
second page, and the call form's open-tickets banner), with the row counts behind them.

The busiest unit and number are found first (a full count, outside the timed part)."""

from __future__ import annotations

import json
import statistics
import sys
import time

from sqlalchemy import text

from deskconsole.db.store import Store
from deskconsole.services import timeline as tl

BUSIEST = {
    "unit": """SELECT unit, count(*) n FROM (SELECT unit FROM visit UNION ALL SELECT unit FROM call
               UNION ALL SELECT unit FROM ticket) WHERE unit <> '' GROUP BY unit ORDER BY n DESC LIMIT 1""",
    "phone": """SELECT phone, count(*) n FROM (SELECT phone FROM visit UNION ALL SELECT phone FROM call
               UNION ALL SELECT phone FROM ticket) WHERE phone IS NOT NULL GROUP BY phone ORDER BY n DESC LIMIT 1""",
}


def _times(fn, runs: int = 30) -> dict:
    cpu, wall = [], []
    fn()  # warm: page cache, statement cache
    for _ in range(runs):
        c, w = time.thread_time(), time.perf_counter()
        fn()
        cpu.append(time.thread_time() - c)
        wall.append(time.perf_counter() - w)
    return {"cpu_ms": round(statistics.median(cpu) * 1000, 2), "wall_ms": round(statistics.median(wall) * 1000, 2),
            "wall_max_ms": round(max(wall) * 1000, 2)}


def probe(path: str) -> dict:
    store = Store(f"sqlite:///{path}").open()
    out = {}
    with store.read() as s:
        for kind, sql in BUSIEST.items():
            value, rows = s.execute(text(sql)).one()
            target = tl.Target.of(**{kind: value})
            first = tl.page(s, target)
            last = first.entries[-1]
            after = tl.Cursor(last.at, last.source, last.id)
            out[kind] = {
                "rows": rows, "open_tickets": first.open_count,
                "first_page": _times(lambda target=target: tl.page(s, target)),
                "second_page": _times(lambda target=target, after=after: tl.page(s, target, after=after)),
                "banner": _times(lambda target=target: tl.open_tickets(s, target)),
            }
    store.close()
    return out


if __name__ == "__main__":
    json.dump(probe(sys.argv[1]), sys.stdout, indent=2)
    print()
