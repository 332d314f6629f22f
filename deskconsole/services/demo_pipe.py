"""The demo generator's pipeline (SQLite, 60 days or more): the rows are generated in a forked
process while this one writes them, and the work is split so that both cores stay busy.

- The child generates every table. It writes the visits itself, into a staging database next
  to the store (same table and index definitions), and builds the visit indexes there at the
  end, while the parent builds the others.
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

from deskconsole.services import demo_sink

STAGED = ("visit",)  # the widest table: binding its 27 values a row is the largest single cost
_ALIAS = "demo_stage"


class Stage:
    """Where the child writes the staged tables. Built in the parent, before the load drops
    the store's indexes (it copies their definitions)."""

    def __init__(self, raw, tables: tuple[str, ...] = STAGED) -> None:
        main = next(row[2] for row in raw.execute("PRAGMA database_list") if row[1] == "main")
        self.path = f"{main}.demo-stage"
        self.tables = tables
        marks = ", ".join("?" * len(tables))
        rows = raw.execute(f"SELECT type, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL "
                           f"AND tbl_name IN ({marks}) ORDER BY type = 'index', name", tables).fetchall()
        self.ddl = [sql for kind, _t, sql in rows if kind == "table"]
        self.index_ddl = [sql for kind, _t, sql in rows if kind == "index"]
        self.sql = {t: demo_sink.insert_sql("sqlite")[t] for t in tables}

    @staticmethod
    def usable(raw) -> bool:
        """A file-backed store (an in-memory one has no directory to stage in)."""
        return any(row[1] == "main" and row[2] for row in raw.execute("PRAGMA database_list"))

    # -- in the child ----------------------------------------------------------------------
    def open(self) -> sqlite3.Connection:
        self.discard()
        con = sqlite3.connect(self.path, isolation_level=None)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -131072",
                       "temp_store = MEMORY"):
            con.execute(f"PRAGMA {pragma}")
        for sql in self.ddl:
            con.execute(sql)
        return con

    def write(self, con: sqlite3.Connection, rows: dict[str, list], counts: dict[str, int]) -> None:
        con.execute("BEGIN")
        for name in self.tables:
            batch = rows.pop(name, None)
            if batch:
                con.executemany(self.sql[name], batch)
                counts[name] = counts.get(name, 0) + len(batch)
        con.execute("COMMIT")

    def finish(self, con: sqlite3.Connection) -> None:
        for sql in self.index_ddl:
            con.execute(sql)
        con.close()

    # -- in the parent ---------------------------------------------------------------------
    def merge(self, raw) -> None:
        """Copy the staged tables into the store (their indexes must exist there, empty)."""
        raw.execute(f"ATTACH DATABASE ? AS {_ALIAS}", (self.path,))
        try:
            raw.execute("BEGIN")
            for name in self.tables:
                raw.execute(f'INSERT INTO main."{name}" SELECT * FROM {_ALIAS}."{name}"')
            raw.execute("COMMIT")
        finally:
            raw.execute(f"DETACH DATABASE {_ALIAS}")
        self.discard()

    def discard(self) -> None:
        for suffix in ("", "-journal", "-wal", "-shm"):
            try:
                os.unlink(self.path + suffix)
            except FileNotFoundError:
                pass


def run_forked(run: Callable, plan, emit: Callable[[dict[str, list], int], None],
               stage: Stage | None) -> tuple[int, str, dict[str, int]]:
    """`run(plan, emit)` in a forked child; returns the chain's end and the staged row counts.
    Chunks come back through a pipe; the child blocks while the parent is one chunk behind."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def child() -> None:
        try:
            con, counts = (stage.open() if stage else None), {}

            def forward(rows: dict[str, list], done: int) -> None:
                if stage:
                    stage.write(con, rows, counts)
                send.send_bytes(marshal.dumps(("rows", rows, done)))

            last_id, last_hash = run(plan, forward)
            if stage:
                stage.finish(con)
            send.send_bytes(marshal.dumps(("end", last_id, last_hash, counts)))
        except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises
            send.send_bytes(marshal.dumps(("error", f"{type(exc).__name__}: {exc}")))

    proc = ctx.Process(target=child, name="deskconsole-demo", daemon=True)
    proc.start()
    send.close()
    try:
        while True:
            if not receive.poll(2):
                if not proc.is_alive() and not receive.poll(0):
                    raise RuntimeError("the demo generator process stopped unexpectedly")
                continue
            try:
                msg = marshal.loads(receive.recv_bytes())
            except EOFError:
                raise RuntimeError("the demo generator process stopped unexpectedly") from None
            if msg[0] == "rows":
                emit(msg[1], msg[2])
            elif msg[0] == "end":
                return msg[1], msg[2], msg[3]
            else:
                raise RuntimeError(f"demo generator failed: {msg[1]}")
    finally:
        receive.close()
        if proc.is_alive():
            proc.terminate()
        proc.join()
