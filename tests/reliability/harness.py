"""Running writer processes and checking what survived them.

Trial counts are small by default so the folder runs in seconds; the closing-note numbers
come from one run with larger counts:

    DESKCONSOLE_KILL_TRIALS=200 DESKCONSOLE_WRITES_PER_PROCESS=2500 pytest tests/reliability
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WRITER = Path(__file__).with_name("writer.py")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


KILL_TRIALS = env_int("DESKCONSOLE_KILL_TRIALS", 4)
WRITES_PER_PROCESS = env_int("DESKCONSOLE_WRITES_PER_PROCESS", 50)


class Writer:
    """One writer subprocess; a thread collects the acknowledged "<table> <id>" lines."""

    def __init__(self, url: str, *, tag: str, writes: int = 0, mix: str = "storm") -> None:
        self.lines: list[str] = []
        self.ready = threading.Event()
        self._wanted = 0
        self._reached = threading.Event()
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self.proc = subprocess.Popen(
            [sys.executable, str(WRITER), url, "--tag", tag, "--writes", str(writes), "--mix", mix],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        self.errors: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._err_reader = threading.Thread(target=lambda: self.errors.extend(self.proc.stderr), daemon=True)
        self._err_reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            if not line.endswith("\n"):
                break  # cut off by the kill: never acknowledged
            self.lines.append(line.rstrip("\n"))
            if line.startswith("shift "):
                self.ready.set()
            if self._wanted and len(self.acknowledged()) >= self._wanted:
                self._reached.set()
        self.ready.set()
        self._reached.set()

    def acknowledged(self) -> list[tuple[str, int]]:
        out = []
        for line in list(self.lines):
            table, _, rid = line.partition(" ")
            if table not in ("opened", "done") and rid.isdigit():
                out.append((table, int(rid)))
        return out

    def kill_after(self, records: int, timeout: float = 60) -> None:
        """SIGKILL once `records` records are acknowledged (or at once when 0): the writer is
        then somewhere inside its next transaction, at a moment the test does not choose."""
        self._wanted = records
        if records:
            if len(self.acknowledged()) < records:
                self._reached.wait(timeout)
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout)
        self._reader.join(timeout)

    def stop(self) -> None:
        """Kill the writer if it still runs (a failed test leaves no process behind)."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(30)

    def finish(self, timeout: float = 300) -> tuple[int, int]:
        """Wait for a bounded writer; (writes, lock errors) from its last line."""
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            raise AssertionError(f"writer still running after {timeout} s") from None
        self._reader.join(timeout)
        self._err_reader.join(timeout)
        if self.proc.returncode != 0:
            raise AssertionError(f"writer failed ({self.proc.returncode}): {''.join(self.errors)[-2000:]}")
        last = self.lines[-1].split()
        assert last[0] == "done", self.lines[-3:]
        return int(last[1]), int(last[2])


def stop_all(writers: list[Writer]) -> None:
    for w in writers:
        w.stop()


def missing_records(store, acknowledged: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Acknowledged records that are not in the store."""
    from sqlalchemy import text

    wanted: dict[str, set[int]] = defaultdict(set)
    for table, rid in acknowledged:
        wanted[table].add(rid)
    missing = []
    with store.engine.connect() as conn:
        for table, ids in wanted.items():
            found: set[int] = set()
            ordered = sorted(ids)
            for start in range(0, len(ordered), 500):
                chunk = ordered[start:start + 500]
                rows = conn.execute(text(f'SELECT id FROM "{table}" WHERE id IN ({",".join(map(str, chunk))})'))
                found.update(r[0] for r in rows)
            missing += [(table, rid) for rid in ordered if rid not in found]
    return missing
