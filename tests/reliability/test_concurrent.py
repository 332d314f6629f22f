"""Several terminals on one store: four writer processes write at once
through the real services; every write lands, none sees "database is locked", and the audit
chain they append to stays one unbroken chain. Runs on SQLite and on PostgreSQL (`store`
fixture: with CI=true a missing PostgreSQL fails the run).

Default 4 x 50 writes; DESKCONSOLE_WRITES_PER_PROCESS=2500 for the 10,000-write figure.
"""

from __future__ import annotations

from sqlalchemy import text

from deskconsole.services import audit
from tests.reliability.harness import WRITES_PER_PROCESS, Writer, missing_records, stop_all

PROCESSES = 4


def test_four_writer_processes_lose_nothing_and_never_see_a_lock_error(store):
    writers = [Writer(store.url, tag=f"C{n}", writes=WRITES_PER_PROCESS, mix="audit")
               for n in range(PROCESSES)]
    try:
        results = [w.finish(timeout=120 + WRITES_PER_PROCESS * 0.5) for w in writers]
    finally:
        stop_all(writers)
    acknowledged = [rec for w in writers for rec in w.acknowledged() if rec[0] == "audit_event"]

    assert sum(lock_errors for _, lock_errors in results) == 0
    assert sum(done for done, _ in results) == PROCESSES * WRITES_PER_PROCESS
    assert len(set(acknowledged)) == PROCESSES * WRITES_PER_PROCESS
    assert missing_records(store, acknowledged) == []
    with store.read() as s:
        probes = s.execute(text("SELECT count(*) FROM audit_event WHERE action = 'probe'")).scalar_one()
        chain = audit.verify(s)
    assert probes == PROCESSES * WRITES_PER_PROCESS
    assert chain.ok, f"concurrent appends forked the audit chain at event {chain.broken_at}"
    backend = "postgresql" if not store.is_sqlite else "sqlite"
    print(f"\n{backend}: {PROCESSES} processes x {WRITES_PER_PROCESS} writes = {probes} found, lock errors 0")
