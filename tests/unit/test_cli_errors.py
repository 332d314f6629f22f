"""Every refusal and failure of the command line is one line on stderr, in the console's
language, with exit code 2 (usage, bad input, a store that cannot be used) or 1 (a check that
found a problem); never "unexpected error" for what a user can type or a store can be."""

from __future__ import annotations

import sqlite3

import pytest

from deskconsole.db.store import Store
from tests.reliability.cli import run_cli


@pytest.fixture
def db(tmp_path, make_actor):
    path = tmp_path / "cli.db"
    store = Store(f"sqlite:///{path}").open()
    make_actor(store)
    make_actor(store, staff_no="001", role="supervisor", name="王芳", pin="135790")
    store.close()
    return str(path)


def one_line(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("deskconsole: "), err
    assert "unexpected" not in err and "Traceback" not in err, err
    return err


@pytest.mark.parametrize("args", [
    ("void", "visit", "99999999999999999999", "--reason", "x", "--staff-no", "001", "--pin-stdin"),
    ("summary", "--as-of", "9999-12-31T23:59"),
    ("summary", "--shift", "99999999999999999999999"),
    ("summary", "--date", "9999-12-31"),
    ("ticket", "show", "99999999999999999999"),
    ("export", "visits", "--from", "0001-01-01", "--to", "9999-12-31"),
    ("visitor", "expect", "--name", "\udcff\udcfe", "--at", "14:30"),
    ("directory", "find", "\udcff"),
])
def test_out_of_range_and_undecodable_input_is_one_line_and_exit_2(db, monkeypatch, capsys, args):
    code, out, err = run_cli(monkeypatch, capsys, "--db", db, "--lang", "en", *args, stdin="135790\n")
    assert code == 2 and out == ""
    one_line(err)


def test_an_undecodable_argument_is_named_by_its_position(db, monkeypatch, capsys):
    code, _, err = run_cli(monkeypatch, capsys, "--db", db, "--lang", "zh-CN", "directory", "find", "\udcff")
    assert code == 2 and "第 7 个参数不是 UTF-8" in one_line(err)


def test_a_read_only_store_is_one_line_and_exit_2(db, monkeypatch, capsys):
    url = f"sqlite:///file:{db}?mode=ro&uri=true"
    code, _, err = run_cli(monkeypatch, capsys, "--db", url, "--lang", "en", "visitor", "expect",
                           "--name", "王", "--at", "14:30")
    assert code == 2 and "read-only" in one_line(err)


def test_a_dropped_audit_table_is_a_problem_for_the_checks_and_a_refusal_for_the_rest(db, monkeypatch, capsys):
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE audit_event")
    code, _, err = run_cli(monkeypatch, capsys, "--db", db, "--lang", "en", "audit", "verify")
    assert code == 1 and "audit_event" in one_line(err)
    code, _, err = run_cli(monkeypatch, capsys, "--db", db, "--lang", "en", "db", "check")
    assert code == 1 and "missing tables: audit_event" in one_line(err)
    code, _, err = run_cli(monkeypatch, capsys, "--db", db, "--lang", "en", "visitor", "expect",
                           "--name", "王", "--at", "14:30")
    assert code == 2 and "no such table: audit_event" in one_line(err)


def test_db_check_on_a_mistyped_path_creates_nothing(tmp_path, monkeypatch, capsys):
    typo = tmp_path / "missing" / "desk.db"
    code, _, err = run_cli(monkeypatch, capsys, "--db", str(typo), "--lang", "en", "db", "check")
    assert code == 2 and "no database at" in one_line(err)
    assert not typo.exists() and not typo.parent.exists()


def test_db_check_ok_is_exit_0(db, monkeypatch, capsys):
    code, out, _ = run_cli(monkeypatch, capsys, "--db", db, "--lang", "en", "db", "check")
    assert code == 0 and out.startswith("ok: ")


def test_a_fault_writes_the_crash_log_without_statement_parameters(tmp_path, monkeypatch, capsys):
    from sqlalchemy.exc import IntegrityError

    from deskconsole import logs
    from deskconsole.cli.common import guard

    path = logs.setup()  # this test's home: an earlier test may have pointed the log elsewhere

    def boom():
        raise RuntimeError("a bug") from IntegrityError("INSERT INTO visit (name) VALUES (?)",
                                                          ("王小明 13800138000",), Exception("x"))

    assert guard(boom) == 3
    err = capsys.readouterr().err
    assert "unexpected error (RuntimeError)" in one_line_fault(err)
    log = path.read_text(encoding="utf-8")
    assert "RuntimeError" in log and "13800138000" not in log and "王小明" not in log


def one_line_fault(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("deskconsole: ")
    return err


# -- conventions ----------------------------------------------------------------------------
def test_lang_is_accepted_after_the_subcommand(monkeypatch, capsys):
    code, out, err = run_cli(monkeypatch, capsys, "etiquette", "show", "--section", "off_duty", "--lang", "zh-CN")
    assert code == 0, err
    assert "离岗" in out or "岗" in out


def test_a_fixed_choice_is_refused_with_the_list_in_the_console_language(db, monkeypatch, capsys):
    code, _, err = run_cli(monkeypatch, capsys, "--db", db, "summary", "--format", "pdf", "--lang", "zh-CN")
    assert code == 2 and "--format 必须是以下之一: table, json, csv, md, xlsx" in one_line(err)
    code, _, err = run_cli(monkeypatch, capsys, "--db", db, "--lang", "en", "ticket", "list", "--kind", "x")
    assert code == 2 and "--kind must be one of: repair, complaint, inquiry, suggestion, callback" in one_line(err)


def test_fixed_choices_show_in_help(monkeypatch, capsys):
    code, out, _ = run_cli(monkeypatch, capsys, "export", "--help")
    assert code == 0 and "visits|calls|tickets|inspections" in out and "csv|xlsx" in out


def test_the_ticket_choices_are_the_models(monkeypatch):
    from typing import get_args

    from deskconsole.cli import ticket
    from deskconsole.models.tickets import TICKET_KINDS, TICKET_STATUSES

    assert get_args(ticket.Kind) == TICKET_KINDS and get_args(ticket.Status) == TICKET_STATUSES


def test_a_date_names_the_expected_form(db, monkeypatch, capsys):
    code, _, err = run_cli(monkeypatch, capsys, "--db", db, "--lang", "en", "export", "visits",
                           "--from", "25/11/2026", "--to", "2026-11-25")
    assert code == 2 and "--from: '25/11/2026' is not a date; use YYYY-MM-DD" in one_line(err)
    code, _, err = run_cli(monkeypatch, capsys, "--db", db, "--lang", "zh-CN", "summary", "--as-of", "soon")
    assert code == 2 and "YYYY-MM-DDTHH:MM" in one_line(err)


def test_an_unknown_option_is_one_translated_line(monkeypatch, capsys):
    code, _, err = run_cli(monkeypatch, capsys, "--lang", "zh-CN", "etiquette", "show", "--colour")
    assert code == 2 and "没有此选项: --colour" in one_line(err)


def test_messages_follow_the_console_language(db, monkeypatch, capsys, tmp_path):
    code, out, _ = run_cli(monkeypatch, capsys, "--db", db, "--lang", "zh-CN", "visitor", "expect",
                           "--name", "王", "--at", "14:30")
    assert code == 0 and out.startswith("已登记预约 #1 王")
    code, _, err = run_cli(monkeypatch, capsys, "--db", db, "--lang", "zh-CN", "ticket", "list", "--queue", "mine")
    assert code == 2 and "--queue mine 需要 --staff-no" in one_line(err)
    csv_file = tmp_path / "dir.csv"
    csv_file.write_text("name,unit,kind\n王,1-101,resident\n", encoding="utf-8")
    assert run_cli(monkeypatch, capsys, "--db", db, "directory", "import", str(csv_file))[0] == 0
    code, out, _ = run_cli(monkeypatch, capsys, "--db", db, "--lang", "zh-CN", "directory", "find", "1-1")
    assert code == 0 and out.startswith("住户\t1-101\t王")


def test_no_cli_refusal_is_an_english_literal():
    """Every fail() in the CLI names a catalog key, so it speaks the console's language."""
    import re
    from pathlib import Path

    import deskconsole.cli
    from deskconsole.i18n import load_catalog

    keys = load_catalog("zh-CN")
    for path in Path(deskconsole.cli.__file__).parent.glob("*.py"):
        if path.name == "operator.py":  # reworked elsewhere; its refusals are service errors
            continue
        for call in re.findall(r"\b(?:fail|found_problem)\(\s*(f?[\"'][^\"']*[\"'])", path.read_text(encoding="utf-8")):
            assert not call.startswith("f") and call.strip("\"'") in keys, (path.name, call)


def test_shell_completion_is_offered_without_starting_the_console(monkeypatch, capsys):
    import os
    import subprocess
    import sys

    code, out, err = run_cli(monkeypatch, capsys, "--show-completion", "bash")
    assert code == 0 and "_deskconsole_completion" in out, (code, out[-300:], err[-300:])  # once 1 under -n 2
    env = dict(os.environ, _DESKCONSOLE_COMPLETE="complete_bash", COMP_WORDS="deskconsole eti", COMP_CWORD="1")
    done = subprocess.run([sys.executable, "-c", "from deskconsole.cli import main; main()"], env=env,
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 0 and done.stdout.split() == ["etiquette"], done.stderr


def test_a_command_group_typed_alone_prints_its_help(monkeypatch, capsys):
    code, out, err = run_cli(monkeypatch, capsys, "ticket")
    assert code == 2 and "Commands:" in out and err == ""


def test_a_reader_that_stops_early_gets_no_broken_pipe_message():
    """`deskconsole ... | head` : the command ends quietly when the reader has gone."""
    import subprocess
    import sys

    code = ("from deskconsole.cli.common import guard\n"
            "import sys\n"
            "sys.exit(guard(lambda: print('x' * 1_000_000)))\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.read(10)
    proc.stdout.close()  # the reader goes away while the command still writes
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0
    assert "BrokenPipe" not in err and "Traceback" not in err, err
