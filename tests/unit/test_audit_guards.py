"""The database itself refuses casual edits of the trail: on SQLite, triggers abort an UPDATE
or DELETE of audit events and ticket history and any move of the chain head but forward; on
PostgreSQL, a console role granted by `deskconsole db grant` may only add to them."""

from __future__ import annotations

import sqlite3
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from deskconsole.db import grants, guards
from deskconsole.db.store import Store
from deskconsole.services import audit, audit_rows, reception, tickets
from deskconsole.services.sla import rules_from
from tests.reliability.cli import run_cli

EDITS = (
    "UPDATE audit_event SET action = 'x'",
    "DELETE FROM audit_event",
    "UPDATE ticket_event SET note = 'x'",
    "DELETE FROM ticket_event",
    "DELETE FROM audit_head",
    "UPDATE audit_head SET count = count - 1, last_id = last_id - 1",
)


def _records(store, actor):
    from deskconsole.config import Config

    store.write(lambda s: reception.check_in(s, actor, reception.CheckInForm(name="王", unit="3-1202")))
    store.write(lambda s: tickets.create_ticket(s, actor, kind="inquiry", description="where is the gym", customer_name="王", unit="3-1202",
                                                rules=rules_from(Config())))


@pytest.mark.parametrize("edit", EDITS)
def test_sqlite_refuses_a_casual_edit_of_the_trail(tmp_path, make_actor, edit):
    db = tmp_path / "desk.db"
    store = Store(f"sqlite:///{db}").open()
    _records(store, make_actor(store))
    store.close()
    with sqlite3.connect(db) as conn, pytest.raises(sqlite3.IntegrityError):
        conn.execute(edit)


def test_the_chain_head_still_moves_forward_and_purge_still_blanks_history(tmp_path, make_actor, clock):
    from deskconsole.services import retention

    store = Store(f"sqlite:///{tmp_path / 'desk.db'}").open()
    actor = make_actor(store, staff_no="001", role="supervisor", pin="135790")
    _records(store, actor)
    store.write(lambda s: tickets.cancel(s, actor, 1, reason="王女士 solved it herself"))
    clock.advance(3 * 86400)
    counts = store.write(lambda s: retention.purge(s, older_than_days=1, now=clock.now(), operator_id=1,
                                                   role="supervisor"))
    assert counts.ticket_history > 0  # through the guard, lifted inside the purge's transaction
    with store.read() as s:
        assert audit.verify(s).ok and list(audit_rows.verify_rows(s)) == []
    with store.engine.connect() as conn:
        assert guards.present(conn) == set(guards.names())
    store.close()


# -- PostgreSQL -------------------------------------------------------------------------
def test_grant_prints_insert_only_rights_for_the_trail(monkeypatch, capsys):
    lines = grants.statements("desk_console")
    assert 'GRANT SELECT, INSERT ON "public"."audit_event" TO "desk_console"' in lines
    assert 'GRANT SELECT, INSERT ON "public"."ticket_event" TO "desk_console"' in lines
    assert 'GRANT SELECT, INSERT, UPDATE ON "public"."audit_head" TO "desk_console"' in lines
    assert 'GRANT SELECT, INSERT, UPDATE, DELETE ON "public"."visit" TO "desk_console"' in lines
    code, _, err = run_cli(monkeypatch, capsys, "--db", "postgresql+psycopg://x@127.0.0.1/y", "db", "grant",
                           "--role", "a; drop table visit")
    assert code == 2 and "not a role name" in err


def test_a_console_role_works_the_desk_but_cannot_change_or_delete_the_trail(
        pg_url, _pg_store, make_actor, monkeypatch, capsys):
    from tests.conftest import _truncate_all

    _truncate_all(_pg_store)
    role = f"dc_desk_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN'))
        guards.create(conn)  # as migrated (forgery tests on this shared store drop it)
    try:
        code, out, _ = run_cli(monkeypatch, capsys, "--db", pg_url, "db", "grant", "--role", role, "--apply")
        assert code == 0, out
        desk = Store(pg_url.replace("postgres@", f"{role}@", 1)).open()
        try:
            _records(desk, make_actor(desk))  # the services run as the console role
            for edit in EDITS:
                with desk.engine.begin() as conn, pytest.raises(DBAPIError) as refused:
                    conn.execute(text(edit))
                assert "permission denied" in str(refused.value) or "only moves forward" in str(refused.value)
            with desk.read() as s:
                assert audit.verify(s).ok and list(audit_rows.verify_rows(s)) == []
        finally:
            desk.close()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP OWNED BY "{role}"'))
            conn.execute(text(f'DROP ROLE "{role}"'))
        admin.dispose()


def test_db_check_names_a_guard_dropped_by_hand(tmp_path, monkeypatch, capsys):
    db = tmp_path / "desk.db"
    Store(f"sqlite:///{db}").open().close()
    code, out, _ = run_cli(monkeypatch, capsys, "--db", str(db), "--lang", "en", "db", "check")
    assert code == 0, out
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TRIGGER audit_event_no_delete")
    code, _, err = run_cli(monkeypatch, capsys, "--db", str(db), "--lang", "en", "db", "check")
    assert code == 1 and "missing guards: audit_event_no_delete" in err
