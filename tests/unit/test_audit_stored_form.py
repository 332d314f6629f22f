"""A value stored in another form than the one SQLAlchemy writes is a change (services/
audit_walk.py, the stored form). SQLite keeps any text in any column: a time written
"2026-11-24T01:19:59" or with "+00:15" after it reads as the same time, so it sealed the same,
yet the summary's SQL sorts and subtracts the text: missed calls left their day, waits got
shorter and dissatisfied follow-ups vanished, with `audit verify` saying ok (found by trying it
as a forger on a copy of a busy year). SQLite only: PostgreSQL's columns hold their own types."""

from __future__ import annotations

import pytest

from deskconsole.demo import generate
from deskconsole.services import audit
from deskconsole.services.audit_rows import Finding
from tests.reliability.cli import run_cli
from tests.unit.test_audit_rows import _findings, _forge, _one


@pytest.fixture
def demo(sqlite_store, clock):
    generate(sqlite_store, days=3, seed=3, clock=clock)
    return sqlite_store


def _changed(store, table: str, rid: int, column: str) -> None:
    assert Finding(table, rid, "changed", (column,)) in _findings(store)


@pytest.mark.parametrize("table, column, where, forged", [
    ("call", "started_at", "status = 'missed'", "substr(started_at, 1, 10) || 'T' || substr(started_at, 12)"),
    ("call", "started_at", "status = 'missed'", "substr(started_at, 1, 10) || 'X' || substr(started_at, 12)"),
    ("visit", "served_at", "served_at IS NOT NULL", "served_at || '+00:15'"),
    ("follow_up", "done_at", "done_at IS NOT NULL", "substr(done_at, 1, 10) || 'T' || substr(done_at, 12)"),
    ("visit", "arrived_at", "1 = 1", "12345"),  # not a text at all
    ("call", "within_limit", "within_limit = 1", "2"),  # read as True, summed as 2
])
def test_a_value_in_another_form_than_the_stored_one_is_a_change(demo, table, column, where, forged):
    rid = _one(demo, f"SELECT min(id) FROM {table} WHERE {where}")
    assert rid is not None and _findings(demo) == []
    _forge(demo, f"UPDATE {table} SET {column} = {forged} WHERE id = {rid}")
    _changed(demo, table, rid, column)


def test_a_date_or_an_amount_that_is_not_one_is_named_not_a_crash(demo, clock):
    from deskconsole.services import registers, tickets

    rid = _one(demo, "SELECT min(id) FROM goods_release")
    tid = _one(demo, "SELECT min(id) FROM ticket")
    if rid is None:
        pytest.skip("no goods release in this demo")
    _forge(demo, f"UPDATE goods_release SET valid_on = valid_on || 'T00:00' WHERE id = {rid}",
           f"UPDATE ticket SET fee_amount = 'fifty' WHERE id = {tid}")
    found = _findings(demo)
    assert Finding("goods_release", rid, "changed", ("valid_on",)) in found
    assert Finding("ticket", tid, "changed", ("fee_amount",)) in found
    assert registers and tickets  # (the services that write them: their rows are sealed)


def test_an_event_time_in_another_form_breaks_the_chain_there(demo):
    eid = _one(demo, "SELECT min(id) FROM audit_event WHERE id > 10")
    _forge(demo, f"UPDATE audit_event SET at = substr(at, 1, 10) || 'T' || substr(at, 12) WHERE id = {eid}")
    with demo.read() as s:
        result = audit.verify(s)
    assert not result.ok and result.broken_at == eid


def test_audit_verify_names_the_forged_time_and_exits_1(demo, monkeypatch, capsys):
    """On the command line, as a supervisor runs it (the one-process check and, on a big store,
    the check on every core read the rows the same way)."""
    from deskconsole.cli import audit as cli_audit
    from deskconsole.services import audit_parallel

    late = _one(demo, "SELECT min(id) FROM call WHERE status = 'missed'")
    _forge(demo, f"UPDATE call SET started_at = substr(started_at, 1, 10) || 'T' || substr(started_at, 12) "
                 f"WHERE id = {late}")
    monkeypatch.setenv("DESKCONSOLE_AUDIT_KEY_FILE", str(demo.keys.path))
    for parallel in ((False, True) if audit_parallel.workers_for(demo.url) >= 2 else (False,)):
        monkeypatch.setattr(cli_audit, "PARALLEL_FROM", 0 if parallel else 10**12)
        code, out, _ = run_cli(monkeypatch, capsys, "--db", demo.url, "--lang", "en", "audit", "verify")
        assert code == 1 and f"call {late}: changed after its last audit event (started_at)" in out
