"""Cold start to the first screen, through a real terminal: each run starts a fresh process in
a new tmux window (100x30) and polls `capture-pane` every few milliseconds until the screen
shows a marker (deskconsole: the sign-on title; the baseline: its table row). The tmux server
is started beforehand on a private socket, so only the program's own start is timed."""

from __future__ import annotations

import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = Path(sys.executable)


def _tmux(sock: str, *args: str) -> str:
    return subprocess.run(["tmux", "-L", sock, *args], capture_output=True, text=True).stdout


def time_to_marker(command: str, marker: str, *, runs: int = 5, timeout: float = 60.0) -> list[float]:
    sock = f"deskbench{os.getpid()}"
    _tmux(sock, "new-session", "-d", "-s", "idle", "-x", "100", "-y", "30", "sleep 600")
    times = []
    try:
        for i in range(runs):
            name = f"run{i}"
            started = time.perf_counter()
            _tmux(sock, "new-session", "-d", "-s", name, "-x", "100", "-y", "30", command)
            while True:
                elapsed = time.perf_counter() - started
                if marker in _tmux(sock, "capture-pane", "-p", "-t", name):
                    times.append(elapsed)
                    break
                if elapsed > timeout:
                    times.append(float("nan"))
                    break
                time.sleep(0.003)
            _tmux(sock, "kill-session", "-t", name)
    finally:
        _tmux(sock, "kill-server")
    return times


def cold_start(db: Path, runs: int = 5) -> dict:
    home = tempfile.mkdtemp(prefix="bench-start-")
    desk = (f"env DESKCONSOLE_HOME={shlex.quote(home)} {shlex.quote(str(PY.parent / 'deskconsole'))} "
            f"--db {shlex.quote(str(db))} --lang en")
    bare = f"{shlex.quote(str(PY))} {shlex.quote(str(ROOT / 'bench' / 'bare_app.py'))}"
    # A lobby PC starts with the parsed catalogs in its cache folder (written by the first
    # start, under DESKCONSOLE_HOME here): fill it first, so every timed run is such a start.
    subprocess.run([str(PY), "-c", "from deskconsole.i18n import load_catalog as c; c('en'); c('zh-CN')"],
                   env={**os.environ, "DESKCONSOLE_HOME": home}, check=True)
    # Interleave, so that a burst of load on a shared machine hits both alike.
    d, b = [], []
    for _ in range(runs):
        b += time_to_marker(bare, "bare-ready", runs=1)
        d += time_to_marker(desk, "Sign on", runs=1)
    bm, dm = statistics.median(b), statistics.median(d)
    return {"bare_ms": round(bm * 1000), "deskconsole_ms": round(dm * 1000), "ratio": round(dm / bm, 2),
            "bare_runs_ms": [round(x * 1000) for x in b], "deskconsole_runs_ms": [round(x * 1000) for x in d]}


if __name__ == "__main__":
    import json

    print(json.dumps(cold_start(Path(sys.argv[1]), runs=int(sys.argv[2]) if len(sys.argv) > 2 else 3)))
