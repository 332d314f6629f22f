"""Moving to PostgreSQL: `deskconsole db copy --to URL` copies every table of
an SQLite store into an empty database, verified by counts and per-table checksums, and the
copy works as a store at once (audit chain intact, new records get fresh ids)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text

from deskconsole.db.copy import checksum, copy_store
from deskconsole.db.store import Store, StoreError
from deskconsole.services import audit, reception, tickets
from deskconsole.services.sla import rules_from
from tests.conftest import PG_ADMIN_URL
from tests.reliability.cli import run_cli


@pytest.fixture
def empty_pg(pg_url):
    """A brand-new PostgreSQL database (pg_url: with CI=true a missing server fails)."""
    name = f"dc_copy_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def filled(sqlite_store, make_actor, clock, config):
    actor = make_actor(sqlite_store)
    boss = make_actor(sqlite_store, staff_no="001", role="supervisor", pin="135790")
    for i in range(30):
        sqlite_store.write(lambda s, i=i: reception.check_in(s, actor, reception.CheckInForm(
            name=f"王{i}", phone="13800138000", note="含\n换行")))
        clock.advance(60)
    t = sqlite_store.write(lambda s: tickets.create_ticket(s, actor, kind="repair", customer_name="赵", phone="13600136000", description="漏水",
                                                                  rules=rules_from(config)).id)
    sqlite_store.write(lambda s: tickets.cancel(s, boss, t, reason="重复"))
    return sqlite_store, actor


def test_copy_to_postgresql_keeps_every_row_and_the_audit_chain(filled, empty_pg, clock):
    source, actor = filled
    result = copy_store(source, empty_pg)
    assert result.rows["visit"] == 30 and result.rows["audit_event"] > 30
    target = Store(empty_pg).open()
    try:
        with source.engine.connect() as a, target.engine.connect() as b:
            from sqlmodel import SQLModel

            for table in SQLModel.metadata.sorted_tables:
                assert checksum(a, table) == checksum(b, table), table.name
        with target.read() as s:
            assert audit.verify(s).ok
        # Sequences moved past the copied ids: the next visit gets a new number.
        new = target.write(lambda s: reception.check_in(s, actor, reception.CheckInForm(name="新")))
        assert new.id == 31
    finally:
        target.close()


def test_copy_refuses_a_target_that_is_not_empty_and_leaves_it_alone(filled, tmp_path):
    source, _ = filled
    other = Store(f"sqlite:///{tmp_path / 'other.db'}").open()
    other.write(lambda s: s.execute(text("INSERT INTO desk (name, created_at) VALUES ('x', '2026-01-01')")))
    other.close()
    with pytest.raises(StoreError, match="not empty .table desk has 1 rows") as err:
        copy_store(source, f"sqlite:///{tmp_path / 'other.db'}")
    assert "\n" not in str(err.value)
    with pytest.raises(StoreError, match="the store itself"):
        copy_store(source, source.url)


def test_db_copy_command_reports_tables_rows_and_checksums(filled, tmp_path, monkeypatch, capsys):
    source, _ = filled
    target = tmp_path / "moved.db"
    code, out, err = run_cli(monkeypatch, capsys, "--db", str(source.sqlite_path), "--lang", "en",
                             "db", "copy", "--to", str(target))
    assert code == 0, err
    assert out.startswith("ok: ") and "counts and checksums match" in out
    code, _, err = run_cli(monkeypatch, capsys, "--db", str(source.sqlite_path), "db", "copy", "--to", str(target))
    assert code == 2 and "not empty" in err and err.count("\n") == 1
    code, _, err = run_cli(monkeypatch, capsys, "--db", str(source.sqlite_path), "db", "copy", "--to", "mysql://x/y")
    assert code == 2 and "not supported" in err
