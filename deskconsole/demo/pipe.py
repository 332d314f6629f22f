"""The demo generator's pipeline (SQLite, 60 days or more): the rows are generated in a forked
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
import sqlite3
from collections.abc import Callable

from deskconsole.demo import sink as demo_sink

STAGED = ("visit",)  # the widest table: binding its 27 values a row is the largest single cost
_ALIAS = "demo_stage"
_LOST = "the demo generator process stopped unexpectedly"


class Pipeline:
    """`run(plan, emit)` in a forked child. Built in the parent before the load drops the
    store's indexes (it copies the staged tables' definitions).

    `rows(emit)` hands every chunk the child generates to `emit` and returns the chain's end
    and the staged row counts; the child then builds the staged tables' indexes until
    `merge(raw)` asks it to stop (whatever it has not built by then, the parent builds after
    the copy: the two cores share the index builds whatever the machine's load)."""

    def __init__(self, raw, run: Callable, plan, *, staged: tuple[str, ...] = STAGED) -> None:
        import multiprocessing as mp

        main = next((row[2] for row in raw.execute("PRAGMA database_list") if row[1] == "main"), "")
        self.tables = staged if main else ()  # an in-memory store has no directory to stage in
        self.path = f"{main}.demo-stage"
        marks = ", ".join("?" * len(self.tables))
        rows = raw.execute(f"SELECT type, sql FROM sqlite_master WHERE sql IS NOT NULL "
                           f"AND tbl_name IN ({marks}) ORDER BY type = 'index', name", self.tables).fetchall()
        self.ddl = [sql for kind, sql in rows if kind == "table"]
        self.deferred = [sql for kind, sql in rows if kind == "index"]  # the store skips these
        self.sql = {t: demo_sink.insert_sql("sqlite")[t] for t in self.tables}
        self.run, self.plan = run, plan
        self.ctx = mp.get_context("fork")
        self.stop = self.ctx.Event()
        self.receive, self.send = self.ctx.Pipe(duplex=False)
        self.proc = None

    # -- in the child ----------------------------------------------------------------------
    def _child(self) -> None:
        send = self.send
        try:
            con, counts = self._open() if self.tables else None, {}

            def forward(rows: dict[str, list], done: int) -> None:
                if con is not None:
                    self._write(con, rows, counts)
                send.send_bytes(marshal.dumps(("rows", rows, done)))

            last_id, last_hash = self.run(self.plan, forward)
            send.send_bytes(marshal.dumps(("generated", last_id, last_hash, counts)))
            built = []
            for sql in self.deferred:
                if self.stop.is_set():
                    break
                con.execute(sql)
                built.append(sql)
            if con is not None:
                con.close()
            send.send_bytes(marshal.dumps(("indexed", built)))
        except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises
            send.send_bytes(marshal.dumps(("error", f"{type(exc).__name__}: {exc}")))

    def _open(self) -> sqlite3.Connection:
        self.discard()
        con = sqlite3.connect(self.path, isolation_level=None)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -131072",
                       "temp_store = MEMORY"):
            con.execute(f"PRAGMA {pragma}")
        for sql in self.ddl:
            con.execute(sql)
        return con

    def _write(self, con: sqlite3.Connection, rows: dict[str, list], counts: dict[str, int]) -> None:
        con.execute("BEGIN")
        for name in self.tables:
            batch = rows.pop(name, None)
            if batch:
                con.executemany(self.sql[name], batch)
                counts[name] = counts.get(name, 0) + len(batch)
        con.execute("COMMIT")

    # -- in the parent ---------------------------------------------------------------------
    def rows(self, emit: Callable[[dict[str, list], int], None]) -> tuple[int, str, dict[str, int]]:
        self.proc = self.ctx.Process(target=self._child, name="deskconsole-demo", daemon=True)
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
        if not self.tables:
            return
        for suffix in ("", "-journal", "-wal", "-shm"):
            try:
                os.unlink(self.path + suffix)
            except FileNotFoundError:
                pass
