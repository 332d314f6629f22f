"""Seal every record the demo wrote: one `seal` event per audited row, appended to the chain
after the generated days, each carrying the row's seal as read back from the database.

The events are those an upgraded store gets for its older rows: the demo's history did not
pass through the services, so its rows are sealed as they stand. Their `after` texts, chain
payloads and HMACs are byte for byte what services/audit_rows and services/audit give
(tests/unit/test_seal_format.py pins them, tests/unit/test_demo_seal.py compares the seals).

On a SQLite file the seals are worked out by worker processes (demo/digest.py: raw sqlite3
reads, per-column memos), each reading its own id ranges on its own connection, while this
process hashes the chain in order and appends the events: the HMAC chain stays sequential.
Ranges go to the workers in turn and are taken back in the same order, one message each, so
memory holds a few ranges whatever the store's size. Elsewhere (PostgreSQL, an in-memory
store) the seals come from audit_rows.seals() in this process."""

from __future__ import annotations

import marshal
import os
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from json.encoder import encode_basestring
from pathlib import Path

from sqlmodel import Session

from deskconsole import oscompat
from deskconsole.demo import digest
from deskconsole.demo.sink import ts
from deskconsole.services import audit, audit_rows
from deskconsole.services.audit_key import AuditKey

ACTION = "seal"
CHUNK = 5000
RANGE = 20_000  # ids per worker task
STAGE_SUFFIX = ".demo-seal"
_ALIAS = "demo_seal"
_LOST = "a demo seal worker stopped unexpectedly"


def payload_head(at_text: str, entity: str) -> str:
    """The start of a seal event's chain payload, the same for every row of `entity`."""
    j = audit.json_value
    return f"[{j(at_text)},null,null,null,{j(ACTION)},{j(entity)},"


def payload(head: str, eid: str, after: str, prev: str) -> str:
    """audit.chain_payload(at, None, None, None, "seal", entity, eid, None, after, prev)."""
    return f'{head}"{eid}",null,{encode_basestring(after)},"{prev}"]'


def seal_rows(conn, insert_sql: str, last_id: int, last_hash: str, now: datetime, key: AuditKey,
              progress: Callable[[int], None] | None = None) -> tuple[int, str, int]:
    """Append the seal events on `conn` (PostgreSQL: the seals read with Core, in this
    process); returns the chain's new end and how many were added."""
    at_text, at_stored = _at(now)

    def flush(rows: list) -> None:
        conn.exec_driver_sql(insert_sql, [(i, at_stored, None, None, None, ACTION, e, eid, after, prev, h)
                                          for i, e, eid, after, prev, h in rows])

    return _chain(_in_process(conn), last_id, last_hash, at_text, key, flush, progress)


def seal_sqlite(raw, dialect, last_id: int, last_hash: str, now: datetime, key: AuditKey,
                progress: Callable[[int], None] | None = None,
                workers: int | None = None) -> tuple[int, str, int]:
    """Append the seal events to a SQLite store in bulk mode (raw sqlite3 connection, no
    transaction open, the audit trail's indexes not built yet): the events are staged in a
    file beside the store (so the store is only read while the workers read it), then copied
    in with one INSERT ... SELECT. Returns the chain's new end and how many were added."""
    at_text, at_stored = _at(now)
    path = next((row[2] for row in raw.execute("PRAGMA database_list") if row[1] == "main"), "")
    stage = f"{path}{STAGE_SUFFIX}" if path else ":memory:"
    tasks = _tasks(raw)
    n = max(0, min(len(tasks), (os.cpu_count() or 1) if workers is None else workers)) if path else 0
    if n:
        afters = _Workers(path, tasks, n).results()
    else:
        shared: dict = {}
        afters = ((task[0], _work(raw, dialect, task, shared)) for task in tasks)
    _discard(stage)
    raw.execute(f"ATTACH DATABASE ? AS {_ALIAS}", (stage,))
    try:
        for pragma in ("journal_mode = OFF", "synchronous = OFF"):
            raw.execute(f"PRAGMA {_ALIAS}.{pragma}")
        raw.execute(f"CREATE TABLE {_ALIAS}.seal (id INTEGER PRIMARY KEY, entity TEXT, entity_id TEXT, "
                    f"after TEXT, prev_hash TEXT, hash TEXT)")
        insert = f"INSERT INTO {_ALIAS}.seal VALUES (?, ?, ?, ?, ?, ?)"
        raw.execute("BEGIN")
        end = _chain(afters, last_id, last_hash, at_text, key, lambda rows: raw.executemany(insert, rows),
                     progress)
        raw.execute("COMMIT")
        raw.execute("BEGIN")
        raw.execute(f'INSERT INTO main.audit_event (id, at, operator_id, desk_id, shift_id, action, entity, '
                    f'entity_id, "before", after, prev_hash, hash) SELECT id, ?, NULL, NULL, NULL, ?, entity, '
                    f'entity_id, NULL, after, prev_hash, hash FROM {_ALIAS}.seal ORDER BY id', (at_stored, ACTION))
        raw.execute("COMMIT")
    finally:
        afters.close()  # the workers stop with it (on a failure, before their results are read)
        if raw.in_transaction:
            raw.execute("ROLLBACK")
        raw.execute(f"DETACH DATABASE {_ALIAS}")
        _discard(stage)
    return end


def _at(now: datetime) -> tuple[str, str]:
    at = now.astimezone(UTC).replace(microsecond=0)  # as the stored text holds it
    return at.isoformat(), ts(int(at.timestamp()))


def _chain(afters, last_id: int, last_hash: str, at_text: str, key: AuditKey, flush,
           progress) -> tuple[int, str, int]:
    """Hash the events in order (the chain is sequential), handing rows of (id, entity, id as
    text, after, prev_hash, hash) to `flush`, CHUNK or more at a time."""
    heads = {entity: payload_head(at_text, entity) for entity in audit_rows.SEALED}
    mac, chunk = key.macs(), []
    add = chunk.append
    prev, next_id, added = last_hash, last_id, 0
    for entity, rows in afters:
        head = heads[entity]
        for eid, after in rows:
            h = mac(f'{head}"{eid}",null,{encode_basestring(after)},"{prev}"]')  # = payload()
            next_id += 1
            add((next_id, entity, eid, after, prev, h))
            prev = h
        if len(chunk) >= CHUNK:
            added = _flush(flush, chunk, added, progress)
    added = _flush(flush, chunk, added, progress)
    return next_id, prev, added


def _flush(flush, chunk: list, added: int, progress) -> int:
    if chunk:
        flush(chunk)
        added += len(chunk)
        chunk.clear()
        if progress:
            progress(added)
    return added


def _discard(path: str) -> None:
    if path == ":memory:":
        return
    for suffix in ("", "-journal", "-wal", "-shm"):
        try:
            os.unlink(path + suffix)
        except FileNotFoundError:
            pass


def _in_process(conn) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    session = Session(bind=conn)
    for entity, rid, seal in audit_rows.seals(session):
        children = [(name, seal[name]) for name in (c.name for c in audit_rows.SEALED[entity].children)]
        yield entity, [(str(rid), digest.after_text((seal["d"], seal["c"]), children))]


def _tasks(raw) -> list[tuple[str, int, int]]:
    """(entity, lo, hi): every audited table cut into id ranges of RANGE."""
    out = []
    for spec in audit_rows.SEALED.values():
        lo, hi = raw.execute(f'SELECT min(id), max(id) FROM "{spec.table.name}"').fetchone()
        if lo is None:
            continue
        for start in range(lo, hi + 1, RANGE):
            out.append((spec.entity, start, start + RANGE))
    return out


def _work(raw, dialect, task: tuple[str, int, int], shared: dict) -> list[tuple[str, str]]:
    entity, lo, hi = task
    spec = audit_rows.SEALED[entity]
    after = digest.after_text
    return [(str(rid), after(d, children)) for rid, d, children in digest.walk(raw, spec, dialect, lo, hi, shared)]


class _Workers:
    """`n` processes; task i goes to worker i % n, its result is read back in task order."""

    def __init__(self, path: str, tasks: list, n: int) -> None:
        import multiprocessing as mp

        self.tasks = tasks
        ctx = mp.get_context(oscompat.process_start_method())
        self.pipes, self.procs = [], []
        for w in range(n):
            receive, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_worker, name=f"deskconsole-seal-{w}", daemon=True,
                               args=(path, tasks[w::n], send, receive, os.getpid()))
            self.pipes.append(receive)
            self.procs.append((proc, send))

    def results(self) -> Iterator[tuple[str, list[tuple[str, str]]]]:
        try:
            for proc, send in self.procs:
                proc.start()
                send.close()
            n = len(self.pipes)
            for i, task in enumerate(self.tasks):
                yield task[0], self._next(i % n)
        finally:
            for receive in self.pipes:
                receive.close()
            for proc, _send in self.procs:
                if proc.is_alive():
                    proc.terminate()
                proc.join()

    def _next(self, w: int) -> list:
        receive, proc = self.pipes[w], self.procs[w][0]
        while not receive.poll(2):
            if not proc.is_alive() and not receive.poll(0):
                raise RuntimeError(_LOST)
        try:
            msg = marshal.loads(receive.recv_bytes())
        except EOFError:
            raise RuntimeError(_LOST) from None
        if msg[0] == "error":
            raise RuntimeError(f"demo seal worker failed: {msg[1]}")
        return msg[1]


def _worker(path: str, tasks: list, send, receive, parent_pid: int) -> None:
    import signal

    from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite

    receive.close()  # the parent's end (see demo/pipe.py: a full pipe must break if it dies)
    oscompat.die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raw = None
    try:
        raw = sqlite3.connect(Path(path).as_uri() + "?mode=ro", uri=True)
        dialect, shared = SQLiteDialect_pysqlite(), {}
        for task in tasks:
            send.send_bytes(marshal.dumps(("rows", _work(raw, dialect, task, shared))))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises
        try:
            send.send_bytes(marshal.dumps(("error", f"{type(exc).__name__}: {exc}")))
        except (OSError, ValueError):
            pass
    finally:
        if raw is not None:
            raw.close()
