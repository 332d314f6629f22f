"""Long work shows a progress bar on standard error when that is a terminal, never when it is
piped or with --quiet; each command still ends with its one summary line."""

from __future__ import annotations

import io
import re
import shutil
import sys

import pytest

from deskconsole.cli.common import run_guarded
from deskconsole.cli.main import app


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def run(tmp_path, monkeypatch, capsys):
    def run(*args: str, terminal: bool, stdin: str = "", lang: str = "en") -> tuple[int, str, str]:
        err = Terminal() if terminal else io.StringIO()
        monkeypatch.setattr(sys, "argv", ["deskconsole", "--db", str(tmp_path / "d.db"), "--lang", lang, *args])
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
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


def _counted(err: str) -> int | None:
    """The count of the bar's last frame when it reached its total ("260/260"), else None."""
    done = re.findall(r"(\d+)/(\d+)", err)
    return int(done[-1][0]) if done and done[-1][0] == done[-1][1] else None


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "d.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DESKCONSOLE_HOME", str(path.parent / "home"))  # never the real config or log folders
        for var in ("DESKCONSOLE_DB", "DESKCONSOLE_LANG", "DESKCONSOLE_CONFIG", "DESKCONSOLE_TZ"):
            mp.delenv(var, raising=False)
        mp.setattr(sys, "stdout", io.StringIO())
        mp.setattr(sys, "stderr", io.StringIO())
        assert run_guarded(app, ["--db", str(path), "--quiet", "demo", "--days", "3", "--end", "2026-11-20"]) == 0
    return path


@pytest.fixture
def with_demo(run, tmp_path, demo_file):
    shutil.copy(demo_file, tmp_path / "d.db")
    (tmp_path / "dir.csv").write_text("name,unit\n" + "".join(f"R{i},{i}01\n" for i in range(30)), encoding="utf-8")
    return run


PERIOD = ("--from", "2026-11-18", "--to", "2026-11-20")
COUNTED = [  # (arguments, stdin, the bar's label, the summary line: where and how it starts)
    (("directory", "import", "{tmp}/dir.csv"), "", "importing", ("out", "Imported 30 entries")),
    (("export", "calls", *PERIOD), "", "exporting", ("err", "{n} rows (Calls) -> standard output")),
    (("export", "visits", *PERIOD, "--format", "xlsx", "--output", "{tmp}/v.xlsx"), "", "exporting",
     ("err", "{n} rows (Visits) -> {tmp}/v.xlsx")),
    (("summary", "--range", "2026-11-18", "2026-11-20", "--format", "json", "--output", "{tmp}/s.json"), "",
     "counting", ("out", "summary written to {tmp}/s.json")),
    (("db", "backup", "{tmp}/b.db"), "", "backing up", ("out", "ok: {tmp}/b.db")),
    (("db", "copy", "--to", "{tmp}/c.db"), "", "copying", ("out", "ok: ")),
    (("purge", "--older-than", "1", "--staff-no", "001", "--pin-stdin"), "135790\n", "anonymising",
     ("out", "Anonymised records from before")),
]


@pytest.mark.parametrize("args, stdin, label, summary", COUNTED, ids=[c[0][0] + "-" + c[0][1] for c in COUNTED])
def test_long_work_on_a_terminal_shows_a_bar_that_counts_then_one_summary_line(with_demo, tmp_path, args,
                                                                                 stdin, label, summary):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    code, out, err = with_demo(*args, terminal=True, stdin=stdin)
    assert code == 0, err
    n = _counted(err)
    assert label in err and "━" in err and n is not None and n > 0, err
    where, line = summary
    text = out if where == "out" else err
    last = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text).rstrip("\n").splitlines()[-1]  # the bar cleared
    assert last.startswith(line.replace("{tmp}", str(tmp_path)).replace("{n}", str(n))), last


@pytest.mark.parametrize("args, stdin, label, summary", COUNTED, ids=[c[0][0] + "-" + c[0][1] for c in COUNTED])
@pytest.mark.parametrize("quiet, terminal", [(True, True), (False, False)], ids=["quiet", "piped"])
def test_long_work_quiet_or_piped_prints_no_bar(with_demo, tmp_path, args, stdin, label, summary, quiet, terminal):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    code, out, err = with_demo(*(["--quiet"] if quiet else []), *args, terminal=terminal, stdin=stdin)
    assert code == 0 and label not in err and "━" not in err, err
    where, _ = summary
    assert err.count("\n") == (1 if where == "err" else 0), err


def test_the_summary_line_is_in_the_users_language(with_demo, tmp_path):
    code, out, err = with_demo("--lang", "zh-CN", "export", "calls", *PERIOD, terminal=False, lang="zh-CN")
    assert code == 0 and err.rstrip("\n").endswith("行 (来电) -> 标准输出"), err
    code, out, _ = with_demo("summary", "--range", "2026-11-18", "2026-11-20", "--format", "md", "--output",
                             str(tmp_path / "s.md"), terminal=False, lang="zh-CN")
    assert code == 0 and out == f"汇总已写入 {tmp_path / 's.md'}\n"
