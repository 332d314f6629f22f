"""Soft void: only a supervisor voids a visit or a call, always with a reason;
the record stays (with who, when and why in the audit trail) and leaves the live counts."""

from __future__ import annotations

import pytest

from deskconsole.cadence import parse_cadence
from deskconsole.i18n import Translator
from deskconsole.models import Call, Visit
from deskconsole.services import audit, counters, reception, voids
from deskconsole.services.errors import DeskError
from deskconsole.services.ring_lines import PhoneEvents
from tests.reliability.cli import run_cli


def _visit(store, actor) -> int:
    return store.write(lambda s: reception.check_in(s, actor, reception.CheckInForm(name="王", honorific="mr"))).id


def test_a_supervisor_voids_a_visit_with_a_reason_and_it_leaves_the_queue(store, actor, supervisor):
    vid = _visit(store, actor)
    with store.read() as s:
        assert counters.counters(s, actor)["waiting"] == 1
    done = store.write(lambda s: voids.void_visit(s, supervisor, vid, "  登记错了\x1b[31m "))
    assert done.reason == "登记错了"
    with store.read() as s:
        visit = s.get(Visit, vid)
        assert (visit.void_reason, visit.voided_at is not None) == ("登记错了", True)
        assert counters.counters(s, actor)["waiting"] == 0
        (event,) = [e for e in audit.events(s, entity="visit", entity_id=str(vid)) if e.action == "void"]
        assert event.operator_id == supervisor.operator_id and "登记错了" in event.after
        assert audit.verify(s).ok


def test_a_call_is_voided_the_same_way(store, actor, supervisor):
    live = PhoneEvents(store, lambda: actor, parse_cadence("cn"), 3).ring()
    store.write(lambda s: voids.void_call(s, supervisor, live.call_id, "误触"))
    with store.read() as s:
        assert s.get(Call, live.call_id).void_reason == "误触"


def test_a_receptionist_may_not_void_and_is_told_why(store, actor):
    vid = _visit(store, actor)
    with pytest.raises(DeskError) as err:
        store.write(lambda s: voids.void_visit(s, actor, vid, "错了"))
    assert err.value.message(Translator("en")) == "Only a supervisor may void a record"
    with store.read() as s:
        assert s.get(Visit, vid).voided_at is None


@pytest.mark.parametrize("reason, key", [("", "reliability.error.reason_required"),
                                         (" \x1b[2J ", "reliability.error.reason_required"),
                                         ("长" * 201, "reliability.error.reason_too_long")])
def test_a_void_needs_a_reason_that_fits(store, actor, supervisor, reason, key):
    vid = _visit(store, actor)
    with pytest.raises(DeskError) as err:
        store.write(lambda s: voids.void_visit(s, supervisor, vid, reason))
    assert (err.value.key, err.value.field) == (key, "void_reason")


def test_voiding_twice_or_a_missing_record_is_refused(store, actor, supervisor):
    vid = _visit(store, actor)
    store.write(lambda s: voids.void_visit(s, supervisor, vid, "重复"))
    with pytest.raises(DeskError) as err:
        store.write(lambda s: voids.void_visit(s, supervisor, vid, "重复"))
    assert err.value.key == "reliability.error.already_voided"
    with pytest.raises(DeskError) as err:
        store.write(lambda s: voids.void_call(s, supervisor, 9999, "无"))
    assert err.value.key == "reliability.error.not_found"
    with pytest.raises(DeskError) as err:
        store.write(lambda s: voids.void(s, supervisor, "operator", 1, "无"))
    assert err.value.key == "reliability.error.void_entity"


def test_void_command_asks_a_supervisor_pin_and_prints_one_line(tmp_path, make_actor, monkeypatch, capsys):
    from deskconsole.db.store import Store

    db = tmp_path / "cli.db"
    store = Store(f"sqlite:///{db}").open()
    make_actor(store, staff_no="001", role="supervisor", pin="135790")
    receptionist = make_actor(store, staff_no="101", pin="2468")
    vid = _visit(store, receptionist)
    base = ["--db", str(db), "--lang", "en", "void", "visit", str(vid), "--reason", "duplicate", "--pin-stdin"]
    code, _, err = run_cli(monkeypatch, capsys, *base, "--staff-no", "101", stdin="2468\n")
    assert code == 2 and err.strip() == "deskconsole: Only a supervisor may void a record"
    code, out, _ = run_cli(monkeypatch, capsys, *base, "--staff-no", "001", stdin="135790\n")
    assert code == 0 and out.strip() == f"visit {vid} is void: duplicate"
    code, _, err = run_cli(monkeypatch, capsys, *base, "--staff-no", "001", stdin="135790\n")
    assert code == 2 and "void already" in err
    store.close()
