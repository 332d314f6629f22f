"""The end-of-shift summary (DOMAIN §6) matches the raw records exactly: every figure of a
hand-built shift is worked out in tests/unit/test_summary_scenario.py and compared here."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from deskconsole.services.errors import DeskError
from deskconsole.services.summary import Period, flatten, parse_period, summarize
from tests.unit.test_summary_scenario import AS_OF, EXPECTED, SHIFT_END, START, at, build_shift

TZ = "Asia/Shanghai"


def summary_of(store, period, **kw):
    with store.read() as s:
        return summarize(s, period, **kw)


def test_every_figure_of_a_shift_matches_the_records_counted_by_hand(store, actor, clock):
    shift_id = build_shift(store, actor, clock)
    with store.read() as s:
        period = Period.for_shift(s, shift_id, TZ, clock.now())
    assert (period.start, period.end, period.as_of) == (START, SHIFT_END, AS_OF)
    data = summary_of(store, period).to_dict()
    for section, figures in EXPECTED.items():
        assert data[section] == figures, section


def test_the_same_shift_asked_as_local_times_gives_the_same_figures(store, actor, clock):
    build_shift(store, actor, clock)
    period = parse_period(TZ, clock.now(), day="2026-11-25", from_time="09:00", to_time="17:00")
    assert (period.start, period.end) == (START, SHIFT_END)
    data = summary_of(store, period, desk_id=actor.desk_id).to_dict()
    assert {k: data[k] for k in EXPECTED} == EXPECTED


def test_period_json_names_from_to_and_timezone_and_the_handover(store, actor, clock):
    shift_id = build_shift(store, actor, clock)
    with store.read() as s:
        data = summarize(s, Period.for_shift(s, shift_id, TZ, clock.now())).to_dict()
    assert list(data) == ["schema", "period", "visitors", "calls", "tickets", "etiquette", "registers",
                          "handover", "audit"]
    assert data["period"]["from"] == "2026-11-25T01:00:00+00:00"
    assert data["period"]["to"] == "2026-11-25T09:00:00+00:00"
    assert data["period"]["timezone"] == TZ and data["period"]["desk"] == "Lobby-1"
    [entry] = data["handover"]
    assert entry["note"] == "钥匙在抽屉里" and entry["staff_no"] == "101" and entry["next_shift_id"] is None


def test_an_empty_shift_has_zeros_and_no_percentages(store, actor, clock):
    with store.read() as s:
        data = summarize(s, Period.for_shift(s, actor.shift_id, TZ, clock.now())).to_dict()
    assert data["visitors"]["arrived"] == 0 and data["visitors"]["avg_wait_s"] is None
    assert data["calls"]["incoming"] == 0 and data["calls"]["within_three_rings_pct"] is None
    assert data["tickets"]["opened"] == 0 and data["tickets"]["complaints_checked_same_day_pct"] is None
    assert data["etiquette"]["self_check_pct"] is None
    assert all(v == 0 or v is None for _, _, v in flatten(data))


def test_a_day_is_exactly_the_sum_of_its_two_halves(store, actor, clock):
    build_shift(store, actor, clock)
    whole = summary_of(store, parse_period(TZ, clock.now(), day="2026-11-25")).to_dict()
    am = summary_of(store, parse_period(TZ, clock.now(), day="2026-11-25", from_time="00:00", to_time="10:00"))
    pm = summary_of(store, parse_period(TZ, clock.now(), day="2026-11-25", from_time="10:00")).to_dict()
    am = am.to_dict()
    for section in ("visitors", "calls"):
        for key in ("arrived", "incoming", "missed", "outgoing", "answered", "served"):
            if key in whole[section]:
                assert whole[section][key] == am[section][key] + pm[section][key], key
    assert whole["calls"]["incoming"] == 5  # the call that began 20 s before 09:00 is in the day


def test_a_night_shift_runs_across_midnight_to_the_next_day():
    now = datetime(2026, 11, 27, tzinfo=UTC)
    p = parse_period(TZ, now, day="2026-11-25", from_time="22:00", to_time="06:00")
    assert p.start == datetime(2026, 11, 25, 14, 0, tzinfo=UTC)  # 22:00 +08:00
    assert p.end == datetime(2026, 11, 25, 22, 0, tzinfo=UTC)  # 06:00 next day +08:00


def test_a_night_shift_counts_a_call_after_midnight_in_that_shift(store, actor, clock):
    from deskconsole.models import Call

    def work(s):
        s.add(Call(started_at=datetime(2026, 11, 25, 17, 30, tzinfo=UTC), answered_at=datetime(
            2026, 11, 25, 17, 30, 5, tzinfo=UTC), answer_seconds=5.0, within_limit=True, status="ended",
            **actor.stamps()))  # 01:30 on the 26th in Shanghai

    store.write(work)
    night = parse_period(TZ, clock.now(), day="2026-11-25", from_time="22:00", to_time="06:00")
    figures = summary_of(store, night).calls
    assert figures.incoming == 1 and figures.by_hour[1] == 1
    assert summary_of(store, parse_period(TZ, clock.now(), day="2026-11-25")).calls.incoming == 0


@pytest.mark.parametrize(("timezone", "hour"), [("UTC", 1), ("Asia/Shanghai", 9)])
def test_days_and_hours_follow_the_site_timezone(store, actor, clock, timezone, hour):
    build_shift(store, actor, clock)
    day = summary_of(store, parse_period(timezone, clock.now(), day="2026-11-25"))
    assert day.period.start == datetime.combine(date(2026, 11, 25), time(0), UTC) - \
        (timedelta(hours=8) if timezone == "Asia/Shanghai" else timedelta(0))
    assert day.visitors.by_hour[hour] == 2 and day.calls.by_hour[hour] == 2
    assert day.visitors.arrived == 4  # the visitor at 08:55 local is in the day, not the shift


def test_a_range_includes_both_dates_and_refuses_them_reversed(store, actor, clock):
    p = parse_period(TZ, clock.now(), day="2026-11-01", to_day="2026-11-30")
    assert (p.end - p.start) == timedelta(days=30)
    with pytest.raises(DeskError) as err:
        parse_period(TZ, clock.now(), day="2026-11-30", to_day="2026-11-01")
    assert err.value.field == "to_date"


@pytest.mark.parametrize(("kw", "field"), [
    ({"day": ""}, "date"), ({"day": "2026-13-01"}, "date"), ({"day": "2026-11-25", "from_time": "25:00"}, "from_time"),
    ({"day": "2026-11-25", "to_time": "9"}, "to_time"), ({"day": "2026-11-25", "to_day": "x"}, "to_date"),
])
def test_bad_dates_and_times_are_refused_at_their_field(kw, field):
    with pytest.raises(DeskError) as err:
        parse_period(TZ, datetime(2026, 11, 25, tzinfo=UTC), **kw)
    assert err.value.field == field


def test_one_operator_sees_only_their_own_records(store, actor, make_actor, clock):
    build_shift(store, actor, clock)
    other = make_actor(store, staff_no="102", name="张伟")
    day = parse_period(TZ, clock.now(), day="2026-11-25")
    assert summary_of(store, day, operator_id=other.operator_id).calls.incoming == 0
    assert summary_of(store, day, operator_id=actor.operator_id).calls.incoming == 5


def test_flatten_names_every_figure_once(store, actor, clock):
    build_shift(store, actor, clock)
    rows = flatten(summary_of(store, parse_period(TZ, clock.now(), day="2026-11-25")).to_dict())
    keys = [(s, k) for s, k, _ in rows]
    assert len(keys) == len(set(keys))
    assert ("calls", "by_hour.09", 2) in rows and ("tickets", "opened_by_kind.complaint", 2) in rows
    assert at(0) == START
