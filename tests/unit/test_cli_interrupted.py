"""Ctrl+C on the command line, wherever it lands, is one line in the user's language and exit
code 130 as the process's own exit status, never a traceback, silence or "killed by SIGINT".

The interruptions are made deterministic: a KeyboardInterrupt raised from code that exec() ran
from a string, as happens when Ctrl+C lands while dataclasses or namedtuple build methods during
an import. Run as `python -m` (as the tests and some launchers run it), CPython then remembers
the interrupt as unhandled even after we handle it, and left alone kills the process with
SIGINT at exit (the CI run that saw -2 instead of 130)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.reliability.cli import run_cli
from tests.reliability.harness import ROOT

# The demo command is interrupted inside its work (Typer turns that into a silent Exit(130)).
IN_A_COMMAND = """
import sys
import deskconsole.demo as demo

def fill(*args, **kwargs):
    exec("raise KeyboardInterrupt")

demo.fill = fill
sys.argv = ["deskconsole", "--db", sys.argv[1], "--lang", sys.argv[2], "demo", "--days", "2"]
from deskconsole.cli import main
main()
"""

# Ctrl+C while the commands are still being imported, before any guard is in place.
WHILE_IMPORTING = """
import sys

class Interrupting:
    def find_spec(self, name, path=None, target=None):
        if name == "deskconsole.cli.main":
            exec("raise KeyboardInterrupt")
        return None

sys.meta_path.insert(0, Interrupting())
sys.argv = ["deskconsole", "--db", sys.argv[1], "--lang", sys.argv[2], "demo", "--days", "2"]
from deskconsole.cli import main
main()
"""


def _run(code: str, db, lang: str) -> subprocess.CompletedProcess:
    """`code` run as `python -m` (a module of its own beside the store): only that way does
    CPython end in SIGINT after a handled interrupt; with -c or a script it exits as told."""
    (db.parent / "interrupting.py").write_text(code, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(db.parent), str(ROOT)]))
    return subprocess.run([sys.executable, "-m", "interrupting", str(db), lang], env=env,
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def test_ctrl_c_inside_a_command_is_one_line_and_exit_130(tmp_path):
    done = _run(IN_A_COMMAND, tmp_path / "desk.db", "en")
    assert done.returncode == 130, (done.returncode, done.stderr[-2000:])
    assert done.stderr == "deskconsole: interrupted\n"


def test_ctrl_c_while_the_commands_import_is_one_line_in_the_users_language(tmp_path):
    done = _run(WHILE_IMPORTING, tmp_path / "desk.db", "zh-CN")
    assert done.returncode == 130, (done.returncode, done.stderr[-2000:])
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("deskconsole: ")
    assert "Traceback" not in done.stderr and "interrupted" not in done.stderr


def test_in_process_an_interrupted_command_says_so(monkeypatch, capsys, tmp_path):
    import deskconsole.demo as demo

    def fill(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(demo, "fill", fill)
    code, out, err = run_cli(monkeypatch, capsys, "--db", str(tmp_path / "d.db"), "--lang", "en",
                             "demo", "--days", "2")
    assert (code, out, err) == (130, "", "deskconsole: interrupted\n")
