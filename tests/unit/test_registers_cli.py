"""`deskconsole register ...` for scripts: writes need the operator's PIN, `check` answers the
gate with its exit code (0 good, 1 not, with the reason), lists print masked phones."""

from __future__ import annotations

import json

import pytest

from deskconsole.db.store import Store
from tests.reliability.cli import run_cli


@pytest.fixture
def db(tmp_path, make_actor):
    path = tmp_path / "cli.db"
    store = Store(f"sqlite:///{path}").open()
    make_actor(store, staff_no="001", role="supervisor", pin="135790")
    make_actor(store, staff_no="101", role="receptionist", pin="2468")
    store.close()
    return str(path)


def _run(monkeypatch, capsys, db, *args, stdin=""):
    return run_cli(monkeypatch, capsys, "--db", db, "--lang", "en", "register", *args, stdin=stdin)


def test_lend_needs_the_pin_and_a_key_cannot_be_lent_twice(db, monkeypatch, capsys):
    lend = ("lend", "PUMP-1", "--name", "张师傅", "--purpose", "检修", "--phone", "13800138000",
            "--staff-no", "101", "--pin-stdin")
    code, _, err = _run(monkeypatch, capsys, db, *lend, stdin="0000\n")
    assert code == 2 and "wrong" in err
    code, out, _ = _run(monkeypatch, capsys, db, *lend, stdin="2468\n")
    assert code == 0 and "PUMP-1" in out
    code, _, err = _run(monkeypatch, capsys, db, *lend, stdin="2468\n")
    assert code == 2 and "already out" in err
    code, out, _ = _run(monkeypatch, capsys, db, "list", "--kind", "key", "--open", "--format", "json")
    [row] = json.loads(out)
    assert code == 0 and row["phone"] == "138****8000" and row["returned_at"] is None
    code, out, _ = _run(monkeypatch, capsys, db, "return", "PUMP-1", "--staff-no", "101", "--pin-stdin",
                        stdin="2468\n")
    assert code == 0
    code, out, _ = _run(monkeypatch, capsys, db, "list", "--kind", "key", "--open", "--format", "json")
    assert json.loads(out) == []
    code, out, _ = _run(monkeypatch, capsys, db, "list", "--kind", "key", "--overdue", "--format", "csv")
    assert code == 0 and out.startswith("id,key_code,")


def test_release_then_check_answers_by_exit_code(db, monkeypatch, capsys):
    base = ("release", "--unit", "A-1201", "--name", "李四", "--items", "沙发", "--staff-no", "101", "--pin-stdin")
    code, _, err = _run(monkeypatch, capsys, db, *base, "--applicant", "tenant", stdin="2468\n")
    assert code == 2 and "owner's confirmation" in err
    code, out, _ = _run(monkeypatch, capsys, db, *base, "--applicant", "tenant", "--confirmed-by", "王业主",
                        "--confirmed-how", "in_person", stdin="2468\n")
    assert code == 0
    number = out.split()[1]
    code, out, _ = _run(monkeypatch, capsys, db, "check", number)
    assert code == 0 and "valid" in out and "A-1201" in out
    code, _, err = _run(monkeypatch, capsys, db, "check", "GR000000-999")
    assert code == 1 and "No release" in err
    code, _, _ = _run(monkeypatch, capsys, db, "void", "goods", "1", "--reason", "开错", "--staff-no", "001",
                      "--pin-stdin", stdin="135790\n")
    assert code == 0
    code, _, err = _run(monkeypatch, capsys, db, "check", number)
    assert code == 1 and "void" in err


def test_loan_items_are_lent_and_returned_by_number(db, monkeypatch, capsys):
    code, out, _ = _run(monkeypatch, capsys, db, "lend", "umbrella", "--kind", "loan", "--name", "刘",
                        "--staff-no", "101", "--pin-stdin", stdin="2468\n")
    assert code == 0 and "loan 1" in out
    code, out, _ = _run(monkeypatch, capsys, db, "list", "--kind", "loan", "--open", "--format", "json")
    assert json.loads(out)[0]["deposit"] == "20.00"
    code, _, err = _run(monkeypatch, capsys, db, "return", "x", "--kind", "loan", "--staff-no", "101")
    assert code == 2
    code, out, _ = _run(monkeypatch, capsys, db, "return", "1", "--kind", "loan", "--staff-no", "101",
                        "--pin-stdin", stdin="2468\n")
    assert code == 0 and "returned" in out


def test_keys_import_writes_the_company_catalogue(db, tmp_path, monkeypatch, capsys):
    csv_file = tmp_path / "keys.csv"
    csv_file.write_text("code,kind,unit,zh,en\nG-1,public,,车库门,Garage door\n", encoding="utf-8")
    code, out, _ = run_cli(monkeypatch, capsys, "--lang", "en", "register", "keys-import", str(csv_file))
    assert code == 0 and "1 keys" in out
    code, out, _ = _run(monkeypatch, capsys, db, "lend", "G-1", "--name", "张", "--purpose", "开门",
                        "--staff-no", "101", "--pin-stdin", stdin="2468\n")
    assert code == 0


def test_list_takes_a_range_of_site_days(db, monkeypatch, capsys):
    from datetime import date, timedelta

    code, _, _ = _run(monkeypatch, capsys, db, "lend", "umbrella", "--kind", "loan", "--name", "刘",
                      "--staff-no", "101", "--pin-stdin", stdin="2468\n")
    today = date.today()
    base = ("list", "--kind", "loan", "--format", "json")
    code, out, _ = _run(monkeypatch, capsys, db, *base, "--from", (today - timedelta(days=1)).isoformat(),
                        "--to", (today + timedelta(days=1)).isoformat())
    assert code == 0 and len(json.loads(out)) == 1
    code, out, _ = _run(monkeypatch, capsys, db, *base, "--to", (today - timedelta(days=2)).isoformat())
    assert code == 0 and json.loads(out) == []
    code, _, err = _run(monkeypatch, capsys, db, *base, "--from", "yesterday")
    assert code == 2 and "--from" in err
