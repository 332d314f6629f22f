"""A full `audit verify` of a big store on every core: the chain walk (services/audit.py) and
the records check (services/audit_rows.py) cut into id ranges of each table, shared by worker
processes, each with its own connection (SQLite and PostgreSQL alike). The work and the
results are those of the one-process check: the chain's VerifyResult, and the records' findings
in table and id order (the first `keep`, and how many in all). Memory: each part hands back at
most `keep` findings; rows stream in each worker as in one process.

Processes are forked (Linux: the workers start without importing anything again); each opens
the store anew (a forked connection must not be used by two processes). Where fork is not
available the check runs in one process."""

from __future__ import annotations

import multiprocessing as mp
import os
from contextlib import nullcontext
from dataclasses import dataclass, field

from sqlalchemy import func, select

from deskconsole import oscompat
from deskconsole.services import audit_walk

PART = 100_000  # rows of one table checked by one task
KEEP = 50


@dataclass
class Checked:
    chain: object  # audit.VerifyResult
    findings: list = field(default_factory=list)  # the first KEEP, in table and id order
    found: int = 0
    rows: int = 0


def parts(session, part: int = PART) -> list[tuple[str, int, int | None]]:
    """(entity, first id, end id or None for the rest) covering every sealed table, in the
    order the one-process check takes them; the last part of a table also looks for rows
    gone since their events."""
    from deskconsole.services.audit_rows import SEALED

    out = []
    for name, spec in SEALED.items():
        t = spec.table
        low, high = session.execute(select(func.min(t.c.id), func.max(t.c.id))).one()
        edges = [audit_walk.FIRST_ID]  # every row, one with an id below 1 too
        if low is not None:
            cut = max(low, 0) + part
            while cut <= high:
                edges.append(cut)
                cut += part
        out.extend((name, lo, edges[i + 1] if i + 1 < len(edges) else None) for i, lo in enumerate(edges))
    return out


def workers_for(url: str) -> int:
    # Forked workers only (they inherit the loaded key and catalogs): elsewhere, one process.
    if oscompat.process_start_method() != "fork" or ":memory:" in url or url.rstrip("/").endswith("sqlite:"):
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


# -- in the worker --------------------------------------------------------------------------
_W: dict = {}


def _init(url, keys, key, pins, events, rows) -> None:
    from deskconsole.db.store import Store

    _W.update(store=Store(url, keys=keys).open(migrate=False), key=key, pins=pins, events=events, rows=rows)


def _task(task):
    kind, arg = task
    store = _W["store"]
    if kind == "chain":
        from deskconsole.services import audit

        events = _W["events"]

        def moved(done, _total) -> None:
            events.value = done

        with store.read() as s:
            return audit.verify(s, _W["key"], pins=_W["pins"], progress=moved)
    from deskconsole.services.audit_rows import SEALED, _scan

    entity, lo, hi = arg
    rows, pending = _W["rows"], [0]

    def step(n: int) -> None:
        pending[0] += n
        if pending[0] >= 2000:
            with rows.get_lock():
                rows.value += pending[0]
            pending[0] = 0

    kept, found = [], 0
    with store.read() as s:
        for finding in _scan(s, SEALED[entity], lo, None, step, 2000, end=hi, deleted=hi is None):
            found += 1
            if len(kept) < KEEP:
                kept.append(finding)
    with rows.get_lock():
        rows.value += pending[0]
    return kept, found


# -- in the command -------------------------------------------------------------------------
def verify_all(store, key, pins: frozenset[int], tasks: list, workers: int, show=None, chain_done=None) -> Checked:
    """The chain walk and the record parts `tasks` (from parts()) on `workers` processes.
    show(): a context manager giving progress(events walked, rows checked), entered once the
    workers are started (no thread of the caller's is forked), called about five times a
    second; chain_done(VerifyResult) as soon as the chain walk ends: it may stop the check
    (raise) when the chain is broken."""
    ctx = mp.get_context(oscompat.process_start_method())  # fork: workers_for() said so
    events, rows = ctx.Value("q", 0, lock=False), ctx.Value("q", 0)
    store.engine.dispose()  # no pooled connection is carried into the workers
    jobs = [("chain", None)] + [("rows", t) for t in tasks]
    with ctx.Pool(workers, _init, (store.url, store.keys, key, pins, events, rows)) as pool, \
            (show() if show is not None else nullcontext(None)) as progress:
        results = pool.imap(_task, jobs)
        out = Checked(chain=None)
        for i in range(len(jobs)):
            while True:
                try:
                    value = results.next(timeout=0.2)
                    break
                except mp.TimeoutError:
                    if progress is not None:
                        progress(events.value, rows.value)
            if i == 0:
                out.chain = value
                if chain_done is not None:
                    chain_done(value)
                continue
            kept, found = value
            out.findings.extend(kept[:KEEP - len(out.findings)])
            out.found += found
        out.rows = rows.value
        if progress is not None:
            progress(events.value, rows.value)
    return out
