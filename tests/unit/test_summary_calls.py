"""Call figures (DOMAIN §2: answer before the third ring), the contract shared with the phone
screen: every figure is worked out by hand here from the rows the test writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from deskconsole.models import Call
from deskconsole.services.summary.calls import call_figures, pct

T0 = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
END = T0 + timedelta(hours=8)


def add_call(store, actor, minute: float, **kw) -> int:
    started = T0 + timedelta(minutes=minute)
    values = dict(direction="in", started_at=started, status="ringing", **actor.stamps())
    answer_s = kw.pop("answer_s", None)
    if answer_s is not None:
        values.update(answered_at=started + timedelta(seconds=answer_s), answer_seconds=answer_s,
                      status="ended", ended_at=started + timedelta(seconds=answer_s + 60),
                      within_limit=answer_s < 15)
    values.update(kw)

    def work(s):
        call = Call(**values)
        s.add(call)
        s.flush()
        return call.id

    return store.write(work)


def figures(store, start=T0, end=END, **kw):
    with store.read() as s:
        return call_figures(s, start, end, **kw)


def test_no_calls_gives_zeros_and_no_percentages(store, actor):
    f = figures(store)
    assert (f.incoming, f.answered, f.missed, f.outgoing) == (0, 0, 0, 0)
    assert f.within_three_rings_pct is None and f.avg_speed_of_answer_s is None
    assert f.longest_ring_s is None and f.by_hour == [0] * 24 and f.by_category == {}


def test_call_answered_on_fourth_ring_is_outside_three_rings(store, actor):
    add_call(store, actor, 0, answer_s=6.0, category="repair")
    add_call(store, actor, 10, answer_s=16.5, within_limit=False, category="repair")
    add_call(store, actor, 20, answer_s=9.5, category="inquiry")
    f = figures(store)
    assert (f.incoming, f.answered, f.within_three_rings, f.outside_three_rings) == (3, 3, 2, 1)
    assert f.within_three_rings_pct == 66.7  # 2 of 3 answered
    assert f.avg_speed_of_answer_s == 10.7  # (6 + 16.5 + 9.5) / 3 = 10.67
    assert f.longest_ring_s == 16.5
    assert f.by_category == {"inquiry": 1, "repair": 2}


def test_missed_calls_count_the_ring_until_the_caller_hung_up_and_returns(store, actor):
    missed = add_call(store, actor, 30, status="missed", ended_at=T0 + timedelta(minutes=30, seconds=40))
    add_call(store, actor, 31, status="missed", ended_at=T0 + timedelta(minutes=31, seconds=5),
             returned_at=T0 + timedelta(minutes=50))
    add_call(store, actor, 50, direction="out", status="ended", returns_call_id=missed)
    f = figures(store)
    assert (f.incoming, f.answered, f.missed, f.missed_returned, f.missed_not_returned) == (2, 0, 2, 1, 1)
    assert f.outgoing == 1 and f.longest_ring_s == 40.0
    assert f.by_category == {"none": 2}


def test_call_ringing_across_the_boundary_counts_in_the_period_it_started(store, actor):
    # Starts 10 s before the end of the shift, answered 8 s after it.
    add_call(store, actor, 8 * 60 - 10 / 60, answer_s=18.0, within_limit=False)
    assert figures(store).incoming == 1
    assert figures(store, start=END, end=END + timedelta(hours=8)).incoming == 0
    # One starting exactly at the end belongs to the next period (half-open [from, to)).
    add_call(store, actor, 8 * 60, answer_s=3.0)
    assert figures(store).incoming == 1
    assert figures(store, start=END, end=END + timedelta(hours=8)).incoming == 1


def test_voided_calls_are_left_out(store, actor):
    add_call(store, actor, 5, answer_s=4.0, voided_at=T0 + timedelta(minutes=9), void_reason="test")
    assert figures(store).incoming == 0


def test_by_hour_uses_the_site_local_hour(store, actor):
    add_call(store, actor, 0, answer_s=3.0)  # 01:00 UTC = 09:00 Shanghai
    add_call(store, actor, 61, answer_s=3.0)  # 02:01 UTC = 10:01 Shanghai
    assert figures(store).by_hour[1] == 1
    local = figures(store, tz=ZoneInfo("Asia/Shanghai")).by_hour
    assert local[9] == 1 and local[10] == 1 and sum(local) == 2


def test_figures_can_be_limited_to_one_operator_or_desk(store, actor, make_actor):
    other = make_actor(store, staff_no="102", name="张伟", desk="Lobby-2")
    add_call(store, actor, 1, answer_s=3.0)
    add_call(store, other, 2, answer_s=3.0)
    add_call(store, other, 3, answer_s=3.0)
    assert figures(store, operator_id=other.operator_id).incoming == 2
    assert figures(store, desk_id=actor.desk_id).incoming == 1


def test_percentages_round_half_up_to_one_decimal():
    assert pct(1, 8) == 12.5 and pct(2, 3) == 66.7 and pct(1, 3) == 33.3 and pct(0, 0) is None


def test_by_hour_is_right_in_a_half_hour_timezone(store, actor):
    add_call(store, actor, 0, answer_s=3.0)  # 01:00 UTC = 06:30 in Kolkata
    add_call(store, actor, 45, answer_s=3.0)  # 01:45 UTC = 07:15 in Kolkata
    local = figures(store, tz=ZoneInfo("Asia/Kolkata")).by_hour
    assert local[6] == 1 and local[7] == 1 and sum(local) == 2


def test_service_level_counts_missed_calls_as_outside_the_limit(store, actor):
    # DOMAIN §2: 3 answered within three rings and 1 missed: 100 % of the answered, 75 % of all.
    for minute in (0, 10, 20):
        add_call(store, actor, minute, answer_s=6.0)
    add_call(store, actor, 30, status="missed", ended_at=T0 + timedelta(minutes=30, seconds=80))
    add_call(store, actor, 40)  # still ringing: no result yet
    f = figures(store)
    assert (f.incoming, f.offered, f.answered, f.missed) == (5, 4, 3, 1)
    assert f.within_three_rings_pct == 100.0
    assert f.service_level_pct == 75.0 and f.abandon_rate_pct == 25.0
    assert f.longest_ring_s == 80.0


def test_no_offered_call_has_no_service_level(store, actor):
    f = figures(store)
    assert (f.offered, f.service_level_pct, f.abandon_rate_pct) == (0, None, None)
