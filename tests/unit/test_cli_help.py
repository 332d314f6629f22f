"""`deskconsole --help` reads like a tool's help: each option names what it takes (a path or
URL, a language, a date in the form expected), never a bare type name such as "<str>"."""

from __future__ import annotations

import pytest

from tests.reliability.cli import run_cli


@pytest.mark.parametrize("args, shown", [
    ((), ["--db PATH|URL", "--lang zh-CN|en", "--log-level LEVEL"]),
    (("summary",), ["--shift ID", "--date YYYY-MM-DD", "--from HH:MM", "--range FROM TO", "--output FILE",
                    "--as-of YYYY-MM-DDTHH:MM"]),
    (("export",), ["--from YYYY-MM-DD", "--to YYYY-MM-DD", "--output FILE", "--supervisor STAFF_NO"]),
])
def test_help_names_what_each_option_takes(monkeypatch, capsys, args, shown):
    code, out, _ = run_cli(monkeypatch, capsys, *args, "--help")
    assert code == 0 and "<str>" not in out
    assert [s for s in shown if s not in out] == []


def test_version_is_one_line(monkeypatch, capsys):
    from deskconsole import __version__

    code, out, _ = run_cli(monkeypatch, capsys, "--version")
    assert code == 0 and out == f"deskconsole {__version__}\n"
