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
from pathlib import Path
from json.encoder import encode_basestring

from sqlmodel import Session

from deskconsole import oscompat
from deskconsole.demo import digest
from deskconsole.demo.sink import ts
from deskconsole.services import audit, audit_rows
from deskconsole.services.audit_key import AuditKey

ACTION = "seal"
CHUNK = 5000
RANGE = 20_000  # ids per worker task
_LOST = "a demo seal worker stopped unexpectedly"


def payload_head(at_text: str, entity: str) -> str:
    """The start of a seal event's chain payload, the same for every row of `entity`."""
    j = audit.json_value
    return f"[{j(at_text)},null,null,null,{j(ACTION)},{j(entity)},"


def payload(head: str, eid: str, after: str, prev: str) -> str:
    """audit.chain_payload(at, None, None, None, "seal", entity, eid, None, after, prev)."""
    return f'{head}"{eid}",null,{encode_basestring(after)},"{prev}"]'


def seal_rows(conn, insert_sql: str, last_id: int, last_hash: str, now: datetime, key: AuditKey,
              progress: Callable[[int], None] | None = None, workers: int | None = None) -> tuple[int, str, int]:
    """Append the seal events; returns the chain's new end and how many were added."""
    at = now.astimezone(UTC).replace(microsecond=0)  # as the stored text holds it
    at_text, at_stored = at.isoformat(), ts(int(at.timestamp()))
    heads = {entity: payload_head(at_text, entity) for entity in audit_rows.SEALED}
    mac = key.mac
    prev, next_id, added, chunk = last_hash, last_id, 0, []
    for entity, rows in _afters(conn, workers):
        head = heads[entity]
        for eid, after in rows:
            h = mac(payload(head, eid, after, prev))
            next_id += 1
            chunk.append((next_id, at_stored, None, None, None, ACTION, entity, eid, after, prev, h))
            prev = h
        if len(chunk) >= CHUNK:
            added += _flush(conn, insert_sql, chunk, progress, added)
    added += _flush(conn, insert_sql, chunk, progress, added)
    return next_id, prev, added


def _flush(conn, insert_sql: str, chunk: list, progress, added: int) -> int:
    n = len(chunk)
    if n:
        conn.exec_driver_sql(insert_sql, chunk)
        chunk.clear()
        if progress:
            progress(added + n)
    return n


def _afters(conn, workers: int | None) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """(entity, [(id as text, after text), ...]) in table and id order."""
    if conn.dialect.name != "sqlite":
        yield from _in_process(conn)
        return
    tasks, path = _tasks(conn), _wal_file(conn)
    n = max(0, min(len(tasks), (os.cpu_count() or 1) if workers is None else workers))
    if n == 0 or path is None:  # on this connection, between the appends
        raw, shared = conn.connection.driver_connection, {}
        for task in tasks:
            yield task[0], _work(raw, conn.dialect, task, shared)
        return
    yield from _Workers(path, tasks, n).results()


def _in_process(conn) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    session = Session(bind=conn)
    for entity, rid, seal in audit_rows.seals(session):
        children = [(name, seal[name]) for name in (c.name for c in audit_rows.SEALED[entity].children)]
        yield entity, [(str(rid), digest.after_text((seal["d"], seal["c"]), children))]


def _wal_file(conn) -> str | None:
    """The store's file, if other connections can read it while this one appends (WAL)."""
    raw = conn.connection.driver_connection
    path = next((row[2] for row in raw.execute("PRAGMA database_list") if row[1] == "main"), "")
    if not path or str(raw.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
        return None
    return path


def _tasks(conn) -> list[tuple[str, int, int]]:
    """(entity, lo, hi): every audited table cut into id ranges of RANGE."""
    out = []
    for spec in audit_rows.SEALED.values():
        lo, hi = conn.exec_driver_sql(f'SELECT min(id), max(id) FROM "{spec.table.name}"').one()
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
