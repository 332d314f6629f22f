"""The watch list: a supervisor keeps it (audited), entries expire, and the desk is warned on
an exact number or the same surname + given name, with or without an honorific."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from deskconsole.models import AuditEvent, WatchHit
from deskconsole.services import audit_rows, watch
from deskconsole.services.errors import DeskError, NotAllowed


def add(store, supervisor, **kw):
    values = {"reason": "法院禁止令", "action": "refuse_entry",
              "valid_until": supervisor.clock.now() + timedelta(days=30), **kw}
    return store.write(lambda s: watch.add(s, supervisor, **values).id)


def found(store, clock, **kw):
    with store.read() as s:
        return [(m.entry_id, m.matched) for m in watch.match(s, clock.now(), **kw)]


def test_an_exact_phone_matches_however_it_is_written(store, supervisor, clock):
    eid = add(store, supervisor, phone="13812345678")
    assert found(store, clock, phone="138 1234 5678") == [(eid, "phone")]
    assert found(store, clock, phone="+86 138-1234-5678") == [(eid, "phone")]
    assert found(store, clock, phone="13812345679") == []
    assert found(store, clock, phone="1381234") == []  # a prefix is not the number


@pytest.mark.parametrize("typed", ["王建国", "王建国先生", "王建国女士", "王建国夫人", " 王 建国 ", "Mr 王建国"])
def test_a_full_name_matches_with_or_without_an_honorific(store, supervisor, clock, typed):
    eid = add(store, supervisor, name="王建国")
    assert found(store, clock, name=typed) == [(eid, "name")]


def test_a_surname_alone_or_another_given_name_matches_nobody(store, supervisor, clock):
    add(store, supervisor, name="王建国先生")
    assert found(store, clock, name="王先生") == []
    assert found(store, clock, name="王") == []
    assert found(store, clock, name="王建军") == []
    assert found(store, clock, name="Wang") == []


def test_english_names_match_without_case_or_title(store, supervisor, clock):
    eid = add(store, supervisor, name="John Smith")
    assert found(store, clock, name="mr. john smith") == [(eid, "name")]


def test_an_expired_or_removed_entry_matches_nobody(store, supervisor, clock):
    eid = add(store, supervisor, phone="13812345678", valid_until=clock.now() + timedelta(hours=1))
    other = add(store, supervisor, name="李四光")
    assert found(store, clock, phone="13812345678") == [(eid, "phone")]
    clock.advance(3601)
    assert found(store, clock, phone="13812345678") == []
    store.write(lambda s: watch.remove(s, supervisor, other))
    assert found(store, clock, name="李四光") == []


def test_only_a_supervisor_keeps_the_list(store, supervisor, actor, clock):
    with pytest.raises(NotAllowed):
        store.write(lambda s: watch.add(s, actor, name="王建国", reason="x", action="call_security",
                                        valid_until=clock.now() + timedelta(days=1)))
    eid = add(store, supervisor, name="王建国")
    with pytest.raises(NotAllowed):
        store.write(lambda s: watch.remove(s, actor, eid))
    with pytest.raises(NotAllowed):
        with store.read() as s:
            watch.entries(s, actor, clock.now())


def test_an_entry_needs_someone_a_known_action_and_a_future_end(store, supervisor, clock):
    cases = [({}, "watch.error.who"), ({"name": "王"}, "watch.error.full_name"),
             ({"name": "王建国", "action": "shout"}, "watch.error.action"),
             ({"name": "王建国", "valid_until": clock.now()}, "watch.error.until")]
    for kw, key in cases:
        with pytest.raises(DeskError) as err:
            add(store, supervisor, **kw)
        assert err.value.key == key


def test_changes_are_audited_and_the_receptionist_sees_the_action_not_the_reason(store, supervisor, actor, clock):
    eid = add(store, supervisor, name="王建国", phone="13812345678")
    store.write(lambda s: watch.change(s, supervisor, eid, name="王建国", phone="13812345678", reason="多次骚扰来电",
                                       action="call_security", valid_until=clock.now() + timedelta(days=7)))
    store.write(lambda s: watch.remove(s, supervisor, eid))
    with store.read() as s:
        actions = [a for a, in s.execute(select(AuditEvent.action).where(AuditEvent.entity == "watch_entry")
                                         .order_by(AuditEvent.id))]
        trail = " ".join(e.after or "" for e in s.execute(select(AuditEvent)).scalars())
    assert actions == ["watch_add", "watch_change", "watch_remove"]
    assert "13812345678" not in trail
    eid = add(store, supervisor, phone="13812345678", reason="前承包商")
    with store.read() as s:
        [m] = watch.match(s, clock.now(), phone="13812345678")
    assert m.action == "refuse_entry" and m.reason_for(actor) is None and m.reason_for(supervisor) == "前承包商"
    with store.read() as s:  # every entry as its last event sealed it (services/audit_rows.py)
        assert list(audit_rows.verify_rows(s)) == []


def test_each_hit_is_recorded_and_audited_and_shows_on_the_timeline(store, supervisor, actor, clock):
    from deskconsole.services import timeline as tl

    add(store, supervisor, phone="13812345678", action="tell_supervisor")

    def meet(s):
        return watch.record_hits(s, actor, watch.match(s, clock.now(), phone="13812345678"), place="call",
                                 name="王先生", phone="13812345678", unit="A-1201")

    [hit] = store.write(meet)
    with store.read() as s:
        row = s.get(WatchHit, hit)
        assert (row.place, row.matched, row.action, row.operator_id) == ("call", "phone", "tell_supervisor",
                                                                         actor.operator_id)
        assert s.execute(select(AuditEvent).where(AuditEvent.entity == "watch_hit")).scalars().one()
        entries = tl.page(s, tl.Target.of(unit="A-1201")).entries
    assert [(e.kind, e.status) for e in entries] == [("watch_hit", "watch.action.tell_supervisor")]
    with store.read() as s:
        assert list(audit_rows.verify_rows(s)) == []


def test_cli_watch_add_list_remove_as_a_supervisor_with_pin(sqlite_store, make_actor):
    from typer.testing import CliRunner

    from deskconsole.cli.main import app

    make_actor(sqlite_store, staff_no="001", role="supervisor", name="王芳", pin="135790")
    make_actor(sqlite_store, staff_no="101", role="receptionist", name="李娜", pin="2468")
    runner = CliRunner()

    def run(*args, pin="135790"):
        return runner.invoke(app, ["--db", sqlite_store.url, "--lang", "en", "watch", *args, "--pin-stdin"],
                             input=pin + "\n", env={"COLUMNS": "160"})

    added = run("add", "--as", "001", "--name", "王建国", "--phone", "13812345678", "--reason", "法院禁止令",
                "--action", "refuse_entry", "--until", "2099-12-31")
    assert added.exit_code == 0 and "Added to the watch list: #1" in added.output
    listed = run("list", "--as", "001")
    assert "王建国" in listed.output and "法院禁止令" in listed.output and "2099-12-31 23:59" in listed.output
    refused = run("list", "--as", "101", pin="2468")
    assert isinstance(refused.exception, NotAllowed)
    wrong_pin = run("remove", "1", "--as", "001", pin="000000")
    assert wrong_pin.exception is not None
    assert run("remove", "1", "--as", "001").exit_code == 0
    assert "No one on the watch list" in run("list", "--as", "001").output


def test_a_watch_listed_number_ringing_shows_the_action_on_the_ring_bar(store, supervisor, actor, clock):
    """Caller ID (issue: the phone system tells the console): a number on the watch list brings
    its action to the ring bar before the receptionist answers; another number brings none."""
    from types import SimpleNamespace

    from deskconsole.i18n import Translator
    from deskconsole.services.caller_id import guess
    from deskconsole.ui.widgets.ring_timer import caller_line

    add(store, supervisor, phone="13812345678", action="call_security")
    with store.read() as s:
        watched = guess(s, "13812345678", now=clock.now())
        other = guess(s, "13900000000", now=clock.now())
        later = guess(s, "13812345678", now=clock.now() + timedelta(days=31))  # the entry has expired
    assert (watched.watch_action, other.watch_action, later.watch_action) == ("call_security", "", "")
    line = caller_line(Translator("en"), SimpleNamespace(phone="13812345678", guess=watched, caller_name=""), actor)
    assert line.startswith("! watch list: call security") and "138****5678" in line
