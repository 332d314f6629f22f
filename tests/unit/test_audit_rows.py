"""Sealed records: every audited row matches its latest audit event, so the figures a
supervisor is judged by (three rings, DOMAIN §2; follow-up satisfaction, DOMAIN §3) cannot be
rewritten in the database without `audit verify` naming the row and the columns.

Each forgery below is what someone with the store (a file, or table rights) would try; each is
found on SQLite and PostgreSQL. A fresh demo store, a purged one and one with voids hold."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from deskconsole.db import guards
from deskconsole.demo import generate
from deskconsole.services import audit, audit_rows, retention, voids
from deskconsole.services.audit_rows import Finding
from tests.reliability.cli import run_cli


@pytest.fixture
def demo(store, clock):
    generate(store, days=3, seed=3, clock=clock)
    return store


def _findings(store, since=None) -> list[Finding]:
    with store.read() as s:
        return list(audit_rows.verify_rows(s, since=since))


def _one(store, sql: str):
    with store.engine.connect() as conn:
        return conn.execute(text(sql)).scalar()


def _forge(store, *statements: str) -> None:
    with store.engine.begin() as conn:
        guards.drop(conn)  # the triggers refuse a casual edit: a forger drops them first
        for sql in statements:
            conn.execute(text(sql))


def test_a_fresh_demo_store_matches_its_trail(demo):
    assert _findings(demo) == []
    with demo.read() as s:
        assert audit.verify(s).ok


def test_an_edited_answer_time_is_named_with_its_column(demo):
    cid = _one(demo, "SELECT min(id) FROM call WHERE answer_seconds >= 15")
    _forge(demo, f"UPDATE call SET answer_seconds = 3 WHERE id = {cid}")
    assert _findings(demo) == [Finding("call", cid, "changed", ("answer_seconds",))]


def test_late_answers_rewritten_as_within_three_rings_are_each_found(demo):
    """DOMAIN §2: the within-three-rings figure cannot be lifted to 100 % unseen."""
    late = _one(demo, "SELECT count(*) FROM call WHERE answer_seconds >= 15")
    assert late > 0
    _forge(demo, "UPDATE call SET answer_seconds = 3, rings = 1, within_limit = true WHERE answer_seconds >= 15")
    found = _findings(demo)
    assert len(found) == late
    assert {(f.table, f.kind, f.columns) for f in found} == {
        ("call", "changed", ("answer_seconds", "rings", "within_limit"))}


def test_a_missed_call_turned_into_an_answered_one_is_found(demo):
    cid = _one(demo, "SELECT min(id) FROM call WHERE status = 'missed'")
    _forge(demo, "UPDATE call SET status = 'ended', answered_at = started_at, answer_seconds = 2, rings = 1, "
                 f"within_limit = true WHERE id = {cid}")
    [found] = _findings(demo)
    assert (found.table, found.id, found.kind) == ("call", cid, "changed")
    assert {"status", "answered_at", "answer_seconds", "within_limit"} <= set(found.columns)


def test_a_deleted_visit_is_found(demo):
    vid = _one(demo, "SELECT min(id) FROM visit WHERE id NOT IN "
                     "(SELECT visit_id FROM ticket WHERE visit_id IS NOT NULL)")
    _forge(demo, f"DELETE FROM visit WHERE id = {vid}")
    assert _findings(demo) == [Finding("visit", vid, "deleted")]


def test_an_inserted_ticket_history_line_is_found(demo):
    tid = _one(demo, "SELECT min(id) FROM ticket")
    _forge(demo, "INSERT INTO ticket_event (ticket_id, at, operator_id, kind, note) "
                 f"VALUES ({tid}, '2026-11-24 09:00:00', 1, 'note', 'customer thanked us')")
    new = _one(demo, "SELECT max(id) FROM ticket_event")
    assert _findings(demo) == [Finding("ticket_event", new, "unsealed")]


def test_an_edited_ticket_history_line_is_named_with_its_columns(demo):
    eid = _one(demo, "SELECT min(id) FROM ticket_event WHERE kind = 'status'")
    _forge(demo, f"UPDATE ticket_event SET at = at, new = 'cancelled' WHERE id = {eid}")
    assert _findings(demo) == [Finding("ticket_event", eid, "changed", ("new",))]


def test_a_rewritten_follow_up_satisfaction_is_found(demo):
    """DOMAIN §3: the callback's satisfaction is what the follow-up figures read."""
    fid = _one(demo, "SELECT min(id) FROM follow_up WHERE satisfaction IS NOT NULL "
                     "AND satisfaction != 'very_satisfied'")
    _forge(demo, f"UPDATE follow_up SET satisfaction = 'very_satisfied' WHERE id = {fid}")
    assert _findings(demo) == [Finding("follow_up", fid, "changed", ("satisfaction",))]


@pytest.mark.parametrize(("table", "column", "value"), [
    ("key_loan", "returned_at", "lent_at"),            # an overdue key shown as back in the cabinet
    ("goods_release", "unit", "'9-9999'"),             # a release for another unit
    ("item_loan", "deposit", "0"),                     # a deposit that was taken, gone
    ("progress_call", "done_at", "due_at"),            # a progress call never made, shown as made
])
def test_a_rewritten_register_or_progress_call_is_found(demo, table, column, value):
    """The registers (keys, goods releases, loans) and the progress calls are sealed like every
    other record: a row edited in the database is named with its column."""
    rid = _one(demo, f"SELECT min(id) FROM {table}")
    assert rid is not None, f"the demo has no {table} rows"
    _forge(demo, f"UPDATE {table} SET {column} = {value} WHERE id = {rid}")
    assert _findings(demo) == [Finding(table, rid, "changed", (column,))]


def test_a_purged_store_matches_its_trail_and_keeps_no_personal_value_in_it(demo, clock):
    name = _one(demo, "SELECT caller_name FROM call WHERE caller_name != '' ORDER BY id LIMIT 1")
    counts = demo.write(lambda s: retention.purge(s, older_than_days=1, now=clock.now(), operator_id=1,
                                                  role="supervisor"))
    assert counts.calls > 0 and counts.tickets > 0
    assert _findings(demo) == []
    with demo.read() as s:
        assert audit.verify(s).ok
    assert _one(demo, f"SELECT count(*) FROM audit_event WHERE after LIKE '%{name}%'") == 0


def test_a_store_after_voids_matches_its_trail(demo, make_actor):
    boss = make_actor(demo, staff_no="901", role="supervisor", name="王芳", pin="135790")
    vid, cid = _one(demo, "SELECT min(id) FROM visit"), _one(demo, "SELECT min(id) FROM call")
    demo.write(lambda s: voids.void(s, boss, "visit", vid, "registered twice"))
    demo.write(lambda s: voids.void(s, boss, "call", cid, "test call"))
    assert _findings(demo) == []


def test_since_checks_rows_touched_from_that_day_and_rows_added_without_an_event(demo, clock):
    old = _one(demo, "SELECT min(id) FROM call WHERE answer_seconds >= 15")
    _forge(demo, f"UPDATE call SET answer_seconds = 3 WHERE id = {old}")
    later = clock.now() + timedelta(days=1)
    assert _findings(demo, since=later) == []  # the quick check reads only what moved since
    _forge(demo, "INSERT INTO visit (operator_id, shift_id, desk_id, arrived_at, name, honorific, unit, host, "
                 "purpose, party_size, level, status, served_out_of_order, anonymised) "
                 "VALUES (1, 1, 1, '2026-11-24 09:00:00', '', '', '', '', 'other', 1, 'ordinary', 'waiting', "
                 "false, false)")
    new = _one(demo, "SELECT max(id) FROM visit")
    assert _findings(demo, since=later) == [Finding("visit", new, "unsealed")]
    assert Finding("call", old, "changed", ("answer_seconds",)) in _findings(demo)


# -- the command line -----------------------------------------------------------------------
def test_audit_verify_names_each_forged_record_and_exits_1(tmp_path, clock, monkeypatch, capsys):
    from deskconsole.db.store import Store

    db = tmp_path / "desk.db"
    store = Store(f"sqlite:///{db}").open()
    generate(store, days=2, seed=4, clock=clock)
    code, out, _ = run_cli(monkeypatch, capsys, "--db", str(db), "--lang", "en", "audit", "verify")
    assert code == 0 and out.startswith("ok: ") and "records match their latest audit event" in out
    cid = _one(store, "SELECT min(id) FROM call WHERE answer_seconds >= 15")
    fid = _one(store, "SELECT min(id) FROM follow_up WHERE satisfaction IS NOT NULL")
    _forge(store, f"UPDATE call SET answer_seconds = 3, rings = 1, within_limit = 1 WHERE id = {cid}",
           f"UPDATE follow_up SET satisfaction = 'x' WHERE id = {fid}")
    store.close()
    code, out, err = run_cli(monkeypatch, capsys, "--db", str(db), "--lang", "en", "audit", "verify")
    assert code == 1 and "2 records do not match the audit trail" in err
    assert f"call {cid}: changed after its last audit event (answer_seconds, rings, within_limit)" in out
    assert f"follow_up {fid}: changed after its last audit event (satisfaction)" in out
    code, _, err = run_cli(monkeypatch, capsys, "--db", str(db), "--lang", "en", "audit", "verify",
                           "--since", "2999-01-01")
    assert code == 0
    code, _, err = run_cli(monkeypatch, capsys, "--db", str(db), "audit", "verify", "--since", "yesterday")
    assert code == 2
