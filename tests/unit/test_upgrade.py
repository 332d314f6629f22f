"""Upgrades: a store made by each released schema version upgrades to head
with every row intact; the old file is copied aside first, automatically; an upgrade that
fails leaves the store exactly as it was."""

from __future__ import annotations

import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from deskconsole.db import migrate
from deskconsole.db.store import Store, StoreError
from deskconsole.models import Ticket, Visit
from deskconsole.services import audit, audit_rows, operators

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
RELEASED = ["0001"]


def _tables(path: Path) -> dict[str, int]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "AND name != 'alembic_version'")]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


@pytest.mark.parametrize("revision", RELEASED)
def test_a_store_from_a_released_version_upgrades_to_head_with_nothing_lost(tmp_path, revision, clock):
    fixture = FIXTURES / f"schema_{revision}.db"
    db = tmp_path / "desk.db"
    shutil.copy(fixture, db)
    before = _tables(db)
    store = Store(f"sqlite:///{db}").open()
    try:
        assert migrate.current(store) == migrate.heads() and migrate.check(store) == []
        after = _tables(db)
        # Nothing lost; the old (unkeyed) audit chain is sealed by one keyed event, then each
        # record written before records were sealed gets one seal event, and every record then
        # matches its event.
        sealed = sum(after[t] for t in ("visit", "expected_visit", "call", "ticket", "follow_up", "shift",
                                        "etiquette_check", "operator") if t in after)
        assert after["audit_event"] == before["audit_event"] + 1 + sealed
        assert {t: n for t, n in after.items() if t in before and t != "audit_event"} == {
            t: n for t, n in before.items() if t != "audit_event"}
        with store.read() as s:
            result = audit.verify(s)
            assert result.ok and result.legacy == before["audit_event"]
            assert list(audit_rows.verify_rows(s)) == []
            assert s.get(Visit, 2).name == "陈" and s.get(Visit, 3).void_reason == "登记重复"
            assert s.get(Ticket, 1).fee_amount == Decimal("35.50")
        # The people in it can still sign on, and new records follow the old ones.
        op = operators.authenticate_in(store, staff_no="001", pin="1357", now=clock.now())
        assert op.role == "supervisor"
        # Copied aside before the schema changed: the old version, every row.
        backup = tmp_path / f"desk.db.before-{revision}.bak"
        assert _tables(backup) == before
        with sqlite3.connect(backup) as conn:
            assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == revision
    finally:
        store.close()
    assert (FIXTURES / f"schema_{revision}.db").read_bytes() == fixture.read_bytes()


def test_a_store_already_at_head_is_not_copied_aside(tmp_path):
    Store(f"sqlite:///{tmp_path / 'desk.db'}").open().close()
    Store(f"sqlite:///{tmp_path / 'desk.db'}").open().close()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".bak") == []


FAILING = '''
from alembic import op
import sqlalchemy as sa

revision = "9990"
down_revision = {heads!r}


def upgrade():
    op.create_table("half_done", sa.Column("id", sa.Integer(), primary_key=True))
    op.execute("UPDATE visit SET name = 'changed'")
    op.execute("SELECT no_such_column FROM no_such_table")


def downgrade():
    pass
'''


def test_a_failed_upgrade_leaves_the_store_untouched_and_says_where_the_copy_is(tmp_path, monkeypatch):
    db = tmp_path / "desk.db"
    shutil.copy(FIXTURES / "schema_0001.db", db)
    Store(f"sqlite:///{db}").open().close()  # at today's head
    for old in tmp_path.glob("*.bak"):
        old.unlink()
    before = _tables(db)
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.SCRIPT_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    heads = migrate.heads()
    (scripts / "versions" / "9990_failing.py").write_text(
        FAILING.format(heads=heads if len(heads) > 1 else heads[0]), encoding="utf-8")
    shipped = migrate.SCRIPT_DIR
    monkeypatch.setattr(migrate, "SCRIPT_DIR", scripts)

    with pytest.raises(StoreError, match=r"schema upgrade failed .*the store is unchanged; a copy from before") as err:
        Store(f"sqlite:///{db}").open()
    assert "\n" not in str(err.value)
    monkeypatch.setattr(migrate, "SCRIPT_DIR", shipped)  # (DESKCONSOLE_HOME, the key's folder, stays)
    assert _tables(db) == before  # no half_done table, every row count the same
    store = Store(f"sqlite:///{db}").open()
    try:
        assert migrate.current(store) == heads and migrate.check(store) == []
        with store.read() as s:
            assert s.get(Visit, 1).name == "张"
    finally:
        store.close()
