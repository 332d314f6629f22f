"""The log is kept like a service's: one line per event (time, level, desk, operator id) in a
size-capped rotating file in the user log folder, wherever the database is; never a visitor's
name, phone or any bound SQL parameter; a crash shows one calm line naming the log."""

from __future__ import annotations

import io
import logging
import sys

import pytest
from sqlalchemy import text

from deskconsole import logs
from deskconsole.db.store import Store

NAME, PHONE = "王小明", "13800138000"


@pytest.fixture
def fresh_log(tmp_path, monkeypatch):
    for handler in list(logs.log.handlers):
        logs.log.removeHandler(handler)
        handler.close()
    yield tmp_path / "home" / "log" / "deskconsole.log"
    for handler in list(logs.log.handlers):
        logs.log.removeHandler(handler)
        handler.close()
    logs.bind(desk=None, operator=None)


def _sql_error_with_personal_data(tmp_path) -> Exception:
    store = Store(f"sqlite:///{tmp_path / 'desk.db'}").open()
    try:
        with store.engine.begin() as conn:
            conn.execute(text("INSERT INTO visit (id, name, phone) VALUES (:id, :name, :phone)"),
                         {"id": "x", "name": NAME, "phone": PHONE})
    except Exception as exc:  # noqa: BLE001 - the error a crash would log
        return exc
    finally:
        store.close()
    raise AssertionError("the insert should have failed")


def test_an_event_is_one_line_with_time_level_desk_and_operator(fresh_log):
    path = logs.setup()
    logs.bind(desk="Lobby-1", operator=7)
    logs.log.info("signed on")
    try:
        raise ValueError(f"bad phone '{PHONE}'\nsecond line")
    except ValueError as exc:
        logs.error("console error", exc)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert path == fresh_log and len(lines) == 2
    assert " INFO desk=Lobby-1 operator=7 deskconsole: signed on" in lines[0]
    assert lines[1].split(" ")[2:4] == ["ERROR", "desk=Lobby-1"]
    assert "ValueError" in lines[1] and "test_logs.py" in lines[1] and PHONE not in lines[1]


def test_a_crash_logs_no_sql_parameters_and_says_one_line_naming_the_log(
        fresh_log, tmp_path, monkeypatch, capsys):
    from deskconsole.cli.common import guard

    exc = _sql_error_with_personal_data(tmp_path)
    assert NAME not in str(exc) and PHONE not in str(exc)  # the engine hides bound parameters

    def crash():
        raise exc

    elsewhere = tmp_path / "elsewhere"
    monkeypatch.setenv("DESKCONSOLE_DB", str(elsewhere / "x.db"))
    assert guard(crash) == 3  # a fault in deskconsole (README: exit codes)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(fresh_log) in err and "Traceback" not in err
    logged = fresh_log.read_text(encoding="utf-8")
    assert NAME not in logged and PHONE not in logged and "IntegrityError" in logged
    assert not elsewhere.exists()  # the log is where the README says, whatever --db says


def test_redact_strips_parameters_quoted_values_and_phone_numbers():
    text = (f"(sqlite3.IntegrityError) NOT NULL\n[SQL: INSERT INTO visit VALUES (?, ?)]\n"
            f"[parameters: ('{NAME}', '{PHONE}')]\n(Background on this error at: https://sqlalche.me)")
    out = logs.redact(text)
    assert NAME not in out and PHONE not in out and "\n" not in out
    assert "INSERT INTO visit" in out and logs.redact(f"call {PHONE} now") == "call # now"


def test_the_log_rotates_at_its_size_cap_keeping_a_few_files(fresh_log, monkeypatch):
    monkeypatch.setattr(logs, "MAX_BYTES", 2_000)
    path = logs.setup()
    for i in range(400):
        logs.log.info("event %d", i)
    files = sorted(path.parent.iterdir())
    assert [f.name for f in files] == ["deskconsole.log", *(f"deskconsole.log.{n}" for n in range(1, logs.BACKUPS + 1))]
    assert all(f.stat().st_size <= 2_000 for f in files)


def test_log_level_option_sets_the_level_and_refuses_an_unknown_one(fresh_log, tmp_path, monkeypatch, capsys):
    from deskconsole.cli.common import run_guarded
    from deskconsole.cli.main import app

    def run(*args: str) -> int:
        monkeypatch.setattr(sys, "argv", ["deskconsole", "--db", str(tmp_path / "d.db"), *args])
        monkeypatch.setattr(sys, "stdin", io.StringIO(""))
        return run_guarded(app)

    assert run("--log-level", "warning", "db", "upgrade") == 0
    assert logs.log.level == logging.WARNING
    assert run("--log-level", "debug", "db", "upgrade") == 0
    assert logs.log.level == logging.DEBUG and "command db" in fresh_log.read_text(encoding="utf-8")
    assert run("--log-level", "loud", "db", "upgrade") == 2
    assert "--log-level" in capsys.readouterr().err
