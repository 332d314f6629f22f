"""Running the `deskconsole` command in-process, as a user would type it."""

from __future__ import annotations

import io
import sys

from deskconsole.cli.common import run_guarded
from deskconsole.cli.main import app


def run_cli(monkeypatch, capsys, *args: str, stdin: str = "") -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `deskconsole ARGS`."""
    monkeypatch.setattr(sys, "argv", ["deskconsole", *args])
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    monkeypatch.setenv("COLUMNS", "200")
    code = run_guarded(app)
    out = capsys.readouterr()
    return code, out.out, out.err
