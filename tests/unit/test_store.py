"""The store: pragmas, migrations, writes, check and backup, on SQLite and PostgreSQL."""

import sqlite3
import threading

import pytest
from sqlalchemy import text
from sqlmodel import select

from deskconsole.db import migrate
from deskconsole.db.maintenance import backup
from deskconsole.db.store import Store, StoreError, preflight
from deskconsole.models import Desk


def test_sqlite_connections_are_durable_and_strict(sqlite_store):
    with sqlite_store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_schema_is_at_head_after_open(store):
    assert migrate.current(store) == migrate.heads()
    assert migrate.check(store) == []


def test_models_match_migrations(store):
    """A model change without a migration fails here (alembic autogenerate finds no diff)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlmodel import SQLModel

    import deskconsole.models  # noqa: F401

    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": False})
        diff = compare_metadata(ctx, SQLModel.metadata)
    assert diff == []


def test_write_commits_and_read_sees_it(store, clock):
    store.write(lambda s: s.add(Desk(name="大堂", created_at=clock.now())))
    with store.read() as s:
        desk = s.exec(text("SELECT name FROM desk")).scalar_one()
    assert desk == "大堂"


def test_failed_write_leaves_nothing(store, clock):
    def boom(s):
        s.add(Desk(name="half", created_at=clock.now()))
        s.flush()
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        store.write(boom)
    with store.read() as s:
        assert s.exec(text("SELECT count(*) FROM desk")).scalar_one() == 0


def test_times_come_back_as_aware_utc(store, clock):
    store.write(lambda s: s.add(Desk(name="A", created_at=clock.now())))
    with store.read() as s:
        desk = s.exec(select(Desk)).one()
    assert desk.created_at == clock.now() and desk.created_at.tzinfo is not None


def test_two_threads_writing_at_once_both_succeed(sqlite_store, clock):
    """BEGIN IMMEDIATE + busy timeout: no 'database is locked' under two writers."""
    errors = []

    def writer(prefix):
        try:
            for i in range(50):
                sqlite_store.write(lambda s, i=i: s.add(Desk(name=f"{prefix}{i}", created_at=clock.now())))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(p,)) for p in "ab"]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    with sqlite_store.read() as s:
        assert s.exec(text("SELECT count(*) FROM desk")).scalar_one() == 100


def test_change_token_moves_when_another_connection_commits(sqlite_store, clock):
    before = sqlite_store.change_token()
    assert sqlite_store.change_token() == before
    other = Store(sqlite_store.url).open()
    other.write(lambda s: s.add(Desk(name="x", created_at=clock.now())))
    other.close()
    assert sqlite_store.change_token() != before


def test_a_file_that_is_not_a_database_is_refused_with_one_line(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_text("this is not sqlite")
    with pytest.raises(StoreError, match="is not a deskconsole database") as err:
        Store(f"sqlite:///{bad}").open()
    assert "\n" not in str(err.value)
    with pytest.raises(StoreError):
        preflight(f"sqlite:///{bad}")


def test_unwritable_data_folder_is_reported(tmp_path):
    locked = tmp_path / "ro"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        import os

        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        with pytest.raises(StoreError, match="not writable"):
            preflight(f"sqlite:///{locked / 'x.db'}")
    finally:
        locked.chmod(0o700)


def test_a_database_newer_than_the_program_is_not_touched(sqlite_store, tmp_path):
    with sqlite_store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    sqlite_store.close()
    with pytest.raises(StoreError, match="newer than this deskconsole"):
        Store(sqlite_store.url).open()


def test_backup_is_a_verified_copy(sqlite_store, clock, tmp_path):
    sqlite_store.write(lambda s: s.add(Desk(name="A", created_at=clock.now())))
    result = backup(sqlite_store, tmp_path / "copy.db")
    assert result["integrity"] == "ok" and result["schema"] in migrate.heads() and result["rows"]["desk"] == 1
    with sqlite3.connect(tmp_path / "copy.db") as conn:
        assert conn.execute("SELECT name FROM desk").fetchone()[0] == "A"
    with pytest.raises(StoreError, match="exists already"):
        backup(sqlite_store, tmp_path / "copy.db")


def test_integrity_problem_is_reported_by_check(sqlite_store):
    with sqlite_store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0000'")
    assert any("schema version" in p for p in migrate.check(sqlite_store))


def test_fast_head_reading_agrees_with_alembic():
    """Start-up reads revision ids from the files as text; Alembic must agree."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert migrate.heads() == tuple(sorted(script.get_heads()))
    assert migrate.script_revisions()[0] == {r.revision for r in script.walk_revisions()}
