"""The demo seals its rows through its own reader (demo/digest.py: raw sqlite3, per-column
memos) and worker processes (demo/seal.py): what it writes must be exactly what
services/audit_rows computes, or `audit verify` would report every row of a fresh demo."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from deskconsole.db import guards
from deskconsole.db.store import Store
from deskconsole.demo import digest, generate
from deskconsole.demo import seal as demo_seal
from deskconsole.services import audit, audit_rows


@pytest.fixture
def demo(tmp_path, clock):
    store = Store(f"sqlite:///{tmp_path / 'demo.db'}").open()
    generate(store, days=3, seed=4, clock=clock)
    yield store
    store.close()


def _core_seals(store) -> list:
    with store.read() as s:
        return list(audit_rows.seals(s))


def _fast_seals(store) -> list:
    raw = sqlite3.connect(store.engine.url.database)
    try:
        return list(digest.seals(raw, store.engine.dialect))
    finally:
        raw.close()


def test_the_demo_reader_gives_the_seals_audit_rows_gives(demo):
    fast = _fast_seals(demo)
    assert {entity for entity, _rid, _seal in fast} == set(audit_rows.SEALED) - {"expected_visit", "watch_hit"}
    assert fast == _core_seals(demo)


def test_the_demo_reader_agrees_on_values_the_demo_never_writes(demo):
    """Times with microseconds or in another shape, fees with cents, odd text, a 0/1 bool."""
    with demo.engine.begin() as conn:
        guards.drop(conn)
        conn.execute(text("UPDATE visit SET arrived_at = '2026-01-02 03:04:05.123456', name = 'O''Brien \"x\"\\\n', "
                          "served_at = '2026-01-02 03:04:05' WHERE id = 1"))
        conn.execute(text("UPDATE visit SET checked_out_at = '2026-01-02T03:04:00.000000' WHERE id = 2"))
        conn.execute(text("UPDATE ticket SET fee_amount = 12.5, fee_currency = 'CNY' WHERE id = 1"))
        conn.execute(text("UPDATE ticket SET fee_amount = 80 WHERE id = 2"))
        conn.execute(text("UPDATE call SET within_limit = 1, answer_seconds = 0 WHERE id = 1"))
    assert _fast_seals(demo) == _core_seals(demo)


def test_workers_and_this_process_write_the_same_seal_events(demo):
    def flat(afters) -> list:
        return [(entity, eid, after) for entity, rows in afters for eid, after in rows]

    path = demo.engine.url.database
    with demo.engine.connect() as conn:
        raw = conn.connection.driver_connection
        tasks = demo_seal._tasks(raw)
        by_workers = flat(demo_seal._Workers(path, tasks, 2).results())
        here = flat((task[0], demo_seal._work(raw, conn.dialect, task, {})) for task in tasks)
        core = flat(demo_seal._in_process(conn))
    assert len(tasks) > 2  # several tasks, handed to both workers in turn
    assert by_workers == here == core


def test_a_worker_converts_each_stored_value_once_whatever_its_id_range(demo, monkeypatch):
    """Statuses, names and units recur from one id range to the next: a worker keeps its
    memos, so what it met in an earlier range is looked up, not converted again."""
    converted = []
    real = digest.audit_walk.reader

    def counting(dialect, col):
        read = real(dialect, col)

        def counted(value):
            converted.append((col.table.name, col.name, value))
            return read(value)
        return counted

    monkeypatch.setattr(digest.audit_walk, "reader", counting)
    with demo.engine.connect() as conn:
        raw = conn.connection.driver_connection
        last = raw.execute("SELECT max(id) FROM visit").fetchone()[0]
        shared: dict = {}
        for lo, hi in ((1, last // 2), (last // 2, last + 1)):
            demo_seal._work(raw, conn.dialect, ("visit", lo, hi), shared)
    assert ("visit", "status", "left") in converted
    assert len(converted) == len(set(converted))


def test_a_fresh_demo_store_verifies_whole(demo):
    with demo.read() as s:
        assert list(audit_rows.verify_rows(s)) == []
        assert audit.verify(s).ok


def test_the_seal_payload_is_the_services_chain_payload():
    head = demo_seal.payload_head("2026-11-25T03:00:00+00:00", "ticket")
    after = '{"seal": {"c": "AAA=", "d": "ab", "v": 1}}'
    assert demo_seal.payload(head, "42", after, "f" * 64) == audit.chain_payload(
        "2026-11-25T03:00:00+00:00", None, None, None, "seal", "ticket", "42", None, after, "f" * 64)


def test_the_seal_stage_file_is_gone_and_an_in_memory_store_is_sealed_too(demo, tmp_path, clock):
    assert not list(tmp_path.glob("*.demo-seal*"))
    memory = Store("sqlite://").open()
    try:
        generate(memory, days=2, seed=4, clock=clock)
        with memory.read() as s:
            assert list(audit_rows.verify_rows(s)) == []
            assert audit.verify(s).ok
    finally:
        memory.close()
