"""A store error is named for what the desk can do about it (db.base.classify), and the CLI
says it in one line with exit 1 instead of "unexpected error (OperationalError)"."""

from __future__ import annotations

import errno
import sqlite3

import psycopg
import pytest
from sqlalchemy.exc import OperationalError, ProgrammingError

from deskconsole.cli.common import run_guarded
from deskconsole.cli.main import app
from deskconsole.db.base import classify
from deskconsole.db.store import Store, StoreError


def wrapped(orig: BaseException) -> OperationalError:
    return OperationalError("INSERT INTO visit ...", {}, orig)


@pytest.mark.parametrize(("error", "kind"), [
    (wrapped(sqlite3.OperationalError("database or disk is full")), "disk_full"),
    (wrapped(sqlite3.OperationalError("attempt to write a readonly database")), "read_only"),
    (wrapped(sqlite3.OperationalError("database is locked")), "locked"),
    (wrapped(sqlite3.OperationalError("unable to open database file")), "unreachable"),
    (wrapped(sqlite3.OperationalError("disk I/O error")), "unreachable"),
    (wrapped(psycopg.OperationalError("connection failed: Connection refused")), "unreachable"),
    (wrapped(psycopg.OperationalError("server closed the connection unexpectedly")), "unreachable"),
    (wrapped(psycopg.errors.DiskFull("could not extend file")), "disk_full"),
    (wrapped(psycopg.errors.ReadOnlySqlTransaction("cannot execute INSERT in a read-only transaction")),
     "read_only"),
    (wrapped(psycopg.errors.AdminShutdown("terminating connection due to administrator command")),
     "unreachable"),
    (OSError(errno.ENOSPC, "No space left on device"), "disk_full"),
    (OSError(errno.EROFS, "Read-only file system"), "read_only"),
])
def test_store_errors_are_named_for_what_the_desk_can_do(error, kind):
    assert classify(error) == kind


@pytest.mark.parametrize("error", [
    ValueError("bad"), KeyError("x"), StoreError("cannot create data folder"),
    ProgrammingError("SELECT", {}, sqlite3.ProgrammingError("no such column: x")),
    wrapped(sqlite3.OperationalError("no such table: visit")),
])
def test_a_bug_is_not_a_store_outage(error):
    assert classify(error) is None


def run(monkeypatch, capsys, url: str, *args: str):
    monkeypatch.setattr("sys.argv", ["deskconsole", "--db", url, "--lang", "en", *args])
    code = run_guarded(app)
    return code, capsys.readouterr().err


EXPECT = ("visitor", "expect", "--name", "陈", "--at", "14:30")


def test_cli_on_a_read_only_store_says_so_in_one_line_exit_1(tmp_path, monkeypatch, capsys):
    path = tmp_path / "desk.db"
    Store(f"sqlite:///{path}").open().close()
    code, err = run(monkeypatch, capsys, f"sqlite:///file:{path}?mode=ro&uri=true", *EXPECT)
    assert (code, err) == (2, "deskconsole: store is read-only: nothing was changed\n")


@pytest.mark.parametrize(("orig", "said"), [
    (sqlite3.OperationalError("database or disk is full"),
     "deskconsole: disk full: nothing was changed; free space and run the command again\n"),
    (sqlite3.OperationalError("unable to open database file"),
     "deskconsole: store unreachable: nothing was changed; try again when it is back\n"),
])
def test_cli_on_a_full_or_lost_store_says_so_in_one_line_exit_1(sqlite_store, monkeypatch, capsys, orig, said):
    def failing_write(self, fn):
        raise wrapped(orig)

    monkeypatch.setattr(Store, "write", failing_write)
    code, err = run(monkeypatch, capsys, sqlite_store.url, *EXPECT)
    assert (code, err) == (2, said)
    assert "unexpected error" not in err
