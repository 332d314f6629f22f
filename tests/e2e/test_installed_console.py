"""What a lobby PC runs: the wheel, installed with its dependencies into a fresh venv outside
the checkout (as `pip install` and `pipx install` do), started from another folder. The
editable checkout can hide a missing file (STYLE §16), so the wheel is built here, listed,
installed and driven by the CLI and in tmux; and nothing may be written into the installed
package while it runs (it may be read-only, and `pip uninstall` must remove it whole).

The wheel and its venv are built once per session (~25 s, from pip's cache)."""

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.tmux import desk_env, keys, need_tmux, wait_for, wait_gone

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "deskconsole"
EDITABLE_BIN = Path(sys.executable).parent / "deskconsole"
# Not part of the wheel, and slow or pointless to copy before building it.
_SKIP_AT_ROOT = {".git", ".venv", "build", "dist", "tests", "docs", "bench"}
_SKIP_ANYWHERE = ("__pycache__", "*.egg-info", ".pytest_cache", ".ruff_cache", ".hypothesis", "*.db")


@dataclass(frozen=True)
class Installed:
    wheel: Path
    bin: Path  # the venv's deskconsole script
    package: Path  # site-packages/deskconsole in that venv
    seconds: float  # venv + pip install, for the record


def _ignore(folder: str, names: list[str]) -> set[str]:
    skipped = set(shutil.ignore_patterns(*_SKIP_ANYWHERE)(folder, names))
    if Path(folder) == ROOT:
        skipped |= _SKIP_AT_ROOT & set(names)
    return skipped


def _run(args, **kw) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kw)
    assert done.returncode == 0, f"{args} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="session")
def installed(tmp_path_factory) -> Installed:
    base = tmp_path_factory.mktemp("wheel")
    # Built from a clean copy: setuptools' build/ folder in a checkout can keep files that
    # no longer exist, and a wheel built from it would carry them.
    src = base / "src"
    shutil.copytree(ROOT, src, ignore=_ignore)
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", base / "dist", src])
    (wheel,) = (base / "dist").glob("deskconsole-*.whl")
    started = time.monotonic()
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", venv])
    _run([venv / "bin" / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check",
          "-c", ROOT / "constraints.txt", wheel])  # the versions CI tested
    seconds = time.monotonic() - started
    where = _run([venv / "bin" / "python", "-c", "import deskconsole; print(deskconsole.__file__)"],
                 cwd=base, env=_env(base / "home")).stdout.strip()
    return Installed(wheel, venv / "bin" / "deskconsole", Path(where).parent, seconds)


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return {**env, "DESKCONSOLE_HOME": str(home), "DESKCONSOLE_LANG": "en", "COLUMNS": "160",
            "TERM": "xterm-256color"}


def _files(package: Path, *, editable: bool) -> dict[str, int]:
    """Every path under the package with its modification time. A checkout recompiles the
    modules edited since the last run, so there only bytecode is let change."""
    out = {}
    for path in package.rglob("*"):
        if editable and (path.name == "__pycache__" or path.suffix == ".pyc"):
            continue
        out[str(path.relative_to(package))] = path.stat().st_mtime_ns
    return out


def _changed(before: dict[str, int], after: dict[str, int]) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def test_wheel_carries_every_file_the_console_reads_at_run_time(installed):
    from deskconsole.db import migrate

    names = set(zipfile.ZipFile(installed.wheel).namelist())
    wanted = [p.relative_to(ROOT).as_posix() for pattern in
              ("ui/**/*.tcss", "locales/*/*.toml", "data/*.toml", "db/migrations/**/*.py",
               "db/migrations/*.mako")
              for p in PACKAGE.glob(pattern) if "__pycache__" not in p.parts]
    assert len(wanted) > 30 and any(w.startswith("deskconsole/data/") for w in wanted)
    assert sorted(set(wanted) - names) == []
    assert Path(migrate.SCRIPT_DIR).is_relative_to(PACKAGE)


def test_wheel_carries_every_catalog_the_code_loads(installed):
    """Each name passed to catalogs.load / catalog_path in the source, found in the wheel."""
    import re

    used = set()
    for path in PACKAGE.rglob("*.py"):
        used |= set(re.findall(r"[\"']([a-z_]+\.toml)[\"']", path.read_text(encoding="utf-8")))
    used -= {"pyproject.toml", "config.toml"}
    assert {"sla.toml", "call_categories.toml", "etiquette_checklist.toml"} <= used
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    assert sorted(n for n in used if f"deskconsole/data/{n}" not in names) == []


def test_installed_wheel_runs_from_another_folder_and_writes_nothing_into_itself(installed, tmp_path):
    cwd, home = tmp_path / "elsewhere", tmp_path / "home"
    cwd.mkdir()
    env = _env(home)
    before = _files(installed.package, editable=False)

    def run(*args: str) -> str:
        return _run([installed.bin, *args], cwd=cwd, env=env).stdout

    assert "0.1.0" in run("--version")
    assert "schema at" in run("db", "upgrade")
    assert "demo data: 3 days" in run("demo", "--days", "3")
    shown = run("etiquette", "show")
    assert "A Proactive" in shown and str(installed.package / "data" / "etiquette_checklist.toml") in shown
    assert "Repair" in run("ticket", "list")
    summary = json.loads(run("summary", "--format", "json"))
    assert summary["schema"] == 1 and summary["period"]["kind"] == "day"
    # the reports are found in the installed package (services/reports/forms/)
    assert "call-visit-register" in run("report", "--help")
    table = run("report", "work-statistics", "--from", "2020-01-01", "--to", "2024-12-31", "--format", "md")
    assert "| Total |" in table
    assert "Imported 5 entries" in run("directory", "import", str(ROOT / "data" / "residents_sample.csv"))
    assert _changed(before, _files(installed.package, editable=False)) == []
    assert list((home / "cache").glob("catalog-*.marshal"))  # the parsed catalogs went here


@pytest.mark.parametrize("install", ["editable", "wheel"])
def test_sign_on_and_visit_every_screen_in_a_real_terminal(install, request, tmp_path):
    """Sign on to Reception and open Phone, Tickets, Etiquette and Shift: each reads shipped
    catalogs (call categories, SLA, the checklist) the moment it is shown."""
    need_tmux()
    if install == "wheel":
        inst: Installed = request.getfixturevalue("installed")
        binary, package = inst.bin, inst.package
    else:
        binary, package = EDITABLE_BIN, PACKAGE
    editable = install == "editable"
    cwd, home = tmp_path / "elsewhere", tmp_path / "home"
    cwd.mkdir()
    env = _env(home)
    before = _files(package, editable=editable)
    _run([binary, "operator", "add", "--staff-no", "001", "--name", "Wang Fang", "--role",
          "supervisor", "--pin-stdin"], input="135790\n", cwd=cwd, env=env)
    _run([binary, "operator", "add", "--staff-no", "007", "--name", "Chen Jing", "--role",
          "receptionist", "--as", "001", "--pin-stdin"], input="135790\n2580\n", cwd=cwd, env=env)
    name = f"dc{uuid.uuid4().hex[:8]}"
    subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "100", "-y", "30", "-c", str(cwd),
                    *desk_env({**env, "DESKCONSOLE_LANG": "en"}), f"{binary}; sleep 5"], check=True, env=env)
    try:
        wait_for(name, "Sign on")
        keys(name, "007", "Enter")
        keys(name, "2580", "Enter")
        wait_for(name, "Start-of-shift self-check")  # DOMAIN §5
        for _ in range(11):
            keys(name, "Enter")
        keys(name, "C-s")
        assert "Check-in" in wait_for(name, "007 Chen Jing")  # Reception, past the self-check
        for key, marker in (("F3", "Missed calls not returned"), ("F4", "Due today"),
                            ("F5", "Etiquette: 007 Chen Jing"), ("F6", "This shift: Shift")):
            keys(name, key)
            wait_for(name, marker)
        keys(name, "C-q")
        wait_for(name, "Quit deskconsole?")
        keys(name, "y")
        wait_gone(name, "007 Chen Jing")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)
    assert _changed(before, _files(package, editable=editable)) == []
