"""One shift of records at the Lobby-1 desk (Shanghai, UTC+8), written row by row with the
clock of the test, and every figure of its summary worked out by hand. Shared by the service,
CLI and export tests: the three must agree with these numbers exactly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from deskconsole.models import (
    Call,
    EtiquetteCheck,
    EtiquetteResult,
    FollowUp,
    ProgressCall,
    Shift,
    Ticket,
    Visit,
)
from deskconsole.services import handover, operators

START = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai; the shift runs 8 hours
SHIFT_END = START + timedelta(hours=8)
AS_OF = START + timedelta(hours=17)  # the summary is read the next morning (02:00 Shanghai)


def at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


def build_shift(store, actor, clock) -> int:
    """Writes the records, closes the shift at 17:00 local and moves the clock to AS_OF."""
    st = actor.stamps()
    early = {}  # the shift before, at the same desk: it made the records from before 09:00

    def before(s):
        night = Shift(operator_id=actor.operator_id, desk_id=actor.desk_id, started_at=at(-60),
                      ended_at=at(-0.25))
        s.add(night)
        s.flush()
        early.update(st, shift_id=night.id)

    def visits(s):
        s.add_all([
            Visit(arrived_at=at(10), served_at=at(12), status="left", purpose="visit", party_size=2,
                  apology_shown_at=at(11), apology_ack_at=at(11.5), name="王", phone="13800138000", **st),
            Visit(arrived_at=at(20), served_at=at(27.5), status="in_building", purpose="repair",
                  apology_shown_at=at(23), served_out_of_order=True, name="李", **st),
            Visit(arrived_at=at(70), status="waiting", purpose="visit", name="赵", unit="3-1201", **st),
            Visit(arrived_at=at(30), status="left", purpose="visit", voided_at=at(31), void_reason="dup", **st),
            Visit(arrived_at=at(-5), served_at=at(-4), status="left", purpose="visit", **early),
        ])

    def calls(s):
        s.add_all([
            Call(started_at=at(5), answered_at=at(5.1), answer_seconds=6.0, within_limit=True, status="ended",
                 category="repair", phone="13900139000", **st),
            Call(started_at=at(15), answered_at=at(15.3), answer_seconds=17.0, within_limit=False, status="ended",
                 category="inquiry", **st),
            Call(started_at=at(65), ended_at=at(65) + timedelta(seconds=40), status="missed",
                 returned_at=at(90), phone="13700137000", **st),
            Call(started_at=at(66), ended_at=at(66) + timedelta(seconds=10), status="missed",
                 caller_name="周", phone="13600136000", **st),
            Call(direction="out", started_at=at(90), status="ended", **st),
            Call(started_at=at(-20 / 60), answered_at=at(0.1), answer_seconds=26.0, within_limit=False,
                 status="ended", **early),
        ])

    def tickets(s):
        common = dict(first_owner_id=actor.operator_id, shift_id=actor.shift_id, desk_id=actor.desk_id)
        t1 = Ticket(kind="complaint", status="in_progress", created_at=at(25), updated_at=at(25),
                    due_at=at(120), first_checked_at=at(180), customer_name="钱", **common)
        t2 = Ticket(kind="repair", status="resolved", created_at=at(40), updated_at=at(240),
                    resolved_at=at(240), **common)
        t3 = Ticket(kind="inquiry", status="assigned", created_at=at(50), updated_at=at(50),
                    escalated_at=at(60), due_at=at(60 * 24), **common)
        t4 = Ticket(kind="complaint", status="in_progress", created_at=at(470), updated_at=at(470),
                    first_checked_at=at(16 * 60), **common)  # 16:50 local; checked 01:00 next day
        s.add_all([t1, t2, t3, t4])
        s.flush()
        s.add_all([
            FollowUp(ticket_id=t2.id, created_at=at(240), due_at=at(300), done_at=at(360), satisfaction="satisfied",
                     shift_id=actor.shift_id),
            FollowUp(ticket_id=t2.id, created_at=at(240), due_at=at(300), done_at=at(420), shift_id=actor.shift_id),
            FollowUp(ticket_id=t1.id, created_at=at(30), due_at=at(60)),
            # Progress calls (DOMAIN §3): made half an hour late; due and not made; due after
            # the shift and not made by the morning; not needed once the ticket was solved.
            ProgressCall(ticket_id=t1.id, created_at=at(25), due_at=at(60), done_at=at(90), shift_id=actor.shift_id),
            ProgressCall(ticket_id=t1.id, created_at=at(90), due_at=at(130)),
            ProgressCall(ticket_id=t4.id, created_at=at(470), due_at=at(600)),
            ProgressCall(ticket_id=t2.id, created_at=at(40), due_at=at(300), stopped_at=at(240)),
        ])

    def etiquette(s):
        sup = operators.create_operator(s, staff_no="001", name="王芳", role="supervisor", pin="135790", now=at(0))
        own = EtiquetteCheck(kind="self", operator_id=actor.operator_id, desk_id=actor.desk_id,
                             shift_id=actor.shift_id, at=at(1), checklist_version="v1", score=18, max_score=20)
        daily = EtiquetteCheck(kind="daily", operator_id=actor.operator_id, inspector_id=sup.id,
                               desk_id=actor.desk_id, shift_id=actor.shift_id, at=at(180), checklist_version="v1", score=8, max_score=10)
        # signed after the shift ended, about no shift of the day: a day's figure, not the shift's
        weekly = EtiquetteCheck(kind="weekly", operator_id=actor.operator_id, inspector_id=sup.id,
                                desk_id=actor.desk_id, at=at(9 * 60), checklist_version="v1", score=5, max_score=10)
        s.add_all([own, daily, weekly])
        s.flush()
        s.add_all([EtiquetteResult(check_id=daily.id, item_id=i, element="A", result=r)
                   for i, r in (("a1", "fail"), ("a2", "fail"), ("a3", "pass"))])

    for step in (before, visits, calls, tickets, etiquette):
        store.write(step)
    clock.set(SHIFT_END)
    store.write(lambda s: handover.close_shift(s, actor, "钥匙在抽屉里", timezone="Asia/Shanghai"))
    clock.set(AS_OF)
    with store.read() as s:
        assert s.get(Shift, actor.shift_id).ended_at == SHIFT_END
    return actor.shift_id


# Every figure, by hand, from the rows above (the period is [09:00, 17:00) Shanghai).
EXPECTED = {
    "visitors": {
        "arrived": 3, "people": 4, "served": 2,
        "avg_wait_s": 285.0,  # (120 + 450) / 2
        "longest_wait_s": 450.0, "waiting_now": 1, "in_building_now": 1, "cancelled": 0,
        "apology_shown": 2, "apology_acknowledged": 1, "served_out_of_order": 1,
        "by_purpose": {"repair": 1, "visit": 2},
        "by_hour": [0] * 9 + [2, 1] + [0] * 13,
    },
    "calls": {
        "incoming": 4, "answered": 2, "within_three_rings": 1, "within_three_rings_pct": 50.0,
        "offered": 4,  # 2 answered + 2 missed
        "service_level_pct": 25.0,  # 1 within three rings of the 4 offered: missed count as outside
        "abandon_rate_pct": 50.0,  # 2 missed of 4
        "avg_speed_of_answer_s": 11.5,  # (6 + 17) / 2
        "longest_ring_s": 40.0,  # the first missed call rang 40 s
        "missed": 2, "missed_returned": 1, "outgoing": 1,
        "by_category": {"inquiry": 1, "none": 2, "repair": 1},
        "by_hour": [0] * 9 + [2, 2] + [0] * 13,
        # every call of the scenario was timed by keys (a lower bound); none by the phone system
        "timed_by": {"pbx": {"answered": 0, "within_three_rings": 0, "avg_speed_of_answer_s": None},
                     "keys": {"answered": 2, "within_three_rings": 1, "avg_speed_of_answer_s": 11.5}},
    },
    "tickets": {
        "opened": 4,
        "opened_by_kind": {"repair": 1, "complaint": 2, "inquiry": 1, "suggestion": 0, "callback": 0},
        "resolved": 1, "cancelled": 0, "open_now": 3, "overdue_now": 1, "escalated": 1,
        "complaints": 2, "complaints_checked_same_day": 1, "complaints_checked_same_day_pct": 50.0,
        "follow_ups_done": 2, "follow_ups_overdue_now": 1,
        "satisfaction": {"very_satisfied": 0, "satisfied": 1, "neutral": 0, "dissatisfied": 0, "none": 1},
        "progress_calls_due": 2,  # at 10:00 and 11:10; the one at 19:00 is after the shift
        "progress_calls_done": 1, "progress_calls_done_late": 1,  # 10:30, due 10:00
        "progress_calls_overdue_now": 2,  # 11:10 and 19:00, by 02:00 the next morning
    },
    "etiquette": {
        "self_checks_done": 1, "self_checks_skipped": 0, "self_check_score": 18, "self_check_max": 20,
        "self_check_pct": 90.0, "inspections": 1,
        "inspections_by_kind": {"daily": 1, "weekly": 0, "monthly": 0},
        "inspection_score": 8, "inspection_max": 10, "inspection_pct": 80.0, "failed_items": 2,
        "self_checks_passed": 0,  # 18 of 20 is not a clean pass
        "inspection_average_pct": 80.0,
        "element_average_pct": {"A": 33.3, "B": None, "C": None, "D": None, "E": None},  # 1 pass of 3 items
    },
}
