"""Shifts left open in the demo, so the red paths of a forgotten sign-off show (services/shifts.py
says what the console does with one):

- Now and then (FORGET) a receptionist forgets to sign off. The next receptionist signing on at
  that desk closes the shift at its last activity, as the system ("taken_over", or "stale" when
  it had been open longer than the limit: an afternoon shift closed the next morning), with no
  handover note, and takes it over: the handover is "not closed by its operator". A forgotten
  shift nobody has signed on after (the demo's last afternoon) stays open.
- The centre manager (the second supervisor) signed on at desk-1 two days before the demo's end
  and never signed off: a supervisor neither takes over nor is taken over, so that shift is
  still open and stale. `deskconsole shift list --open` shows it, a supervisor closes it on F6,
  and its operator signing on at desk-1 finds it closed by the stale rule and starts afresh.

Decisions are drawn from their own Random (seeded by the seed, the date and the slot), so the
day's other draws, and so every other row of the demo, stay as they were."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime

from deskconsole.services.shifts import STALE_AFTER, SYSTEM

FORGET = 0.06  # share of receptionists' shifts whose operator forgets to sign off
H = 3600
MARGIN = 2 * H  # the next morning's sign-on is surely before `now` (any start draw, any DST)
SUPERVISOR_AT = 10 * H + 40 * 60  # local time the centre manager signed on and walked away


def forgets(w, index: int, d: int, slot: int, day0: int, last_index: int) -> bool:
    """Whether this shift's operator forgets to sign off. An afternoon shift is forgotten only
    when it is certain whether a later sign-on took it over: the next day's morning shift
    certainly started before `now`, or the demo has no next day (the shift stays open)."""
    if random.Random(w.seed * 7_919 + index * 4 + d * 2 + slot).random() >= FORGET:
        return False
    if slot == 0 or index == last_index:
        return True
    return day0 + 24 * H + 8 * H + MARGIN <= w.now


def last_activity(events: list[tuple], sid: int, op: int, start: int, until: int) -> int:
    """The shift's last audited action by its operator before `until` (services/shifts.last_activity)."""
    return max((e[0] for e in events if e[3] == sid and e[1] == op and start <= e[0] <= until), default=start)


def close_event(forgotten: tuple, at: int, by: int) -> tuple:
    """The audit event of the sign-on at `at` by operator `by` closing a forgotten shift, as
    services/shifts.close_left_open records it."""
    sid, op, desk, start, ended = forgotten
    reason = "stale" if at - start >= STALE_AFTER.total_seconds() else "taken_over"
    after = json.dumps({"closed_by": SYSTEM, "ended_at": datetime.fromtimestamp(ended, UTC).isoformat(),
                        "operator_id": op, "reason": reason}, ensure_ascii=False, sort_keys=True)
    return (at, by, desk, sid, "close", "shift", sid, None, after)


def close_forgotten(day) -> None:
    """At the end of a day: the day's forgotten shifts that a later sign-on takes over get their
    end (their last activity) and "system" as who closed them; the morning's is closed by the
    afternoon sign-on now, an afternoon's by the next morning's (World.left_open)."""
    w, rows = day.w, day.w.sink.rows["shift"]
    for row_at, sid, op, desk, d, slot, start, end in day.forgotten:
        if slot == 0:
            next_sid, next_op = day.shift_of[(d, True)]
            until = day.starts[next_sid]
        elif day.index == w.last_index:
            continue  # nobody signed on after it: still open
        else:
            until = end
        ended = last_activity(day.audit, sid, op, start, until)
        row = rows[row_at]
        rows[row_at] = (*row[:4], w.ts(ended), *row[5:8], SYSTEM)
        if slot == 0:
            at = next(i for i, e in enumerate(day.audit) if e[4] == "sign_on" and e[6] == next_sid)
            day.audit.insert(at, close_event((sid, op, desk, start, ended), until, next_op))
        else:
            w.left_open[desk] = (sid, op, desk, start, ended)


def supervisor_shift(day) -> None:
    """The centre manager's shift at desk-1, left open (module doc)."""
    w = day.w
    start = day.day0 + SUPERVISOR_AT
    if day.index != w.supervisor_index or start > w.now:
        return
    sid, op, desk = w.next_id("shift"), w.supervisors[-1], w.desks[0][0]
    # No previous shift: the last one closed at this desk was taken over that morning.
    w.sink.rows["shift"].append((sid, op, desk, w.ts(start), None, None, None, None, None))
    day.audit.append((start, op, desk, sid, "sign_on", "shift", sid, None, None))
