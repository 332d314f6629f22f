"""A command refuses a SQLite path with no file unless it sets a store up (db upgrade, demo,
operator add, directory import): it created an empty store there and `audit verify` read "ok: 0
audit events" with exit 0, so a typo in --db passed for a clean audit. Exit 2, one line,
nothing created."""

from __future__ import annotations

import pytest

from tests.reliability.cli import run_cli

READERS = [
    ["audit", "verify"],
    ["audit", "verify", "--since", "2026-11-01"],
    ["audit", "checkpoint"],
    ["audit", "show"],
    ["summary", "--date", "2026-11-24"],
    ["report", "complaints", "--from", "2026-11-01", "--to", "2026-11-24", "--format", "csv"],
    ["timeline", "--unit", "3-1202"],
    ["shift", "list"],
    ["db", "backup", "{out}"],
    ["ticket", "list"],
    ["watch", "list", "--as", "001", "--pin-stdin"],
    ["directory", "find", "3-1202"],
    ["register", "list"],
    ["visitor", "roll-call"],
    ["operator", "list"],
]


@pytest.mark.parametrize("args", READERS, ids=lambda a: " ".join(a))
def test_a_mistyped_store_path_is_refused_and_nothing_is_created(tmp_path, monkeypatch, capsys, args):
    stores = tmp_path / "stores"
    stores.mkdir()
    wrong = stores / "dsek.db"
    args = [a.replace("{out}", str(stores / "copy.db")) for a in args]
    code, out, err = run_cli(monkeypatch, capsys, "--db", str(wrong), "--lang", "en", *args)
    assert code == 2, (out, err)
    assert err.strip().splitlines() == [f"deskconsole: no database at {wrong} (check the path; nothing was created)"]
    assert list(stores.iterdir()) == []


def test_the_commands_that_set_a_store_up_still_create_it(tmp_path, monkeypatch, capsys):
    new = tmp_path / "stores" / "new.db"
    new.parent.mkdir()
    code, out, err = run_cli(monkeypatch, capsys, "--db", str(new), "--lang", "en", "db", "upgrade")
    assert code == 0 and new.is_file(), (out, err)
