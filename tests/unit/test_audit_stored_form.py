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


@pytest.mark.parametrize("table, column, forged", [
    ("call", "started_at", "'2026-02-30 10:00:00.000000'"),  # shaped as a time, not one
    ("goods_release", "valid_on", "'2026-02-30'"),
    ("ticket", "fee_amount", "X'3530'"),  # a blob
    ("ticket", "fee_amount", "coalesce(fee_amount, 0) + 0.001"),  # read back rounded to the seal's 2 places
    ("item_loan", "deposit", "coalesce(deposit, 0) + 0.001"),
])
def test_a_value_that_is_not_what_its_column_holds_is_named_not_a_crash(demo, table, column, forged):
    rid = _one(demo, f"SELECT min(id) FROM {table}")
    if rid is None:
        pytest.skip(f"no {table} in this demo")
    _forge(demo, f"UPDATE {table} SET {column} = {forged} WHERE id = {rid}")
    _changed(demo, table, rid, column)


@pytest.mark.parametrize("forged", ["12345", "'2026-13-01 00:00:00'", "X'00'"])
def test_an_event_time_that_is_no_time_breaks_the_chain_there_not_the_check(demo, forged):
    eid = _one(demo, "SELECT min(id) FROM audit_event WHERE id > 10")
    _forge(demo, f"UPDATE audit_event SET at = {forged} WHERE id = {eid}")
    with demo.read() as s:
        result = audit.verify(s)
    assert not result.ok and result.broken_at == eid


def test_times_with_microseconds_are_read_without_the_long_way(demo, monkeypatch):
    """The console's clock has microseconds, so nearly every time of a real store is new: each
    row went the long way (a parse and a repr of the whole row, ~30 us a row against ~4 on the
    demo's whole seconds). A time with microseconds is put together from its second's piece."""
    import random
    from datetime import UTC, datetime

    from deskconsole.services import audit_walk
    from deskconsole.services.audit_rows import SEALED

    rnd = random.Random(5)
    for _ in range(2000):
        when = datetime(2026, rnd.randint(1, 12), rnd.randint(1, 28), rnd.randint(0, 23), rnd.randint(0, 59),
                        rnd.randint(0, 59), rnd.randint(0, 999_999))
        text = when.strftime("%Y-%m-%d %H:%M:%S.%f")
        assert audit_walk.datetime_text(text) == repr(when.replace(tzinfo=UTC))
        if when.microsecond:
            piece = audit_walk._TIMES[text[10:]]
            assert repr(when.replace(tzinfo=UTC)).endswith(", " + piece)
    # Not put together (a fresh table: the walk keeps whole-second times it has met, so the
    # shared one may hold " 12:00:00.000000" after another test, which is right).
    pieces = audit_walk._TimePieces()
    for bad in (" 24:00:00.000001", " 12:60:00.000001", " 1a:00:00.000001", " 12:00:00.00000١", " 12:00:00.000000"):
        with pytest.raises(KeyError):
            pieces[bad]

    spec = SEALED["call"]
    with demo.read() as s:
        dialect = s.connection().dialect
    slow = []
    real_dt = audit_walk.datetime_text
    monkeypatch.setattr(audit_walk, "datetime_text", lambda v: slow.append(1) or real_dt(v))  # the long way
    codec = audit_walk.Codec(dialect, [spec.table.c[n] for n in spec.columns], None, 0)
    index = list(spec.columns).index("started_at")
    with demo.engine.connect() as conn:
        rows = [list(r) for r in conn.exec_driver_sql(
            f"SELECT {', '.join(spec.columns)} FROM call ORDER BY id").fetchall()]
    stored = [r[index] for r in rows]
    for salt in (1, 2):  # the second time round every time has new microseconds
        for i, row in enumerate(rows):
            row[index] = stored[i][:19] + f".{(i * 7919 + salt) % 1_000_000 or 1:06d}"
        slow.clear()
        texts = [codec.text(tuple(r)) for r in rows]
        assert texts == [repr(codec.values(tuple(r))) for r in rows]
    # The first time round the dates and the whole seconds of the other times were new; the
    # second time nothing but microseconds is: no row goes the long way.
    assert slow == []


def test_a_row_put_in_below_id_1_is_read_and_named(demo):
    """The walk started at id 0: a call copied to id -5 was never read, and the day's incoming
    calls went up by one with `audit verify` saying ok."""
    _forge(demo, "CREATE TEMP TABLE t AS SELECT * FROM call WHERE id = 1", "UPDATE t SET id = -5",
           "INSERT INTO call SELECT * FROM t")
    assert [f.id for f in _findings(demo) if f.table == "call"] == [-5]


def test_an_event_put_in_below_the_chain_breaks_it_and_seals_nothing(demo):
    """An event with id -1 was outside the chain walk, yet the records check took it as the
    latest event of the row it named: a forged call sealed by it passed."""
    top = _one(demo, "SELECT max(id) FROM call")
    _forge(demo, "CREATE TEMP TABLE t AS SELECT * FROM call WHERE id = 1", f"UPDATE t SET id = {top + 1}",
           "INSERT INTO call SELECT * FROM t",
           "INSERT INTO audit_event (id, at, action, entity, entity_id, after, prev_hash, hash) "
           f"SELECT -1, at, action, 'call', '{top + 1}', after, 'x', 'y' FROM audit_event "
           "WHERE entity = 'call' AND entity_id = '1' ORDER BY id DESC LIMIT 1")
    with demo.read() as s:
        result = audit.verify(s)
    assert not result.ok and result.broken_at == -1
    assert any(f.table == "call" and f.id == top + 1 for f in _findings(demo))
