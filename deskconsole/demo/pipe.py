"""The demo generator's pipeline (SQLite, 60 days or more): the rows are generated in a child
process while this one writes them, and the work is split so that both cores stay busy.

- The child generates every table. It writes the visits itself, into a staging database next
  to the store (same table and index definitions), and at the end builds the visit indexes
  there while the parent builds the others; those it has not built when the parent is done,
  the parent builds after the copy (the split follows the machine's load).
- The other tables come to the parent through a pipe as marshal bytes (about twice as fast as
  pickle for tuples of str/int/float/None) and are written into the store as they arrive.
- At the end the parent copies the staged visits, index entries included, with one
  `INSERT INTO visit SELECT * FROM stage.visit`: SQLite's transfer optimisation copies the
  records and index entries without decoding them, several times cheaper than binding them.

The staging file is deleted whatever happens. The data are the same as without the pipeline
(tests/unit/test_demo.py compares them)."""

from __future__ import annotations

import marshal
import os
import signal
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from deskconsole import oscompat
from deskconsole.demo import sink as demo_sink

STAGED = ("visit",)  # the widest table: binding its 27 values a row is the largest single cost
_ALIAS = "demo_stage"
_LOST = "the demo generator process stopped unexpectedly"


@dataclass(frozen=True)
class _Job:
    """What the child needs: plain, picklable data (a `spawn` child gets it by pickle)."""

    run: Callable
    plan: object
    path: str
    tables: tuple[str, ...]
    ddl: list[str]
    deferred: list[str]
    sql: dict[str, str]


class Pipeline:
    """`run(plan, emit)` in a child process. Built in the parent before the load drops the
    store's indexes (it copies the staged tables' definitions).

    `rows(emit)` hands every chunk the child generates to `emit` and returns the chain's end
    and the staged row counts; the child then builds the staged tables' indexes until
    `merge(raw)` asks it to stop (whatever it has not built by then, the parent builds after
    the copy: the two cores share the index builds whatever the machine's load).

    The child is started with `fork` where the system has it, else `spawn` (Windows); `method`
    forces one. It never outlives the parent: it closes its copy of the pipe's read end (or a
    dead parent would leave it blocked on a full pipe forever), asks the kernel for a signal
    when the parent dies (Linux), and stops on a broken pipe (everywhere)."""

    def __init__(self, raw, run: Callable, plan, *, staged: tuple[str, ...] = STAGED,
                 method: str | None = None) -> None:
        import multiprocessing as mp

        main = next((row[2] for row in raw.execute("PRAGMA database_list") if row[1] == "main"), "")
        self.tables = staged if main else ()  # an in-memory store has no directory to stage in
        self.path = f"{main}.demo-stage"
        marks = ", ".join("?" * len(self.tables))
        rows = raw.execute(f"SELECT type, sql FROM sqlite_master WHERE sql IS NOT NULL "
                           f"AND tbl_name IN ({marks}) ORDER BY type = 'index', name", self.tables).fetchall()
        self.ddl = [sql for kind, sql in rows if kind == "table"]
        self.deferred = [sql for kind, sql in rows if kind == "index"]  # the store skips these
        sql = {t: demo_sink.insert_sql("sqlite")[t] for t in self.tables}
        self.job = _Job(run, plan, self.path, self.tables, self.ddl, self.deferred, sql)
        self.ctx = mp.get_context(method or oscompat.process_start_method())
        self.stop = self.ctx.Event()
        self.receive, self.send = self.ctx.Pipe(duplex=False)
        self.proc = None

    # -- in the parent ---------------------------------------------------------------------
    def rows(self, emit: Callable[[dict[str, list], int], None]) -> tuple[int, str, dict[str, int]]:
        self.proc = self.ctx.Process(target=_child, name="deskconsole-demo", daemon=True,
                                     args=(self.job, self.stop, self.send, self.receive, os.getpid()))
        self.proc.start()
        self.send.close()
        while True:
            msg = self._next()
            if msg[0] == "rows":
                emit(msg[1], msg[2])
            elif msg[0] == "generated":
                return msg[1], msg[2], msg[3]
            else:
                raise RuntimeError(f"unexpected message from the demo generator: {msg[0]}")

    def _next(self) -> tuple:
        while not self.receive.poll(2):
            if not self.proc.is_alive() and not self.receive.poll(0):
                raise RuntimeError(_LOST)
        try:
            msg = marshal.loads(self.receive.recv_bytes())
        except EOFError:
            raise RuntimeError(_LOST) from None
        if msg[0] == "error":
            raise RuntimeError(f"demo generator failed: {msg[1]}")
        return msg

    def merge(self, raw) -> None:
        """Copy the staged tables into the store, with the indexes the child built (created
        empty here first, so that SQLite copies their entries too), then build the rest."""
        self.stop.set()
        msg = self._next()
        if msg[0] != "indexed":
            raise RuntimeError(f"unexpected message from the demo generator: {msg[0]}")
        built = msg[1]
        if not self.tables:
            return
        for sql in built:
            raw.execute(sql)
        raw.execute(f"ATTACH DATABASE ? AS {_ALIAS}", (self.path,))
        try:
            raw.execute("BEGIN")
            for name in self.tables:
                raw.execute(f'INSERT INTO main."{name}" SELECT * FROM {_ALIAS}."{name}"')
            raw.execute("COMMIT")
        finally:
            raw.execute(f"DETACH DATABASE {_ALIAS}")
        self.discard()
        for sql in self.deferred:
            if sql not in built:
                raw.execute(sql)

    def close(self) -> None:
        self.receive.close()
        if self.proc is not None:
            if self.proc.is_alive():
                self.proc.terminate()
            self.proc.join()
        self.discard()

    def discard(self) -> None:
        if self.tables:
            _discard(self.path)


# -- in the child --------------------------------------------------------------------------
def _child(job: _Job, stop, send, receive, parent_pid: int) -> None:
    receive.close()  # the parent's end: kept open here, a full pipe would never break
    oscompat.die_with_parent(parent_pid)
    # Ctrl+C reaches the whole process group: the parent handles it and stops this child;
    # SIGTERM (the parent stopping it, or the parent's death on Linux) ends it cleanly.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_now)
    con = None
    try:
        con, counts = _open(job) if job.tables else None, {}

        def forward(rows: dict[str, list], done: int) -> None:
            if con is not None:
                _write(job, con, rows, counts)
            send.send_bytes(marshal.dumps(("rows", rows, done)))

        last_id, last_hash = job.run(job.plan, forward)
        send.send_bytes(marshal.dumps(("generated", last_id, last_hash, counts)))
        built = []
        for sql in job.deferred:
            if stop.is_set():
                break
            con.execute(sql)
            built.append(sql)
        if con is not None:
            con.close()
        send.send_bytes(marshal.dumps(("indexed", built)))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises
        if con is not None:
            con.close()
        try:
            send.send_bytes(marshal.dumps(("error", f"{type(exc).__name__}: {exc}")))
        except (OSError, ValueError):  # the parent is gone: nobody will merge the stage
            if job.tables:
                _discard(job.path)


def _stop_now(signum, frame) -> None:
    raise SystemExit(1)


def _open(job: _Job) -> sqlite3.Connection:
    _discard(job.path)
    con = sqlite3.connect(job.path, isolation_level=None)
    for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -131072",
                   "temp_store = MEMORY"):
        con.execute(f"PRAGMA {pragma}")
    for sql in job.ddl:
        con.execute(sql)
    return con


def _write(job: _Job, con: sqlite3.Connection, rows: dict[str, list], counts: dict[str, int]) -> None:
    con.execute("BEGIN")
    for name in job.tables:
        batch = rows.pop(name, None)
        if batch:
            con.executemany(job.sql[name], batch)
            counts[name] = counts.get(name, 0) + len(batch)
    con.execute("COMMIT")


def _discard(path: str) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        try:
            os.unlink(path + suffix)
        except FileNotFoundError:
            pass
