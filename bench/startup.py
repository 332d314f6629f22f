"""Cold start to the first screen, through a real terminal: each run starts a fresh process in
a new tmux window (100x30) and polls `capture-pane` every few milliseconds until the screen
shows a marker (deskconsole: the sign-on title; the baseline: its table row). The tmux server
is started beforehand on a private socket, so only the program's own start is timed.

Both programs run from a venv with the console installed from its wheel, as a lobby PC has it
(`pipx install`): its modules byte-compiled by pip at install. The dev checkout starts slower
for reasons no user meets: its editable install looks each module up through a path finder,
and a shell with PYTHONDONTWRITEBYTECODE set (this machine's) compiles every module of the
console from source at every start, while Textual's came compiled with its wheel."""

from __future__ import annotations

import functools
import hashlib
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = Path(sys.executable)
CACHE = ROOT / "bench" / ".cache"
# What the wheel is built from (the Makefile's `wheel` target builds it the same way).
_WHEEL_SOURCES = ("deskconsole", "pyproject.toml", "constraints.txt", "README.md", "CHANGELOG.md")


def _sources_fingerprint() -> str:
    h = hashlib.sha256()
    for name in _WHEEL_SOURCES:
        top = ROOT / name
        for path in sorted([top] if top.is_file() else top.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    return h.hexdigest()[:16]


@functools.cache  # once a bench run: the cold start is timed on two stores
def installed_python() -> Path | None:
    """The python of a venv with the console installed from its wheel (built once per state of
    the sources, under bench/.cache/). Its `deskconsole` script sits beside it. None when pip
    cannot build or install it (no index to fetch the build tools and dependencies from)."""
    venv = CACHE / f"wheel-{_sources_fingerprint()}"
    python = venv / "bin" / "python"
    if (venv / "bin" / "deskconsole").exists():
        return python
    for old in CACHE.glob("wheel-*"):
        shutil.rmtree(old)
    with tempfile.TemporaryDirectory(prefix="bench-wheel-") as tmp:
        src = Path(tmp) / "src"
        for name in _WHEEL_SOURCES:  # a clean copy: no build/ folder left from an earlier build
            if (ROOT / name).is_dir():
                shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.db"))
            else:
                src.mkdir(exist_ok=True)
                shutil.copy2(ROOT / name, src / name)
        run = lambda *args: subprocess.run([str(a) for a in args], check=True, capture_output=True, text=True)  # noqa: E731
        try:
            run(PY, "-m", "pip", "wheel", "--no-deps", "-q", "-w", Path(tmp) / "dist", src)
            (wheel,) = (Path(tmp) / "dist").glob("deskconsole-*.whl")
            run(PY, "-m", "venv", venv)
            run(python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-c",
                ROOT / "constraints.txt", wheel)
        except subprocess.CalledProcessError as error:  # pip needs an index (offline, say)
            shutil.rmtree(venv, ignore_errors=True)
            why = (error.stderr or error.stdout or "").strip().splitlines()[-1:] or [str(error)]
            print(f"bench: the wheel could not be installed ({why[0]}); timing the checkout instead",
                  file=sys.stderr)
            return None
    return python


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


def cold_start(db: Path, runs: int = 5, python: Path | None = None) -> dict:
    python = python or installed_python() or PY
    home = tempfile.mkdtemp(prefix="bench-start-")
    try:
        return _cold_start(db, runs, python, home)
    finally:
        shutil.rmtree(home, ignore_errors=True)  # it holds a copy of the audit key


def _cold_start(db: Path, runs: int, python: Path, home: str) -> dict:
    from deskconsole.config import config_dir
    from deskconsole.services.audit_key import KEY_FILE

    key = config_dir(os.environ) / KEY_FILE
    if key.exists():  # the audit key of the desk that built the store, as each of its desks has
        shutil.copy2(key, Path(home) / KEY_FILE)
    desk = (f"env DESKCONSOLE_HOME={shlex.quote(home)} {shlex.quote(str(python.parent / 'deskconsole'))} "
            f"--db {shlex.quote(str(db))} --lang en")
    bare = f"{shlex.quote(str(python))} {shlex.quote(str(ROOT / 'bench' / 'bare_app.py'))}"
    # A lobby PC starts with the parsed catalogs in its cache folder (written by the first
    # start, under DESKCONSOLE_HOME here): fill it first, so every timed run is such a start.
    subprocess.run([str(python), "-c", "from deskconsole.i18n import load_catalog as c; c('en'); c('zh-CN')"],
                   env={**os.environ, "DESKCONSOLE_HOME": home}, check=True, cwd=home)
    # Interleave, so that a burst of load on a shared machine hits both alike.
    d, b = [], []
    for _ in range(runs):
        b += time_to_marker(bare, "bare-ready", runs=1)
        d += time_to_marker(desk, "Sign on", runs=1)
    bm, dm = statistics.median(b), statistics.median(d)
    return {"installed": "wheel" if python != PY else "checkout",
            "bare_ms": round(bm * 1000), "deskconsole_ms": round(dm * 1000), "ratio": round(dm / bm, 2),
            "bare_runs_ms": [round(x * 1000) for x in b], "deskconsole_runs_ms": [round(x * 1000) for x in d]}


if __name__ == "__main__":
    import json

    # python -m bench.startup DB [RUNS] [--checkout]: --checkout times the dev checkout instead
    args = [a for a in sys.argv[1:] if a != "--checkout"]
    print(json.dumps(cold_start(Path(args[0]), runs=int(args[1]) if len(args) > 1 else 3,
                                python=PY if "--checkout" in sys.argv else None)))
