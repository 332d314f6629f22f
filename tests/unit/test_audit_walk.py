"""The fast records walk of `audit verify` (services/audit_walk.py) and the check on every core
(services/audit_parallel.py): the same findings as the one-process check, in a number of
statements that does not grow with what it finds, and each row's whole-row digest exactly the
repr of the values SQLAlchemy hands back (the format every seal holds)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from deskconsole.cli import audit as cli_audit
from deskconsole.demo import generate
from deskconsole.services import audit_parallel, audit_rows, audit_walk
from deskconsole.services.audit_rows import SEALED, Finding
from tests.reliability.cli import run_cli
from tests.unit.test_audit_rows import _findings, _forge, _one
from tests.unit.test_statement_counts import counted


@pytest.fixture
def demo(store, clock):
    generate(store, days=3, seed=3, clock=clock)
    return store


def _loose_visits(store, n: int) -> list[int]:
    with store.engine.connect() as conn:
        return list(conn.execute(text(
            "SELECT id FROM visit WHERE id NOT IN (SELECT visit_id FROM ticket WHERE visit_id IS NOT NULL) "
            f"ORDER BY id LIMIT {n}")).scalars())


def test_deleted_rows_are_found_in_the_same_statements_however_many(demo):
    """The rows gone since their events come with their latest event in one statement a table
    (the old check sent one more statement for each row found gone)."""
    one, *more = _loose_visits(demo, 6)
    _forge(demo, f"DELETE FROM visit WHERE id = {one}")
    with counted(demo) as sent_one:
        assert _findings(demo) == [Finding("visit", one, "deleted")]
    _forge(demo, f"DELETE FROM visit WHERE id IN ({', '.join(map(str, more))})")
    with counted(demo) as sent_six:
        assert sorted(f.id for f in _findings(demo)) == sorted([one, *more])
    assert len(sent_six) == len(sent_one)


def test_the_records_check_sends_a_few_statements_a_table(demo):
    with counted(demo) as sent:
        assert _findings(demo) == []
    assert len(sent) <= 4 * len(SEALED)


def test_each_rows_text_is_the_repr_of_its_values(demo):
    """On SQLite the repr is made from the stored text (the datetimes' reprs looked up by date
    and time): it must be exactly repr() of the values, for every row and child row."""
    seen = 0
    with demo.read() as s:
        for spec in SEALED.values():
            for rid, (raw, codec), _after, children, _orphans in audit_walk.walk(s, spec, 0, 500):
                if rid is None:
                    continue
                assert codec.text(raw) == repr(codec.values(raw)), (spec.entity, rid)
                for _cid, craw, ccodec in (c for kids in children.values() for c in kids):
                    assert ccodec.text(craw) == repr(ccodec.values(craw))
                seen += 1
    assert seen > 100


@pytest.mark.parametrize("stored", ["2026-11-24 09:00:00.000000", "2026-11-24 09:00:00", "2026-11-24 00:00:00.000000",
                                    "2026-11-24 09:00:07.250000", "0999-01-02 03:04:05.000006"])
def test_a_datetimes_repr_from_its_text_is_its_repr(stored):
    from datetime import UTC, datetime

    for _ in range(2):  # worked out, then looked up
        assert audit_walk.datetime_text(stored) == repr(datetime.fromisoformat(stored).replace(tzinfo=UTC))
    assert audit_walk.datetime_text(None) == "None"


def test_sealing_reads_the_same_seals_as_one_row_at_a_time(demo):
    with demo.read() as s:
        for entity, rid, seal in audit_rows.seals(s):
            if rid % 7 == 0:
                assert seal == audit_rows.seal_row(s, entity, rid), (entity, rid)


def test_parts_cover_each_table_in_id_order(demo):
    with demo.read() as s:
        parts = audit_parallel.parts(s, part=5)
    calls = [(lo, hi) for name, lo, hi in parts if name == "call"]
    assert calls[0][0] is None and calls[-1][1] is None and len(calls) > 2  # from the lowest id, whatever it is
    assert all(a[1] == b[0] for a, b in zip(calls, calls[1:], strict=False))
    assert [name for name, *_ in parts] == sorted((n for n, *_ in parts), key=list(SEALED).index)


def _verify(monkeypatch, capsys, store):
    monkeypatch.setenv("DESKCONSOLE_AUDIT_KEY_FILE", str(store.keys.path))
    return run_cli(monkeypatch, capsys, "--db", store.url, "--lang", "en", "audit", "verify")


def test_the_check_on_every_core_says_what_the_one_process_check_says(demo, monkeypatch, capsys):
    """Forged rows spread over several parts of several tables: the same lines, the same exit
    code, whether the check runs in this process or in workers (parts of 5 rows here)."""
    if audit_parallel.workers_for(demo.url) < 2:
        pytest.skip("one core")
    late = _one(demo, "SELECT min(id) FROM call WHERE answer_seconds >= 15")
    gone = _loose_visits(demo, 30)[-1]
    tid = _one(demo, "SELECT max(id) FROM ticket")
    _forge(demo, f"UPDATE call SET answer_seconds = 3 WHERE id = {late}",
           f"DELETE FROM visit WHERE id = {gone}",
           "INSERT INTO ticket_event (ticket_id, at, operator_id, kind, note) "
           f"VALUES ({tid}, '2026-11-24 09:00:00', 1, 'note', 'added')")
    monkeypatch.setattr(cli_audit, "PARALLEL_FROM", 10**12)
    one = _verify(monkeypatch, capsys, demo)
    monkeypatch.setattr(cli_audit, "PARALLEL_FROM", 0)
    monkeypatch.setattr(audit_parallel, "PART", 5)
    ran = []
    real = audit_parallel.verify_all
    monkeypatch.setattr(audit_parallel, "verify_all", lambda *a, **k: ran.append(1) or real(*a, **k))
    every = _verify(monkeypatch, capsys, demo)
    assert ran and one[0] == every[0] == 1
    assert one[1] == every[1] and one[2] == every[2]
    assert f"call {late}: changed" in every[1] and f"visit {gone}" in every[1]


def test_the_check_on_every_core_exits_0_on_a_whole_store_and_1_on_a_broken_chain(demo, monkeypatch, capsys):
    if audit_parallel.workers_for(demo.url) < 2:
        pytest.skip("one core")
    monkeypatch.setattr(cli_audit, "PARALLEL_FROM", 0)
    code, out, _ = _verify(monkeypatch, capsys, demo)
    events = _one(demo, "SELECT count(*) FROM audit_event")
    assert code == 0 and out.startswith(f"ok: {events} audit events")
    eid = _one(demo, "SELECT min(id) FROM audit_event WHERE entity = 'call'")
    _forge(demo, f"UPDATE audit_event SET action = 'x' WHERE id = {eid}")
    code, _, err = _verify(monkeypatch, capsys, demo)
    assert code == 1 and str(eid) in err


def test_the_per_column_digests_are_those_seals_hold(demo):
    """_per_column packs the 16-bit CRCs in one call: the same text as one at a time."""
    import base64
    import zlib

    def one_at_a_time(values) -> str:
        per = b"".join((zlib.crc32(audit_rows.canonical(v).encode("utf-8")) & 0xFFFF).to_bytes(2, "big")
                       for v in values)
        return base64.b64encode(per).decode("ascii")

    with demo.read() as s:
        for spec in SEALED.values():
            for rid, (raw, codec), *_ in audit_walk.walk(s, spec, 0, 500, with_event=False):
                if rid is not None:
                    values = codec.values(raw)
                    assert audit_rows._per_column(values) == one_at_a_time(values)


def test_since_reads_only_the_rows_touched_since_and_those_added(demo, clock):
    """An old ticket touched today is read with its history, not every ticket after it."""
    from datetime import timedelta

    from deskconsole.services import audit

    later = clock.now() + timedelta(days=1)
    tid = _one(demo, "SELECT min(id) FROM ticket")
    assert _one(demo, "SELECT count(*) FROM ticket") > 3
    demo.write(lambda s: audit.record(s, at=later + timedelta(hours=1), action="note", entity="ticket", entity_id=tid))
    kids = _one(demo, f"SELECT count(*) FROM ticket_event WHERE ticket_id = {tid}") + \
        _one(demo, f"SELECT count(*) FROM repair_step WHERE ticket_id = {tid}")
    _forge(demo, f"UPDATE ticket SET status = status || 'x' WHERE id = {tid}")
    read = []
    with demo.read() as s:
        found = list(audit_rows.verify_rows(s, since=later, progress=lambda done, _total: read.append(done)))
    assert found == [Finding("ticket", tid, "changed", ("status",))]
    assert read[-1] == 1 + kids


def test_a_quick_check_with_no_checkpoint_to_start_from_runs_on_every_core(demo, monkeypatch, capsys):
    """`--since` on a store with no checkpoint before that day walks the whole chain: on a big
    store that was one process alone, twice the full check's time (84 s against 44 s on the
    5-year bench store). It runs the full check on every core now; with a checkpoint to start
    from it stays the quick check."""
    from datetime import date, timedelta

    if audit_parallel.workers_for(demo.url) < 2:
        pytest.skip("one core")
    monkeypatch.setattr(cli_audit, "PARALLEL_FROM", 0)
    ran = []
    real = audit_parallel.verify_all
    monkeypatch.setattr(audit_parallel, "verify_all", lambda *a, **k: ran.append(1) or real(*a, **k))
    monkeypatch.setenv("DESKCONSOLE_AUDIT_KEY_FILE", str(demo.keys.path))
    day = (date.today() + timedelta(days=2)).isoformat()  # after any checkpoint taken now
    code, out, _ = run_cli(monkeypatch, capsys, "--db", demo.url, "--lang", "en", "audit", "verify", "--since", day)
    assert code == 0 and ran, out
    assert out.startswith(f"quick check: no audit checkpoint before {day}")

    late = _one(demo, "SELECT min(id) FROM call WHERE answer_seconds >= 15")
    _forge(demo, f"UPDATE call SET answer_seconds = 3 WHERE id = {late}")
    code, out, _ = run_cli(monkeypatch, capsys, "--db", demo.url, "--lang", "en", "audit", "verify", "--since", day)
    assert code == 1 and f"call {late}: changed" in out

    _forge(demo, f"UPDATE call SET answer_seconds = 15 WHERE id = {late}")  # (the seal's value back)
    ran.clear()
    assert run_cli(monkeypatch, capsys, "--db", demo.url, "audit", "checkpoint")[0] == 0
    code, out, _ = run_cli(monkeypatch, capsys, "--db", demo.url, "--lang", "en", "audit", "verify", "--since", day)
    assert code == 0 and not ran and "quick check: the chain walked from the audit checkpoint" in out, out
