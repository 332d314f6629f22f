"""`deskconsole visitor expect|roll-call` and `deskconsole directory import|find`:
files without the console, every bad row on stderr, one-line errors, exit 2."""

from __future__ import annotations

from typer.testing import CliRunner

from deskconsole.cli.common import run_guarded
from deskconsole.cli.main import app
from deskconsole.services import reception as rs


def guarded(store, capsys, monkeypatch, *args):
    monkeypatch.setattr("sys.argv", ["deskconsole", "--db", store.url, "--lang", "en", *args])
    code = run_guarded(app)
    out = capsys.readouterr()
    return code, out.out, out.err


def cli(store, *args):
    return CliRunner().invoke(app, ["--db", store.url, "--lang", "en", *args], catch_exceptions=False)


def test_directory_import_with_a_bad_row_lists_it_imports_nothing_and_exits_2(sqlite_store, tmp_path, capsys,
                                                                            monkeypatch):
    path = tmp_path / "dir.csv"
    path.write_bytes("姓名,房号,电话\n王建国,1-1202,13800138000\n李四,1-1204,call me\n".encode("gb18030"))
    code, out, err = guarded(sqlite_store, capsys, monkeypatch, "directory", "import", str(path))
    assert code == 2
    assert "dir.csv:3 [电话]: not a phone number ('call me')" in err
    assert err.strip().splitlines()[-1] == "deskconsole: Nothing imported: 1 bad rows (fix them, or use --skip-bad)"
    code, out, err = guarded(sqlite_store, capsys, monkeypatch, "directory", "import", str(path), "--skip-bad")
    assert code == 0 and "Imported 1 entries (gb18030); 1 bad rows skipped" in out
    assert "王建国" in cli(sqlite_store, "directory", "find", "1-12").output


def test_roll_call_prints_text_and_writes_csv_with_bom(sqlite_store, make_actor, tmp_path):
    actor = make_actor(sqlite_store)
    sqlite_store.write(lambda s: rs.check_in(s, actor, rs.CheckInForm(name="王", honorific="mr", party_size=2,
                                                                     phone="13800138000", unit="1-1202")))
    sqlite_store.write(lambda s: rs.serve(s, actor, threshold_minutes=3))
    text = cli(sqlite_store, "visitor", "roll-call").output
    assert "1 visit, 2 persons" in text and "Mr 王" in text and "138****8000" in text
    out = tmp_path / "roll.csv"
    result = cli(sqlite_store, "visitor", "roll-call", "--format", "csv", "--output", str(out))
    assert result.exit_code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_roll_call_on_the_command_line_includes_the_lobby(sqlite_store, make_actor, tmp_path):
    actor = make_actor(sqlite_store)
    for name in ("王", "李"):
        sqlite_store.write(lambda s, n=name: rs.check_in(s, actor, rs.CheckInForm(name=n)))
    text = cli(sqlite_store, "visitor", "roll-call").output
    assert "2 visits, 2 persons" in text and "Waiting in the lobby" in text


def test_visitor_expect_refuses_a_bad_time_in_one_line(sqlite_store, capsys, monkeypatch):
    code, _, err = guarded(sqlite_store, capsys, monkeypatch, "visitor", "expect", "--name", "陈", "--at", "25:99")
    assert code == 2 and err.count("\n") == 1 and "Not a time" in err
    code, out, _ = guarded(sqlite_store, capsys, monkeypatch, "visitor", "expect", "--name", "陈", "--at", "14:30")
    assert code == 0 and out.startswith("expected #1 陈")
