"""The audit trail is append-only and tamper-evident: editing an event,
deleting one in the middle, or deleting the newest ones is found by `audit verify`;
`audit show` filters by operator, date and record."""

from __future__ import annotations

from datetime import timedelta, timezone

from sqlalchemy import text

from deskconsole.clock import FakeClock
from deskconsole.db import guards
from deskconsole.services import audit
from tests.conftest import START
from tests.reliability.cli import run_cli


def _events(store, actor, n=5):
    return [store.write(lambda s, i=i: audit.record_for(s, actor, "probe", "visit", i, after={"n": i}).id)
            for i in range(n)]


def _verify(store):
    with store.read() as s:
        return audit.verify(s)


def test_an_untouched_chain_verifies(store, actor):
    _events(store, actor)
    result = _verify(store)
    assert result.ok and result.checked == 7  # sign-on + 5 probes + operator create


def test_an_edited_event_is_found(store, actor):
    ids = _events(store, actor)
    with store.engine.begin() as conn:
        guards.drop(conn)  # the triggers refuse it: someone with the file drops them first
        conn.execute(text("UPDATE audit_event SET after = '{\"n\": 99}' WHERE id = :id"), {"id": ids[2]})
    result = _verify(store)
    assert (result.ok, result.broken_at, result.reason) == (False, ids[2], "chain")


def test_a_deleted_event_in_the_middle_is_found(store, actor):
    ids = _events(store, actor)
    with store.engine.begin() as conn:
        guards.drop(conn)  # the triggers refuse it: someone with the file drops them first
        conn.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": ids[1]})
    result = _verify(store)
    assert (result.broken_at, result.reason) == (ids[2], "chain")


def test_deleting_the_newest_event_is_found_by_the_chain_head(store, actor):
    ids = _events(store, actor)
    with store.engine.begin() as conn:
        guards.drop(conn)  # the triggers refuse it: someone with the file drops them first
        conn.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": ids[-1]})
    result = _verify(store)
    assert (result.ok, result.reason, result.expected, result.checked) == (False, "tail", 7, 6)


def test_deleting_the_chain_head_itself_is_found(store, actor):
    _events(store, actor)
    with store.engine.begin() as conn:
        guards.drop(conn)  # the triggers refuse it: someone with the file drops them first
        conn.execute(text("DELETE FROM audit_head"))
    assert _verify(store).reason == "tail"


def test_events_appended_after_a_cut_do_not_hide_it(store, actor):
    ids = _events(store, actor)
    with store.engine.begin() as conn:
        guards.drop(conn)  # the triggers refuse it: someone with the file drops them first
        conn.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": ids[-1]})
    _events(store, actor, 2)
    assert _verify(store).reason == "tail"


def test_a_clock_in_another_time_zone_hashes_the_same_after_storage(store, make_actor):
    shanghai = FakeClock(START.astimezone(timezone(timedelta(hours=8))))
    actor = make_actor(store)
    actor = type(actor)(**{**actor.__dict__, "clock": shanghai})
    store.write(lambda s: audit.record_for(s, actor, "probe", "visit", 1))
    assert _verify(store).ok


def test_events_filter_by_operator_day_and_record(store, actor, supervisor, clock):
    store.write(lambda s: audit.record_for(s, actor, "create", "visit", 7))
    clock.advance(86400)
    store.write(lambda s: audit.record_for(s, supervisor, "void", "visit", 7))
    store.write(lambda s: audit.record_for(s, supervisor, "create", "call", 7))
    with store.read() as s:
        by_record = audit.events(s, entity="visit", entity_id="7")
        by_operator = audit.events(s, operator_id=supervisor.operator_id, entity="call")
        second_day = audit.events(s, start=START + timedelta(hours=23), entity="visit")
        newest_one = audit.events(s, limit=1)
    assert [e.action for e in by_record] == ["create", "void"]
    assert [(e.entity, e.entity_id) for e in by_operator] == [("call", "7")]
    assert [e.action for e in second_day] == ["void"]
    assert [e.action for e in newest_one] == ["create"] and newest_one[0].entity == "call"


# -- the command line -----------------------------------------------------------------------
def _cli_store(tmp_path, make_actor):
    from deskconsole.db.store import Store

    path = tmp_path / "cli.db"
    store = Store(f"sqlite:///{path}").open()
    actor = make_actor(store)
    return store, actor, str(path)


def test_audit_verify_says_ok_then_exits_1_with_one_line_when_the_newest_event_is_gone(
        tmp_path, make_actor, monkeypatch, capsys):
    store, actor, db = _cli_store(tmp_path, make_actor)
    _events(store, actor, 3)
    code, out, _ = run_cli(monkeypatch, capsys, "--db", db, "--lang", "en", "audit", "verify")
    assert code == 0 and out.startswith("ok: 5 audit events")
    with store.engine.begin() as conn:
        guards.drop(conn)  # the triggers refuse it: someone with the file drops them first
        conn.exec_driver_sql("DELETE FROM audit_event WHERE id = (SELECT max(id) FROM audit_event)")
    code, out, err = run_cli(monkeypatch, capsys, "--db", db, "--lang", "en", "audit", "verify")
    assert code == 1 and "cut short" in err and err.count("\n") == 1
    store.close()


def test_audit_show_filters_and_never_prints_an_escape_written_into_the_database(
        tmp_path, make_actor, monkeypatch, capsys):
    store, actor, db = _cli_store(tmp_path, make_actor)
    store.write(lambda s: audit.record_for(s, actor, "create", "visit", 42, after={"name": "王"}))
    with store.engine.begin() as conn:  # another program wrote raw escapes past the services
        guards.drop(conn)
        conn.exec_driver_sql("UPDATE audit_event SET action = 'x\x1b]0;pwned\x07\x1b[2J' WHERE entity_id = '42'")
    code, out, _ = run_cli(monkeypatch, capsys, "--db", db, "--lang", "en", "audit", "show",
                           "--entity", "visit", "--id", "42", "--operator", "101",
                           "--from", "2026-11-25", "--to", "2026-11-25")
    assert code == 0 and "\x1b" not in out and "\x07" not in out
    assert "visit 42" in out and "Events shown: 1" in out
    store.close()


def test_audit_show_refuses_a_bad_date_in_one_line(tmp_path, make_actor, monkeypatch, capsys):
    store, _, db = _cli_store(tmp_path, make_actor)
    code, _, err = run_cli(monkeypatch, capsys, "--db", db, "--lang", "en", "audit", "show", "--from", "25/11")
    assert code == 2 and "YYYY-MM-DD" in err and err.count("\n") == 1
    code, _, err = run_cli(monkeypatch, capsys, "--db", db, "--lang", "en", "audit", "show", "--operator", "999")
    assert code == 2 and "999" in err
    store.close()
