"""A demo never leaves a broken store: on SQLite it is built in a temporary file and moved
into place only when complete; on PostgreSQL it is one transaction. A failure, Ctrl+C or a
kill leaves the target empty and sound, with no temporary file once the next run has swept;
`db check` finds missing indexes and `db upgrade` restores them; the child process runs the
same with the `spawn` start method (Windows has no fork)."""

from __future__ import annotations

import io
import os
import sys

import pytest

from deskconsole import oscompat
from deskconsole.db import migrate
from deskconsole.db.store import Store
from deskconsole.demo import day as demo_day
from deskconsole.demo import fill, generate
from deskconsole.demo.sink import TABLES
from deskconsole.demo.target import leftovers, sweep, temp_path
from deskconsole.services import audit
from tests.unit.test_demo import _fingerprint


def _filled_tables(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return [t for t in TABLES if conn.exec_driver_sql(f'SELECT 1 FROM "{t}" LIMIT 1').first()]


def _fail_on_second_day(monkeypatch) -> None:
    original, seen = demo_day.Day.calls, []

    def calls(day):
        seen.append(day)
        if len(seen) > 1:
            raise ValueError("disk full")
        return original(day)

    monkeypatch.setattr(demo_day.Day, "calls", calls)  # a forked child inherits it


def _reopened(store: Store) -> Store:
    if store.sqlite_path is None:
        return store  # PostgreSQL: the store was never closed (the fixture shares it)
    store.close()
    return Store(store.url).open()


@pytest.mark.parametrize("pipeline", [False, True])
def test_a_demo_that_fails_half_way_leaves_the_target_empty_sound_and_alone(
        store, clock, monkeypatch, pipeline):
    _fail_on_second_day(monkeypatch)
    with pytest.raises((ValueError, RuntimeError), match="disk full"):
        fill(store, days=3, clock=clock, chunk_days=1, pipeline=pipeline)
    store = _reopened(store)
    assert _filled_tables(store) == []
    assert migrate.check(store) == []
    with store.read() as s:
        assert audit.verify(s).ok
    if store.sqlite_path is not None:
        assert leftovers(store.sqlite_path) == []


def test_ctrl_c_during_a_demo_stops_it_and_leaves_nothing(sqlite_store, clock):
    def interrupt(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        fill(sqlite_store, days=70, clock=clock, chunk_days=10, progress=interrupt)
    path = sqlite_store.sqlite_path
    assert leftovers(path) == []
    store = Store(sqlite_store.url).open()
    assert _filled_tables(store) == [] and migrate.check(store) == []
    store.close()


def test_ctrl_c_inside_a_write_is_what_the_demo_reports(sqlite_store, clock, monkeypatch):
    """SQLAlchemy closes a connection a KeyboardInterrupt went through. Putting the bulk load's
    pragmas back on it must not replace the interrupt with "closed database" (an unexpected
    error, exit 3, where Ctrl+C was pressed)."""
    from sqlalchemy.engine import default

    original, calls = default.DefaultDialect.do_executemany, []

    def executemany(self, cursor, statement, parameters, context=None):
        calls.append(statement)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return original(self, cursor, statement, parameters, context)

    monkeypatch.setattr(default.DefaultDialect, "do_executemany", executemany)
    with pytest.raises(KeyboardInterrupt):
        fill(sqlite_store, days=3, clock=clock, chunk_days=1, pipeline=False)
    path = sqlite_store.sqlite_path
    assert leftovers(path) == []
    store = Store(sqlite_store.url).open()
    assert _filled_tables(store) == [] and migrate.check(store) == []
    store.close()


def test_a_complete_demo_replaces_the_empty_target_and_leaves_no_temporary_file(sqlite_store, clock):
    result = fill(sqlite_store, days=3, seed=4, clock=clock)
    path = sqlite_store.sqlite_path
    assert leftovers(path) == []
    store = Store(sqlite_store.url).open()
    assert migrate.check(store) == [] and result.rows["visit"] > 0
    with store.read() as s:
        assert audit.verify(s).ok
    store.close()


def test_what_a_killed_run_left_is_swept_but_a_running_build_is_not(tmp_path):
    target = tmp_path / "desk.db"
    dead, running = temp_path(target, pid=2**31 - 2), temp_path(target, pid=os.getppid())
    stale = [dead, dead.with_name(dead.name + "-wal"), dead.with_name(dead.name + ".demo-stage"),
             target.with_name("desk.db.demo-stage")]  # the last: an older version's staging file
    for path in (*stale, running):
        path.write_bytes(b"x")
    sweep(target)
    assert leftovers(target) == [running]


def test_db_check_finds_missing_indexes_and_db_upgrade_restores_them(tmp_path, monkeypatch, capsys):
    from deskconsole.cli.common import run_guarded
    from deskconsole.cli.main import app

    db = tmp_path / "desk.db"
    store = Store(f"sqlite:///{db}").open()
    with store.engine.begin() as conn:
        names = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index' "
                                     "AND sql IS NOT NULL AND tbl_name = 'visit'").scalars().all()
        for name in names:
            conn.exec_driver_sql(f'DROP INDEX "{name}"')
    assert names
    problems = migrate.check(store)
    assert len(problems) == 1 and f"{len(names)} indexes missing" in problems[0]
    store.close()
    monkeypatch.setattr(sys, "argv", ["deskconsole", "--db", str(db), "--lang", "en", "db", "upgrade"])
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert run_guarded(app) == 0
    assert f"restored {len(names)} missing indexes" in capsys.readouterr().out
    store = Store(f"sqlite:///{db}").open()
    assert migrate.check(store) == [] and migrate.missing_indexes(store) == {}
    store.close()


def test_the_generator_child_started_with_spawn_gives_the_same_rows(tmp_path, clock, monkeypatch):
    a = Store(f"sqlite:///{tmp_path / 'a.db'}").open()
    b = Store(f"sqlite:///{tmp_path / 'b.db'}").open()
    generate(a, days=2, seed=3, clock=clock, pipeline=False)
    monkeypatch.setattr(oscompat, "process_start_method", lambda: "spawn")
    generate(b, days=2, seed=3, clock=clock, pipeline=True, chunk_days=1)
    assert _fingerprint(a) == _fingerprint(b)
    a.close()
    b.close()
