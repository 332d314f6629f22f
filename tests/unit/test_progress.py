"""Long work shows a progress bar on standard error when that is a terminal, never when it is
piped or with --quiet; each command still ends with its one summary line."""

from __future__ import annotations

import io
import sys

import pytest

from deskconsole.cli.common import run_guarded
from deskconsole.cli.main import app


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def run(tmp_path, monkeypatch, capsys):
    def run(*args: str, terminal: bool) -> tuple[int, str, str]:
        err = Terminal() if terminal else io.StringIO()
        monkeypatch.setattr(sys, "argv", ["deskconsole", "--db", str(tmp_path / "d.db"), "--lang", "en", *args])
        monkeypatch.setattr(sys, "stdin", io.StringIO(""))
        monkeypatch.setattr(sys, "stderr", err)
        code = run_guarded(app)
        return code, capsys.readouterr().out, err.getvalue()

    return run


def test_demo_on_a_terminal_shows_a_bar_then_one_summary_line(run):
    code, out, err = run("demo", "--days", "3", "--end", "2026-11-20", terminal=True)
    assert code == 0 and "demo data" in err and "3/3" in err and "━" in err
    assert out.splitlines()[0].startswith("demo data: 3 days")


@pytest.mark.parametrize("args, terminal", [(("--quiet",), True), ((), False)])
def test_no_bar_with_quiet_or_when_piped(run, args, terminal):
    code, out, err = run(*args, "demo", "--days", "2", terminal=terminal)
    assert code == 0 and err == "" and out.startswith("demo data: 2 days")
    code, out, err = run(*args, "audit", "verify", terminal=terminal)
    assert code == 0 and err == "" and out.count("\n") == 1


def test_audit_verify_on_a_terminal_shows_a_bar(run):
    run("demo", "--days", "1", terminal=False)
    code, out, err = run("audit", "verify", terminal=True)
    assert code == 0 and "verifying the audit chain" in err and out.count("\n") == 1
