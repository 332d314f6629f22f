"""Shift handover (交接班, DOMAIN §6, 003 §4.2.4): the list is computed from the records, the
note is kept, the next operator at the desk acknowledges, history says who handed to whom."""

from __future__ import annotations

from datetime import timedelta

import pytest

from deskconsole.models import Call, ExpectedVisit, FollowUp, Shift, Ticket, Visit
from deskconsole.services import handover, operators, shifts
from deskconsole.services.errors import DeskError

TZ = "Asia/Shanghai"


def next_operator(store, clock, staff_no="102", name="张伟", desk="Lobby-1"):
    def work(s):
        op = operators.create_operator(s, staff_no=staff_no, name=name, role="receptionist", pin="2468",
                                       now=clock.now())
        return shifts.sign_on(s, op, desk_name=desk, clock=clock)

    return store.write(work)


def open_records(store, actor, clock):
    now = clock.now()
    st = actor.stamps()

    def work(s):
        s.add(Visit(arrived_at=now, status="in_building", name="王", unit="3-1201", **st))
        s.add(Visit(arrived_at=now, status="left", name="李", **st))
        t = Ticket(kind="repair", status="new", created_at=now, updated_at=now, first_owner_id=actor.operator_id,
                   shift_id=actor.shift_id, desk_id=actor.desk_id, customer_name="钱", due_at=now + timedelta(hours=4))
        done = Ticket(kind="inquiry", status="closed", created_at=now, updated_at=now,
                      first_owner_id=actor.operator_id, shift_id=actor.shift_id, desk_id=actor.desk_id)
        s.add_all([t, done])
        s.flush()
        s.add(FollowUp(ticket_id=t.id, created_at=now, due_at=now + timedelta(hours=2)))
        s.add(FollowUp(ticket_id=t.id, created_at=now, due_at=now + timedelta(days=3)))  # not yet due
        s.add(Call(started_at=now, status="missed", phone="13800138000", **st))
        s.add(Call(started_at=now, status="missed", phone="13900139000", returned_at=now, **st))
        s.add(ExpectedVisit(expected_at=now + timedelta(hours=3), name="孙", created_at=now))
        s.add(ExpectedVisit(expected_at=now + timedelta(hours=1), name="周", created_at=now, arrived_at=now))

    store.write(work)


def test_closing_a_shift_lists_what_the_next_shift_inherits(store, actor, clock):
    open_records(store, actor, clock)
    clock.advance(3600)
    items = store.write(lambda s: handover.close_shift(s, actor, "  钥匙在抽屉里\n复印机坏了 ", timezone=TZ))
    assert items.counts() == {"visitor": 1, "ticket": 1, "follow_up": 1, "missed_call": 1, "expected": 1, "key_overdue": 0, "item_out": 0}
    missed = [i for i in items.items if i.kind == "missed_call"][0]
    assert missed.title == "138****8000"  # DOMAIN §1: never leak customer information
    with store.read() as s:
        shift = s.get(Shift, actor.shift_id)
        assert shift.ended_at == clock.now() and shift.handover_note == "钥匙在抽屉里\n复印机坏了"


def test_a_closed_shift_cannot_be_closed_twice(store, actor, clock):
    store.write(lambda s: handover.close_shift(s, actor, "", timezone=TZ))
    with pytest.raises(DeskError) as err:
        store.write(lambda s: handover.close_shift(s, actor, "again", timezone=TZ))
    assert err.value.key == "shift.error.already_closed"


def test_an_over_long_note_is_refused_at_the_note_and_the_shift_stays_open(store, actor, clock):
    with pytest.raises(DeskError) as err:
        store.write(lambda s: handover.close_shift(s, actor, "x" * 2001, timezone=TZ))
    assert err.value.field == "handover_note"
    with store.read() as s:
        assert s.get(Shift, actor.shift_id).ended_at is None


def test_the_next_operator_at_the_desk_sees_the_handover_once_and_acknowledges_it(store, actor, clock):
    open_records(store, actor, clock)
    store.write(lambda s: handover.close_shift(s, actor, "钥匙在抽屉里", timezone=TZ))
    clock.advance(600)
    nxt = next_operator(store, clock)
    with store.read() as s:
        pending = handover.pending_for(s, nxt.shift_id, timezone=TZ, now=clock.now())
    assert pending.from_staff_no == "101" and pending.note == "钥匙在抽屉里"
    assert pending.open_items.count("ticket") == 1  # the tickets of the operator who left
    at = store.write(lambda s: handover.acknowledge(s, nxt))
    assert at == clock.now()
    with store.read() as s:
        assert handover.pending_for(s, nxt.shift_id, timezone=TZ, now=clock.now()) is None
        [entry] = handover.history(s, start=actor.clock.now() - timedelta(days=1), end=clock.now(),
                                   desk_id=actor.desk_id)[:1]
    assert (entry.staff_no, entry.next_staff_no, entry.acknowledged_at) == ("101", "102", at)


def test_the_first_shift_at_a_desk_has_no_handover(store, actor, clock):
    with store.read() as s:
        assert handover.pending_for(s, actor.shift_id, timezone=TZ, now=clock.now()) is None
    with pytest.raises(DeskError):
        store.write(lambda s: handover.acknowledge(s, actor))


def test_a_shift_at_another_desk_does_not_inherit_this_desks_handover(store, actor, clock):
    store.write(lambda s: handover.close_shift(s, actor, "note", timezone=TZ))
    elsewhere = next_operator(store, clock, desk="Lobby-2")
    with store.read() as s:
        assert handover.pending_for(s, elsewhere.shift_id, timezone=TZ, now=clock.now()) is None


def test_a_supervisor_may_see_the_missed_callers_number_whole(store, actor, clock):
    open_records(store, actor, clock)
    with store.read() as s:
        items = handover.open_items(s, desk_id=actor.desk_id, operator_id=actor.operator_id, now=clock.now(),
                                    timezone=TZ, unmasked=True)
    assert [i.title for i in items.items if i.kind == "missed_call"] == ["13800138000"]


def test_recent_shifts_are_listed_newest_first_with_who_took_over(store, actor, clock):
    store.write(lambda s: handover.close_shift(s, actor, "a", timezone=TZ))
    clock.advance(60)
    nxt = next_operator(store, clock)
    with store.read() as s:
        rows = handover.recent_shifts(s, desk_id=actor.desk_id)
    assert [r.shift_id for r in rows] == [nxt.shift_id, actor.shift_id]
    assert rows[1].next_name == "张伟" and rows[0].next_shift_id is None
