"""The demo leaves some shifts open, so the red paths of a forgotten sign-off show in it
(services/shifts.py): receptionists' shifts closed by the next sign-on as the system and handed
over, "stale" when closed the next morning; the centre manager's shift at desk-1 still open and
stale, listed by `shift list --open`, closed by the stale rule when she signs on again. The
store stays sound: db check and the audit chain hold."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from deskconsole.db import migrate
from deskconsole.demo import generate
from deskconsole.models import AuditEvent, Operator, Shift
from deskconsole.services import audit, shifts
from deskconsole.services.operators import OperatorInfo


def _sound(store) -> None:
    assert migrate.check(store) == []
    with store.read() as s:
        assert audit.verify(s).ok


def _info(s, staff_no: str) -> OperatorInfo:
    op = s.execute(select(Operator).where(Operator.staff_no == staff_no)).scalar_one()
    return OperatorInfo(op.id, op.staff_no, op.name, op.role, op.active)


def test_a_small_demo_leaves_a_stale_shift_open_and_the_store_sound(store, clock):
    generate(store, days=3, seed=1, clock=clock)
    now = clock.now()
    with store.read() as s:
        listed = shifts.list_shifts(s, open_only=True)
    stale = [r for r in listed if now - r.started_at >= shifts.STALE_AFTER]
    assert [(r.staff_no, r.desk, r.closed_by) for r in stale] == [("002", "desk-1", None)]
    _sound(store)


def test_its_operator_signing_on_later_finds_it_closed_by_the_stale_rule(store, clock):
    generate(store, days=3, seed=1, clock=clock)
    clock.advance(600)
    with store.read() as s:
        old = s.execute(select(Shift).join(Operator, Operator.id == Shift.operator_id).where(
            Operator.staff_no == "002", Shift.ended_at.is_(None))).scalar_one()
        receptionist = _info(s, "101")
    # a receptionist signing on at desk-1 leaves a supervisor's shift alone
    store.write(lambda s: shifts.sign_on(s, receptionist, desk_name="desk-1", clock=clock))
    with store.read() as s:
        assert s.get(Shift, old.id).ended_at is None
    actor = store.write(lambda s: shifts.sign_on(s, _info(s, "002"), desk_name="desk-1", clock=clock))
    with store.read() as s:
        closed = s.get(Shift, old.id)
        event = s.execute(select(AuditEvent).where(AuditEvent.action == "close", AuditEvent.entity_id == str(old.id))
                          ).scalar_one()
    assert actor.shift_id != old.id and closed.closed_by == shifts.SYSTEM
    assert closed.ended_at == old.started_at  # its last activity: signing on, then nothing
    assert json.loads(event.after)["reason"] == "stale"
    _sound(store)


def test_a_supervisor_closes_it_by_hand(sqlite_store, clock):
    generate(sqlite_store, days=3, seed=1, clock=clock)
    with sqlite_store.read() as s:
        old = next(r for r in shifts.list_shifts(s, open_only=True) if r.staff_no == "002")
    boss = sqlite_store.write(lambda s: shifts.sign_on(s, _info(s, "001"), desk_name="desk-1", clock=clock))
    sqlite_store.write(lambda s: shifts.close_by_supervisor(s, boss, old.id))
    with sqlite_store.read() as s:
        assert s.get(Shift, old.id).closed_by == "001"
        assert "002" not in [r.staff_no for r in shifts.list_shifts(s, open_only=True)]
    _sound(sqlite_store)


def test_forgotten_receptionist_shifts_are_closed_by_the_next_sign_on_and_handed_over(sqlite_store, clock):
    generate(sqlite_store, days=30, seed=7, clock=clock)
    with sqlite_store.read() as s:
        by_id = {sh.id: sh for sh in s.execute(select(Shift)).scalars()}
        closes = {int(e.entity_id): (e, json.loads(e.after)) for e in s.execute(
            select(AuditEvent).where(AuditEvent.action == "close", AuditEvent.entity == "shift")).scalars()}
    forgotten = [sh for sh in by_id.values() if sh.closed_by == shifts.SYSTEM]
    assert len(forgotten) >= 2 and set(closes) == {sh.id for sh in forgotten}
    reasons = set()
    for sh in forgotten:
        nxt = next(n for n in by_id.values() if n.prev_shift_id == sh.id)  # handed over
        event, after = closes[sh.id]
        assert sh.handover_note is None and sh.ended_at <= nxt.started_at == event.at
        assert event.operator_id == nxt.operator_id and after["operator_id"] == sh.operator_id
        assert after["reason"] == ("stale" if nxt.started_at - sh.started_at >= timedelta(hours=14) else "taken_over")
        reasons.add(after["reason"])
    assert reasons == {"stale", "taken_over"}
    _sound(sqlite_store)
