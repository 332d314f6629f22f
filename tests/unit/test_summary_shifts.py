"""A shift's figures are the records stamped with it (DOMAIN §6): two shifts overlap at a
handover, and what either made then is counted once, so the shifts of a period add up to it."""

from __future__ import annotations

from datetime import timedelta

from deskconsole.models import Call, EtiquetteCheck, FollowUp, Ticket, Visit
from deskconsole.services.summary import Period, flatten, summarize

TZ = "Asia/Shanghai"
# Figures that are not counts of the period's records: ratios, means, maxima, the follow-ups
# and progress calls overdue now (of every ticket, whenever opened), and the progress calls
# that fell due (a moment in time, not a record: shifts overlap at a handover).
NOT_ADDITIVE = ("_pct", "avg_", "longest_", "average", "follow_ups_overdue_now", "progress_calls_overdue_now",
                "progress_calls_due")


def _records(actor, start, minutes):
    """One of each record, stamped with the actor's shift, `minutes` after `start`."""
    st = actor.stamps()
    when = start + timedelta(minutes=minutes)
    ticket = Ticket(kind="complaint", created_at=when, updated_at=when, first_owner_id=actor.operator_id,
                    first_checked_at=when, **st)
    return [
        Visit(arrived_at=when, served_at=when + timedelta(minutes=2), status="left", purpose="visit", **st),
        Call(started_at=when, answered_at=when, answer_seconds=4.0, within_limit=True, status="ended", **st),
        Call(direction="out", started_at=when, status="ended", **st),
        EtiquetteCheck(kind="self", operator_id=actor.operator_id, shift_id=actor.shift_id,
                       desk_id=actor.desk_id, at=when, checklist_version="v1", score=9, max_score=10),
        ticket,
    ]


def test_the_shifts_of_a_day_add_up_to_the_day_even_where_they_overlap(store, actor, make_actor, clock):
    start = clock.now()
    store.write(lambda s: s.add_all(_records(actor, start, 10) + _records(actor, start, 475)))
    clock.advance(470 * 60)  # the next operator signs on at the same desk before the first has left
    late = make_actor(store, staff_no="102", name="张伟")
    store.write(lambda s: s.add_all(_records(late, start, 472) + _records(late, start, 600)))

    def follow_up(s):  # a call made in the overlap, by the first shift
        t = Ticket(kind="repair", status="resolved", created_at=start, updated_at=start,
                   first_owner_id=actor.operator_id, **actor.stamps())
        s.add(t)
        s.flush()
        s.add(FollowUp(ticket_id=t.id, created_at=start, due_at=start, done_at=start + timedelta(minutes=476),
                       satisfaction="satisfied", operator_id=actor.operator_id, shift_id=actor.shift_id))

    store.write(follow_up)
    # The first operator's console still runs for a few minutes after the takeover closed the
    # shift: what it writes is stamped with that shift, and counted there only.
    clock.advance(4 * 3600)
    now = clock.now()
    with store.read() as s:
        day = summarize(s, Period.for_day(start.astimezone(Period.for_range(
            start.date(), start.date(), TZ, now).tz).date(), TZ, now)).to_dict()
        shifts = [summarize(s, Period.for_shift(s, sid, TZ, now)).to_dict() for sid in (actor.shift_id,
                                                                                        late.shift_id)]
    assert day["visitors"]["arrived"] == 4 and day["tickets"]["follow_ups_done"] == 1

    def counts(data):
        return {(sec, key): v for sec, key, v in flatten(data)
                if isinstance(v, int) and sec != "audit" and not any(mark in key for mark in NOT_ADDITIVE)}

    whole, parts = counts(day), [counts(d) for d in shifts]
    assert len(whole) > 40
    assert {k: sum(p[k] for p in parts) for k in whole} == whole
