"""A shift its operator forgot to close is handed over all the same (DOMAIN §6): at the next
sign-on at its desk, or past the limit, it is closed by the system at its last activity; a
supervisor may close one from the command line (PIN, audited); `shift list` finds them."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from deskconsole.models import AuditEvent, Shift, Visit
from deskconsole.services import handover, operators, reception, shifts
from deskconsole.services.errors import DeskError, NotAllowed
from tests.unit.test_handover import next_operator
from tests.unit.test_retention import run_cli

TZ = "Asia/Shanghai"


def _shift(store, shift_id) -> Shift:
    with store.read() as s:
        return s.get(Shift, shift_id)


def test_signing_on_where_another_shift_is_open_hands_it_over_marked_not_closed_by_its_operator(
        store, actor, clock):
    store.write(lambda s: reception.check_in(s, actor, reception.CheckInForm(name="王")))
    last = clock.now()
    clock.advance(3 * 3600)  # operator 101 walked away without signing off
    nxt = next_operator(store, clock)
    old = _shift(store, actor.shift_id)
    assert old.ended_at == last and old.closed_by == "system"
    assert _shift(store, nxt.shift_id).prev_shift_id == actor.shift_id
    with store.read() as s:
        pending = handover.pending_for(s, nxt.shift_id, timezone=TZ, now=clock.now())
        closes = s.execute(select(AuditEvent).where(AuditEvent.entity == "shift",
                                                    AuditEvent.action == "close")).scalars().all()
    assert pending.from_staff_no == "101" and pending.closed_by == "system"
    assert pending.open_items.count("visitor") == 1
    assert [(e.shift_id, e.operator_id) for e in closes] == [(actor.shift_id, nxt.operator_id)]


def test_a_shift_open_past_the_limit_is_not_resumed_but_closed_and_handed_over(store, actor, clock):
    store.write(lambda s: reception.check_in(s, actor, reception.CheckInForm(name="王")))
    last = clock.now()
    clock.advance(15 * 3600)  # the next morning, the same operator at the same desk

    def again(s):
        op = next(o for o in operators.list_operators(s) if o.staff_no == "101")
        return shifts.sign_on(s, op, desk_name="Lobby-1", clock=clock)

    today = store.write(again)
    assert today.shift_id != actor.shift_id
    assert (_shift(store, actor.shift_id).ended_at, _shift(store, today.shift_id).prev_shift_id) == (
        last, actor.shift_id)


def test_the_limit_is_a_setting_and_a_fresh_shift_is_resumed(store, actor, clock):
    clock.advance(3 * 3600)

    def again(s, hours):
        op = next(o for o in operators.list_operators(s) if o.staff_no == "101")
        return shifts.sign_on(s, op, desk_name="Lobby-1", clock=clock, stale_after=timedelta(hours=hours))

    assert store.write(lambda s: again(s, 14)).shift_id == actor.shift_id
    assert store.write(lambda s: again(s, 2)).shift_id != actor.shift_id


def test_a_supervisor_closes_a_shift_left_open_and_a_receptionist_may_not(store, actor, make_actor, clock):
    supervisor = make_actor(store, staff_no="001", role="supervisor", pin="135790", desk="Office")
    with pytest.raises(NotAllowed):
        store.write(lambda s: shifts.close_by_supervisor(s, actor, actor.shift_id))
    clock.advance(600)
    store.write(lambda s: shifts.close_by_supervisor(s, supervisor, actor.shift_id))
    old = _shift(store, actor.shift_id)
    assert old.closed_by == "001" and old.ended_at is not None
    with pytest.raises(DeskError):
        store.write(lambda s: shifts.close_by_supervisor(s, supervisor, actor.shift_id))


def test_shift_list_and_close_on_the_command_line(tmp_path, make_actor, clock, monkeypatch, capsys):
    from deskconsole.db.store import Store

    db = tmp_path / "cli.db"
    store = Store(f"sqlite:///{db}").open()
    make_actor(store, staff_no="001", role="supervisor", pin="135790", desk="Office")
    op = make_actor(store, staff_no="103", pin="2468", desk="desk-1")
    store.write(lambda s: s.add(Visit(arrived_at=clock.now(), status="left", name="王", **op.stamps())))
    base = ["--db", str(db), "--lang", "en", "shift"]
    code, out, _ = run_cli(monkeypatch, capsys, *base, "list", "--open", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and {r["staff_no"] for r in rows} == {"001", "103"}
    assert set(rows[0]) == {"id", "desk", "staff_no", "started_at", "ended_at", "closed_by"}
    code, _, err = run_cli(monkeypatch, capsys, *base, "close", str(op.shift_id), "--staff-no", "103",
                           "--pin-stdin", stdin="2468\n")
    assert code == 2 and "supervisor" in err
    code, out, _ = run_cli(monkeypatch, capsys, *base, "close", str(op.shift_id), "--staff-no", "001",
                           "--pin-stdin", stdin="135790\n")
    assert code == 0 and "desk-1" in out
    code, out, _ = run_cli(monkeypatch, capsys, *base, "list", "--format", "json")
    closed = next(r for r in json.loads(out) if r["id"] == op.shift_id)
    assert closed["closed_by"] == "001" and closed["ended_at"]
    code, out, _ = run_cli(monkeypatch, capsys, *base, "list", "--open")
    assert code == 0 and "103" not in out and "001" in out
    with store.read() as s:
        assert len(s.execute(select(AuditEvent.id).where(
            AuditEvent.entity == "shift", AuditEvent.action == "close",
            AuditEvent.entity_id == str(op.shift_id))).all()) == 1
    store.close()


def test_a_supervisor_stepping_in_at_a_desk_does_not_take_over_the_receptionists_shift(store, actor, make_actor):
    boss = make_actor(store, staff_no="001", role="supervisor", pin="135790")  # at Lobby-1 too
    assert _shift(store, actor.shift_id).ended_at is None
    assert _shift(store, boss.shift_id).prev_shift_id is None
