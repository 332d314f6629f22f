"""A demo cannot leave a broken store: `deskconsole demo` is killed (SIGKILL, or Ctrl+C as
SIGINT) at moments the test does not choose, while it starts, generates in its two processes,
or merges. After every kill the target is an empty store that passes `db check` and
`audit verify`, no process of the run is left, and a demo run on the same target succeeds
and leaves no temporary file behind. After Ctrl+C nothing is left even before that re-run.

Real time is unavoidable here (a process is killed); nothing is asserted about timing.
DESKCONSOLE_DEMO_KILL_TRIALS (default 5) and DESKCONSOLE_KILL_SEED choose the trials."""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from deskconsole.db import migrate
from deskconsole.db.store import Store
from deskconsole.demo import sink as demo_sink
from deskconsole.demo.target import leftovers
from deskconsole.services import audit
from tests.reliability.harness import ROOT, env_int

TRIALS = env_int("DESKCONSOLE_DEMO_KILL_TRIALS", 5)

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="finds the run's processes in /proc")


def _demo(db: Path, marker: str, *args: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT), DESKCONSOLE_KILL_MARKER=marker)
    return subprocess.Popen([sys.executable, "-m", "deskconsole", "--db", str(db), "--lang", "en",
                             "demo", *args], env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _processes_with(marker: str) -> list[int]:
    """Every process whose environment carries `marker` (a forked generator inherits it)."""
    found = []
    needle = f"DESKCONSOLE_KILL_MARKER={marker}".encode()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if needle in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def _outlives(pid: int, seconds: float) -> bool:
    """Whether process `pid` is still there after `seconds` (waits on a pidfd, no polling)."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return False
    try:
        ready, _, _ = select.select([fd], [], [], seconds)
        return not ready
    finally:
        os.close(fd)


def _assert_empty_and_sound(db: Path) -> bool:
    """True when the kill came after the finished demo was moved into place (the store is then
    whole and sound); False for an empty store. Anything between fails."""
    store = Store(f"sqlite:///{db}").open(migrate=False)
    try:
        if migrate.current(store) == ():
            # Killed inside the store's first migration, which is all or nothing: no tables.
            from sqlalchemy import inspect

            with store.engine.connect() as conn:
                assert inspect(conn).get_table_names() == [], "a first migration was half applied"
            return False
        assert migrate.check(store) == [], "db check finds a problem after a killed demo"
        with store.engine.connect() as conn:
            filled = [t for t in demo_sink.TABLES
                      if conn.exec_driver_sql(f'SELECT 1 FROM "{t}" LIMIT 1').first() is not None]
        with store.read() as s:
            assert audit.verify(s).ok, "audit verify fails after a killed demo"
        if filled == list(demo_sink.TABLES):
            return True  # killed after the move: every table of the demo, whole
        assert filled == [], f"a killed demo left rows in {filled}"
        return False
    finally:
        store.close()


def test_a_demo_killed_at_random_moments_leaves_an_empty_sound_store_and_nothing_behind(tmp_path):
    rng = random.Random(int(os.environ.get("DESKCONSOLE_KILL_SEED", "20261203")))
    killed = 0
    for trial in range(TRIALS):
        db = tmp_path / f"trial{trial}" / "desk.db"
        db.parent.mkdir()
        marker = uuid.uuid4().hex
        how = signal.SIGINT if trial % 3 == 2 else signal.SIGKILL
        proc = _demo(db, marker, "--days", "200", "--seed", str(trial))
        try:
            proc.wait(timeout=rng.uniform(0.5, 4.0))
        except subprocess.TimeoutExpired:
            proc.send_signal(how)
        out, err = proc.communicate(timeout=120)
        if proc.returncode == 0:
            continue  # finished before the moment came: nothing to check about a kill
        killed += 1
        left = [pid for pid in _processes_with(marker) if _outlives(pid, 10)]
        assert left == [], f"trial {trial}: processes {left} outlived the killed demo"
        if how == signal.SIGINT:
            assert proc.returncode == 130, err[-2000:]
            assert "Traceback" not in err, err[-2000:]
            assert leftovers(db) == [], f"trial {trial}: Ctrl+C left {leftovers(db)}"
        else:
            assert proc.returncode == -signal.SIGKILL, err[-2000:]
        if not db.exists():
            continue  # killed before the store was created
        if _assert_empty_and_sound(db):
            continue  # the demo was complete before the kill: nothing to re-run into
        again = _demo(db, uuid.uuid4().hex, "--days", "2", "--seed", "1")
        out, err = again.communicate(timeout=120)
        assert again.returncode == 0, f"trial {trial}: the re-run failed: {err[-2000:]}"
        assert leftovers(db) == [], f"trial {trial}: left behind {leftovers(db)}"
        # The store, and the audit checkpoint that pins the demo's chain (kept beside it).
        assert sorted(p.name for p in db.parent.iterdir()) == ["desk.db", "desk.db.checkpoints"]
    assert killed > 0, "no trial was killed before it finished: the kill moments are too late"
