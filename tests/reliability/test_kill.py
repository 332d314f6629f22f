"""Nothing the console showed as saved is lost when the terminal is unplugged.

A writer process stores records through the real services and prints each one only after
its commit; it is killed with SIGKILL at moments the test does not choose (after a random
number of acknowledgements, the writer then being inside its next transaction, or after a
random delay that may fall inside start-up and the first migration). After every kill the
store is reopened: every acknowledged record is there, the file passes PRAGMA
integrity_check, the schema version is intact and the audit chain still verifies.

Real time is unavoidable here (a process is killed); nothing is asserted about timing.
"""

from __future__ import annotations

import os
import random
import subprocess

from deskconsole.db import migrate
from deskconsole.db.store import Store
from deskconsole.services import audit
from tests.reliability.harness import KILL_TRIALS, Writer, missing_records


def _reopen_and_check(url: str, acknowledged: list[tuple[str, int]]) -> None:
    store = Store(url).open(migrate=False)
    try:
        if migrate.current(store) == ():
            # Killed before the first migration committed: all or nothing, so no tables at all.
            from sqlalchemy import inspect

            with store.engine.connect() as conn:
                assert inspect(conn).get_table_names() == [], "a first migration was half applied"
            assert acknowledged == []
            return
        assert migrate.check(store) == [], "integrity or schema version broken after a kill"
        assert missing_records(store, acknowledged) == []
        with store.read() as s:
            result = audit.verify(s)
        assert result.ok, f"audit chain broken at event {result.broken_at} after a kill"
    finally:
        store.close()


def test_every_acknowledged_record_survives_sigkill_at_random_moments(tmp_path):
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    rng = random.Random(int(os.environ.get("DESKCONSOLE_KILL_SEED", "20261125")))
    acknowledged: list[tuple[str, int]] = []
    for trial in range(KILL_TRIALS):
        writer = Writer(url, tag=f"K{trial}")
        if trial == 0 or rng.random() < 0.2:
            # A moment in real time: may land in imports, the first migration or sign-on.
            try:
                writer.proc.wait(timeout=rng.uniform(0.2, 1.6))
            except subprocess.TimeoutExpired:
                pass
            writer.kill_after(0)
        else:
            writer.kill_after(rng.randint(1, 40))
        assert writer.proc.returncode == -9, "".join(writer.errors)[-2000:]
        acknowledged += writer.acknowledged()
        _reopen_and_check(url, acknowledged)
    print(f"\nkill trials: {KILL_TRIALS}, acknowledged records: {len(acknowledged)}, lost: 0")
    assert acknowledged, "no trial acknowledged a record: the harness tested nothing"


def test_a_store_killed_before_its_first_commit_opens_clean(tmp_path):
    """Killed while opening a brand-new store: the next start finds a usable, current store."""
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    writer = Writer(url, tag="F")
    writer.ready.wait(60)  # "opened": migrations done, the first sign-on under way
    writer.kill_after(0)
    _reopen_and_check(url, writer.acknowledged())
    store = Store(url).open()
    assert migrate.current(store) == migrate.heads()
    store.close()
