"""Ticket due times in business hours (DOMAIN §3): weekends, holidays, make-up workdays,
complaints due at the end of the business day of receipt, amber/red states."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from deskconsole.config import SLAHours
from deskconsole.services.sla import rules_from, time_left
from tests.conftest import make_config

SH = ZoneInfo("Asia/Shanghai")
DATA = {
    "due_soon_minutes": 60,
    "follow_up_hours": 8,
    "holidays": ["2026-12-25"],  # a Friday
    "extra_workdays": ["2026-12-27"],  # a Sunday worked (调休)
    "due_hours": {
        "repair": {"low": 24, "normal": 8, "high": 4, "urgent": 1},
        "complaint": {"same_day": True, "urgent": 2, "after_check": 16},
    },
}


def sh(y, m, d, hh, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SH)


@pytest.fixture
def rules(tmp_path):
    return rules_from(make_config(tmp_path), DATA)


def test_repair_due_within_the_same_business_day(rules):
    # Wednesday 09:00 + 4 business hours = 13:00
    assert rules.due_at("repair", "high", sh(2026, 11, 25, 9)) == sh(2026, 11, 25, 13)


def test_business_hours_carry_over_the_weekend(rules):
    # Friday 16:00 + 8 h: 2 h on Friday (to 18:00), Saturday and Sunday off, 6 h on Monday -> 15:00
    assert rules.due_at("repair", "normal", sh(2026, 11, 27, 16)) == sh(2026, 11, 30, 15)


def test_a_holiday_is_skipped_and_a_make_up_sunday_counts(rules):
    # Thursday 24 Dec 14:00 + 8 h: 4 h Thursday, Friday 25 Dec is a holiday, Saturday off,
    # Sunday 27 Dec is a make-up workday: 4 h -> Sunday 13:00
    assert rules.due_at("repair", "normal", sh(2026, 12, 24, 14)) == sh(2026, 12, 27, 13)


def test_received_before_opening_counts_from_opening(rules):
    assert rules.due_at("repair", "urgent", sh(2026, 11, 25, 7, 30)) == sh(2026, 11, 25, 10)


def test_received_on_saturday_counts_from_monday_opening(rules):
    assert rules.due_at("repair", "high", sh(2026, 11, 28, 11)) == sh(2026, 11, 30, 13)


def test_complaint_is_due_at_the_end_of_the_business_day_of_receipt(rules):
    # DOMAIN §3: investigate and verify the same day
    assert rules.due_at("complaint", "normal", sh(2026, 11, 25, 9, 5)) == sh(2026, 11, 25, 18)
    assert rules.due_at("complaint", "low", sh(2026, 11, 25, 17, 59)) == sh(2026, 11, 25, 18)


def test_complaint_received_after_hours_is_due_at_the_end_of_the_next_business_day(rules):
    assert rules.due_at("complaint", "normal", sh(2026, 11, 25, 19)) == sh(2026, 11, 26, 18)
    # Friday evening -> Monday
    assert rules.due_at("complaint", "normal", sh(2026, 11, 27, 20)) == sh(2026, 11, 30, 18)


def test_urgent_complaint_takes_the_earlier_of_same_day_and_its_hours(rules):
    assert rules.due_at("complaint", "urgent", sh(2026, 11, 25, 10)) == sh(2026, 11, 25, 12)
    assert rules.due_at("complaint", "urgent", sh(2026, 11, 25, 17)) == sh(2026, 11, 25, 18)


def test_checked_complaint_is_due_for_a_solution_in_business_hours(rules):
    assert rules.due_after_check("complaint", sh(2026, 11, 27, 14)) == sh(2026, 12, 1, 12)
    assert rules.due_after_check("repair", sh(2026, 11, 27, 14)) is None


def test_business_hours_and_holidays_come_from_the_config(tmp_path):
    hours = SLAHours(start=time(8, 30), end=time(17, 30), workdays=(0, 1, 2, 3, 4, 5),
                     holidays=(date(2026, 11, 26),))
    rules = rules_from(make_config(tmp_path, sla=hours), DATA)
    # Wednesday 16:30 + 8 h: 1 h Wednesday, Thursday a holiday (config), 7 h Friday -> 15:30
    assert rules.due_at("repair", "normal", sh(2026, 11, 25, 16, 30)) == sh(2026, 11, 27, 15, 30)
    # Saturday is a workday in this config
    assert rules.is_business_day(date(2026, 11, 28))


def test_due_times_are_returned_in_utc(rules):
    due = rules.due_at("repair", "high", sh(2026, 11, 25, 9))
    assert due.tzinfo == UTC and due == datetime(2026, 11, 25, 5, 0, tzinfo=UTC)


def test_queue_turns_amber_within_the_hour_and_red_when_overdue(rules):
    due = sh(2026, 11, 25, 12)
    assert rules.state(due, sh(2026, 11, 25, 10, 59)) == "ok"
    assert rules.state(due, sh(2026, 11, 25, 11, 0)) == "soon"
    assert rules.state(due, sh(2026, 11, 25, 12, 0)) == "overdue"
    assert rules.state(None, sh(2026, 11, 25, 12)) == "none"


def test_time_left_shows_hours_and_minutes_or_days():
    now = sh(2026, 11, 25, 9)
    assert time_left(now + timedelta(hours=2, minutes=15), now) == "2:15"
    assert time_left(now - timedelta(minutes=40), now) == "-0:40"
    assert time_left(now + timedelta(days=3, hours=4), now) == "3d 4h"


def test_follow_up_call_is_due_in_business_hours_after_resolution(rules):
    assert rules.follow_up_due(sh(2026, 11, 27, 15)) == sh(2026, 11, 30, 14)


def test_shipped_sla_file_covers_every_ticket_kind(tmp_path):
    from deskconsole.models.tickets import PRIORITIES, TICKET_KINDS

    rules = rules_from(make_config(tmp_path))
    for kind in TICKET_KINDS:
        for priority in PRIORITIES:
            assert kind in rules.same_day or priority in rules.due_hours[kind], (kind, priority)


def test_statutory_holidays_and_make_up_workdays_come_from_the_calendar_package(tmp_path):
    rules = rules_from(make_config(tmp_path))  # the shipped data/sla.toml
    assert not rules.is_business_day(date(2026, 2, 16))  # Spring Festival 2026
    assert rules.is_business_day(date(2026, 2, 14))  # a Saturday worked (调休)
    assert rules.is_business_day(date(2026, 12, 25))  # Christmas is no holiday in mainland China
    # received on the eve of the holiday, a repair is due after it, on the make-up Saturday 28 Feb
    assert rules.due_at("repair", "normal", sh(2026, 2, 13, 17)) == sh(2026, 2, 14, 16).astimezone(UTC)


def test_the_company_closed_days_are_added_on_top_of_the_statutory_calendar(tmp_path):
    rules = rules_from(make_config(tmp_path), {"statutory_calendar": "cn", "holidays": ["2026-06-01", "2026-02-28"]})
    assert not rules.is_business_day(date(2026, 6, 1)) and not rules.is_business_day(date(2026, 2, 28))
    assert not rules.is_business_day(date(2026, 10, 1)) and rules.is_business_day(date(2026, 10, 10))


def test_a_year_the_calendar_does_not_know_is_reported_not_assumed(tmp_path):
    rules = rules_from(make_config(tmp_path))
    assert rules.unknown_years(sh(2026, 11, 25, 9), sh(2026, 11, 25, 9)) == []
    assert rules.unknown_years(sh(2026, 12, 30, 9), sh(2027, 1, 4, 9)) == [2027]
    assert rules_from(make_config(tmp_path), {"statutory_calendar": ""}).unknown_years(
        sh(2027, 1, 4, 9), sh(2027, 1, 4, 9)) == []


def test_ticket_list_warns_of_a_year_without_statutory_holidays(tmp_path, make_actor, clock, monkeypatch, capsys):
    from deskconsole.db.store import Store
    from deskconsole.models import Ticket
    from deskconsole.services import tickets
    from tests.unit.test_retention import run_cli

    db = tmp_path / "cli.db"
    store = Store(f"sqlite:///{db}").open()
    actor = make_actor(store)
    rules = rules_from(make_config(tmp_path))
    t = store.write(lambda s: tickets.create_ticket(s, actor, kind="suggestion", unit="1-101", description="x",
                                                    rules=rules))
    def due_next_year(s):
        s.get(Ticket, t.id).due_at = datetime(2027, 3, 1, 2, tzinfo=UTC)

    store.write(due_next_year)
    code, out, err = run_cli(monkeypatch, capsys, "--db", str(db), "--lang", "en", "ticket", "list")
    assert code == 0 and "Statutory holidays for 2027 are not known yet" in err
    store.close()
