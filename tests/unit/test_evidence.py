"""Measured evidence for the etiquette items (DOMAIN §1-§4), from records built here with an
injected clock. Shanghai time; the shift starts 09:00 local (01:00 UTC)."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from deskconsole.models import Call, FollowUp, Ticket, Visit
from deskconsole.services import evidence

TZ = ZoneInfo("Asia/Shanghai")


def add(store, obj):
    def work(s):
        s.add(obj)
        s.flush()
        return obj.id

    return store.write(work)


def call(actor, at, **kw):
    values = dict(direction="in", started_at=at, status="ended", **actor.stamps())
    values.update(kw)
    return Call(**values)


def ticket(actor, at, **kw):
    values = dict(kind="repair", created_at=at, updated_at=at, first_owner_id=actor.operator_id,
                  shift_id=actor.shift_id, desk_id=actor.desk_id)
    values.update(kw)
    return Ticket(**values)


def facts(store, actor, clock, **kw):
    with store.read() as s:
        return evidence.for_shift(s, actor.shift_id, now=clock.now(), tz=TZ, **kw).counts()


def test_call_answered_on_the_fourth_ring_is_outside_three_rings(store, actor, clock):
    t = clock.now()
    late = add(store, call(actor, t, answered_at=t + timedelta(seconds=16), rings=4, within_limit=False))
    add(store, call(actor, t, answered_at=t + timedelta(seconds=6), rings=2, within_limit=True))
    unknown = add(store, call(actor, t, answered_at=t + timedelta(seconds=20), rings=5, within_limit=None))
    add(store, call(actor, t, answered_at=t + timedelta(seconds=20), rings=5, within_limit=False,
                    voided_at=t + timedelta(minutes=1)))
    add(store, call(actor, t, direction="out", answered_at=t + timedelta(seconds=30), within_limit=False))
    clock.advance(600)
    with store.read() as s:
        fact = evidence.for_shift(s, actor.shift_id, now=clock.now(), tz=TZ).get("calls_late")
    assert fact.count == 2 and set(fact.ids) == {late, unknown} and fact.element == "A"


def test_ring_limit_setting_decides_calls_without_a_recorded_verdict(store, actor, clock):
    t = clock.now()
    add(store, call(actor, t, answered_at=t + timedelta(seconds=20), rings=4, within_limit=None))
    clock.advance(60)
    assert facts(store, actor, clock)["calls_late"] == 1
    assert facts(store, actor, clock, ring_limit=4)["calls_late"] == 0


def test_missed_call_counts_until_it_is_called_back(store, actor, clock):
    t = clock.now()
    add(store, call(actor, t, status="missed", rings=6))
    add(store, call(actor, t, status="missed", rings=6, returned_at=t + timedelta(minutes=5)))
    clock.advance(600)
    assert facts(store, actor, clock)["missed_not_returned"] == 1


def visit(actor, at, **kw):
    values = dict(arrived_at=at, name="陈", **actor.stamps())
    values.update(kw)
    return Visit(**values)


def test_visitor_kept_waiting_past_the_threshold_without_apology_is_evidence(store, actor, clock):
    t = clock.now()
    add(store, visit(actor, t, status="in_building", served_at=t + timedelta(minutes=5)))  # late, no apology
    add(store, visit(actor, t, status="in_building", served_at=t + timedelta(minutes=5),
                     apology_shown_at=t + timedelta(minutes=3), apology_ack_at=t + timedelta(minutes=3, seconds=5)))
    add(store, visit(actor, t, status="in_building", served_at=t + timedelta(minutes=2)))  # served in time
    add(store, visit(actor, t + timedelta(minutes=8), status="waiting"))  # still waiting, 2 min so far
    clock.advance(600)
    assert facts(store, actor, clock)["visitors_unacknowledged"] == 1
    clock.advance(120)  # the one still waiting passes three minutes
    assert facts(store, actor, clock)["visitors_unacknowledged"] == 2
    assert facts(store, actor, clock, apology_after_minutes=10)["visitors_unacknowledged"] == 0


def test_ticket_resolved_after_its_due_time_is_a_promise_not_kept(store, actor, clock):
    t = clock.now()
    due = t + timedelta(hours=2)
    add(store, ticket(actor, t, due_at=due, resolved_at=due + timedelta(minutes=1), status="resolved"))
    add(store, ticket(actor, t, due_at=due, resolved_at=due - timedelta(minutes=1), status="resolved"))
    add(store, ticket(actor, t, due_at=due, status="in_progress"))
    add(store, ticket(actor, t, due_at=due, status="cancelled", cancelled_at=t + timedelta(minutes=5)))
    add(store, ticket(actor, t, due_at=t + timedelta(hours=5), status="new"))  # not yet due
    clock.advance(3 * 3600)
    assert facts(store, actor, clock)["tickets_past_due"] == 2


def check_now(store, ticket_id, clock):
    def work(s):
        t = s.get(Ticket, ticket_id)
        t.first_checked_at = clock.now()
        s.add(t)

    store.write(work)


def test_complaint_not_checked_the_same_day_counts_only_once_the_day_is_over(store, actor, clock):
    t = clock.now()  # 09:00 Shanghai
    same_day, next_day, _never = (add(store, ticket(actor, t, kind="complaint")) for _ in range(3))
    add(store, ticket(actor, t, kind="repair"))
    clock.advance(3 * 3600)
    check_now(store, same_day, clock)
    clock.advance(2 * 3600)
    assert facts(store, actor, clock)["complaints_unchecked"] == 0
    clock.advance(11 * 3600)  # 01:00 the next day in Shanghai
    check_now(store, next_day, clock)
    clock.advance(3 * 3600)
    assert facts(store, actor, clock)["complaints_unchecked"] == 2


def test_follow_up_done_late_or_not_at_all_is_evidence(store, actor, clock):
    t = clock.now()
    ids = [add(store, ticket(actor, t, status="resolved")) for _ in range(3)]
    due = t + timedelta(hours=1)
    add(store, FollowUp(ticket_id=ids[0], created_at=t, due_at=due, done_at=due - timedelta(minutes=5)))
    add(store, FollowUp(ticket_id=ids[1], created_at=t, due_at=due, done_at=due + timedelta(minutes=5)))
    add(store, FollowUp(ticket_id=ids[2], created_at=t, due_at=due))
    clock.advance(2 * 3600)
    assert facts(store, actor, clock)["follow_ups_overdue"] == 2


def test_another_operators_records_are_not_their_evidence(store, actor, make_actor, clock):
    other = make_actor(store, staff_no="102", name="张伟", desk="Lobby-2")
    t = clock.now()
    add(store, call(other, t, status="missed"))
    add(store, ticket(other, t, due_at=t + timedelta(minutes=30)))
    clock.advance(3600)
    assert facts(store, actor, clock) == {k: 0 for k in evidence.EVIDENCE_KEYS}
    with store.read() as s:
        everyone = evidence.gather(s, start=t, end=clock.now(), now=clock.now(), tz=TZ).counts()
    assert everyone["missed_not_returned"] == 1 and everyone["tickets_past_due"] == 1


@pytest.mark.parametrize("kind, hours", [("daily", 9), ("weekly", 7 * 24), ("monthly", 30 * 24)])
def test_inspection_period_looks_back_over_the_day_week_or_month(clock, kind, hours):
    start, end = evidence.period(kind, clock.now(), TZ)
    assert end == clock.now() and end - start == timedelta(hours=hours)
