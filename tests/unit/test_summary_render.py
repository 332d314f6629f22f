"""What stands out on the F6 screen and in the CLI table, and the labels the
screen, the CLI and the exports share."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from deskconsole.i18n import Translator
from deskconsole.services.summary import CallFigures, Period, flatten, render
from deskconsole.services.summary.etiquette import EtiquetteFigures
from deskconsole.services.summary.tickets import TicketFigures
from deskconsole.services.summary.visitors import VisitorFigures

START = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)


def data(as_of=START + timedelta(hours=8), calls=None, tickets=None, visitors=None) -> dict:
    period = Period(START, START + timedelta(hours=8), "Asia/Shanghai", as_of, kind="shift", shift_id=3)
    return {"period": {**period.to_dict(), "desk": "Lobby-1", "operator": None},
            "visitors": (visitors or VisitorFigures()).to_dict(), "calls": (calls or CallFigures()).to_dict(),
            "tickets": (tickets or TicketFigures()).to_dict(), "etiquette": EtiquetteFigures().to_dict(),
            "handover": []}


def test_answering_outside_three_rings_stands_out_but_a_perfect_shift_does_not():
    assert render.needs_attention(data(calls=CallFigures(answered=4, within_three_rings=3,
                                                         within_three_rings_pct=75.0)), "calls", "within_three_rings_pct")
    assert not render.needs_attention(data(calls=CallFigures(answered=2, within_three_rings=2,
                                                             within_three_rings_pct=100.0)), "calls", "within_three_rings_pct")
    assert not render.needs_attention(data(), "calls", "within_three_rings_pct")  # no calls, no miss


def test_a_perfect_answered_only_figure_beside_missed_calls_stands_out():
    # DOMAIN §2: "100 % within three rings" beside a missed call hides that call.
    calls = CallFigures(answered=2, within_three_rings=2, within_three_rings_pct=100.0, missed=1, missed_returned=1,
                        offered=3, service_level_pct=66.7, abandon_rate_pct=33.3)
    for key in ("within_three_rings_pct", "service_level_pct", "abandon_rate_pct"):
        assert render.needs_attention(data(calls=calls), "calls", key)
    perfect = CallFigures(answered=2, within_three_rings=2, within_three_rings_pct=100.0, offered=2,
                          service_level_pct=100.0, abandon_rate_pct=0.0)
    for key in ("within_three_rings_pct", "service_level_pct", "abandon_rate_pct"):
        assert not render.needs_attention(data(calls=perfect), "calls", key)


def test_missed_calls_stand_out_until_every_one_is_called_back():
    assert render.needs_attention(data(calls=CallFigures(missed=2, missed_returned=1)), "calls", "missed")
    assert not render.needs_attention(data(calls=CallFigures(missed=2, missed_returned=2)), "calls", "missed")


def test_a_complaint_not_checked_stands_out_only_once_its_day_is_over():
    t = TicketFigures(complaints=1, complaints_checked_same_day=0, complaints_checked_same_day_pct=0.0)
    same_evening = START + timedelta(hours=12)  # 21:00 in Shanghai
    next_morning = START + timedelta(hours=24)
    assert not render.needs_attention(data(as_of=same_evening, tickets=t), "tickets", "complaints_checked_same_day_pct")
    assert render.needs_attention(data(as_of=next_morning, tickets=t), "tickets", "complaints_checked_same_day_pct")


def test_overdue_tickets_and_unsaid_apologies_stand_out():
    assert render.needs_attention(data(tickets=TicketFigures(overdue_now=1)), "tickets", "overdue_now")
    assert render.needs_attention(data(visitors=VisitorFigures(apology_shown=2, apology_acknowledged=1)),
                                  "visitors", "apology_acknowledged")


def test_labels_come_from_the_catalogs_in_both_languages():
    d = data(calls=CallFigures(incoming=1, by_category={"repair": 1}),
             visitors=VisitorFigures(arrived=1, by_purpose={"complaint": 1}))
    zh = {(s, k): lab for s, k, lab, _ in render.labelled_rows(d, Translator("zh-CN"))}
    en = {(s, k): lab for s, k, lab, _ in render.labelled_rows(d, Translator("en"))}
    assert zh[("calls", "within_three_rings_pct")] == "三声内接听占已接(%)"
    assert en[("calls", "by_category.repair")] == "Category: Repair"
    assert zh[("visitors", "by_purpose.complaint")] == "来访事由: 投诉"
    assert en[("tickets", "satisfaction.none")] == "Satisfaction: not given"
    assert len(zh) == len(flatten(d))


def test_period_title_is_in_site_local_time():
    assert render.period_title(data(), Translator("en")) == \
        "Shift 3  2026-11-25 09:00 - 17:00 (Asia/Shanghai)  desk Lobby-1"
