""""Checked the same day" (DOMAIN §3, 001 §5.2.5.5.1.3) is the SLA's business day: a complaint
received on a day off or after hours is due by the end of the next business day, and one
checked by then counts as checked the same day in the summary too."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from deskconsole.models import Ticket
from deskconsole.services.sla import rules_from
from deskconsole.services.summary import Period, summarize

TZ = "Asia/Shanghai"


def test_a_complaint_received_after_hours_or_at_the_weekend_and_checked_the_next_business_day_counts(
        store, actor, config):
    sh = ZoneInfo(TZ)

    def at(day, hour):
        return datetime(2026, 11, day, hour, tzinfo=sh).astimezone(UTC)

    rules = rules_from(config, {})
    common = dict(kind="complaint", status="in_progress", first_owner_id=actor.operator_id, **actor.stamps())
    rows = [  # (received, checked): Wednesday 25 Nov 2026 .. Monday 30 Nov
        (at(25, 20), at(26, 10)),  # after hours: the next business day, in time
        (at(28, 10), at(30, 11)),  # Saturday: Monday, in time
        (at(26, 10), at(26, 19)),  # in hours, checked after closing: late
        (at(27, 15), at(30, 9)),  # Friday afternoon, checked on Monday: late
    ]
    store.write(lambda s: s.add_all([Ticket(created_at=r, updated_at=r, first_checked_at=c, due_at=rules.due_at(
        "complaint", "normal", r), **common) for r, c in rows]))
    with store.read() as s:
        period = Period.for_range(date(2026, 11, 25), date(2026, 11, 30), TZ, at(30, 20))
        figures = summarize(s, period, rules=rules).tickets
    assert (figures.complaints, figures.complaints_checked_same_day) == (4, 2)
    # the due time says the same of each: checked by its due time exactly when counted
    assert [c <= rules.end_of_business_day(r) for r, c in rows] == [True, True, False, False]
