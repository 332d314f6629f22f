"""Measured facts beside the etiquette items (DOMAIN §4): what the console itself recorded
in a shift, for an operator, or over a period. A prompt for the supervisor's judgement,
never an automatic fail.

| key                     | element          | rule                                              |
|-------------------------|------------------|---------------------------------------------------|
| calls_late              | A proactive      | incoming call answered after the ring limit (§2)  |
| missed_not_returned     | A proactive      | missed call not (yet) called back (§3 首问负责)     |
| visitors_unacknowledged | B warm           | visitor waited past the apology threshold and the |
|                         |                  | apology was never acknowledged (§1, 000 B)        |
| tickets_past_due        | C sincere        | ticket due in the window, not resolved by its due |
|                         |                  | time (§3: keep the deadline you promise)          |
| complaints_unchecked    | C sincere        | complaint not investigated the day it was made    |
|                         |                  | (§3, 001 §5.2.5.5.1.3), once that day is over     |
| follow_ups_overdue      | D professional   | follow-up call due in the window, not done by its |
|                         |                  | due time (§3 回访)                                 |

Windows are half-open [start, end) on the record's own time (call start, visit arrival,
ticket due time, complaint creation, follow-up due time). "Not returned" / "not done" are
as of `now`. Filters: operator (who took the call / the visit / first owner or assignee of
the ticket), desk and shift.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from sqlalchemy import or_, select
from sqlmodel import Session

from deskconsole.models import Call, FollowUp, Shift, Ticket, Visit

EVIDENCE_ELEMENT = {
    "calls_late": "A",
    "missed_not_returned": "A",
    "visitors_unacknowledged": "B",
    "tickets_past_due": "C",
    "complaints_unchecked": "C",
    "follow_ups_overdue": "D",
}
EVIDENCE_KEYS = tuple(EVIDENCE_ELEMENT)
MAX_IDS = 50  # record ids kept per fact (to open them); the count is exact


@dataclass(frozen=True)
class Fact:
    key: str
    element: str
    count: int
    ids: tuple[int, ...]


@dataclass(frozen=True)
class Evidence:
    start: datetime
    end: datetime
    facts: tuple[Fact, ...]

    def get(self, key: str) -> Fact:
        return next(f for f in self.facts if f.key == key)

    def counts(self) -> dict[str, int]:
        return {f.key: f.count for f in self.facts}


def _fact(key: str, ids: list[int]) -> Fact:
    return Fact(key, EVIDENCE_ELEMENT[key], len(ids), tuple(ids[:MAX_IDS]))


def _stamped(q, model, operator_id, desk_id, shift_id):
    if operator_id is not None:
        q = q.where(model.operator_id == operator_id)
    if desk_id is not None:
        q = q.where(model.desk_id == desk_id)
    if shift_id is not None:
        q = q.where(model.shift_id == shift_id)
    return q


def _ticket_owner(q, operator_id, desk_id):
    # "+ 0": not through the owner's and the assignee's indexes, which hold every ticket they
    # ever had (SQLite took them, and read five years of an operator's tickets for one shift);
    # the window's own time index bounds the rows read.
    if operator_id is not None:
        q = q.where(or_(Ticket.first_owner_id + 0 == operator_id, Ticket.assignee_id + 0 == operator_id))
    if desk_id is not None:
        q = q.where(Ticket.desk_id == desk_id)
    return q


def gather(session: Session, *, start: datetime, end: datetime, now: datetime, tz: tzinfo,
           ring_limit: int = 3, apology_after_minutes: float = 3.0, operator_id: int | None = None,
           desk_id: int | None = None, shift_id: int | None = None) -> Evidence:
    """All six facts for [start, end), measured as of `now` (site time zone `tz` decides
    what "the same day" means for complaints)."""
    until = min(end, now)
    facts = []

    # DOMAIN §2: answered before the phone has rung `ring_limit` times.
    q = select(Call.id, Call.within_limit, Call.rings).where(
        Call.direction == "in", Call.answered_at.is_not(None), Call.voided_at.is_(None),
        Call.started_at >= start, Call.started_at < end).order_by(Call.started_at)
    rows = session.execute(_stamped(q, Call, operator_id, desk_id, shift_id)).all()
    facts.append(_fact("calls_late", [
        r.id for r in rows
        if r.within_limit is False or (r.within_limit is None and (r.rings or 0) > ring_limit)]))

    q = select(Call.id).where(
        Call.direction == "in", Call.status == "missed", Call.returned_at.is_(None),
        Call.voided_at.is_(None), Call.started_at >= start, Call.started_at < end).order_by(Call.started_at)
    facts.append(_fact("missed_not_returned",
                       list(session.execute(_stamped(q, Call, operator_id, desk_id, shift_id)).scalars())))

    # DOMAIN §1 / 000 B: those kept waiting are apologised to.
    threshold = timedelta(minutes=apology_after_minutes)
    q = select(Visit.id, Visit.arrived_at, Visit.served_at, Visit.checked_out_at, Visit.status,
               Visit.apology_shown_at).where(
        Visit.voided_at.is_(None), Visit.apology_ack_at.is_(None),
        Visit.arrived_at >= start, Visit.arrived_at < end).order_by(Visit.arrived_at)
    late = []
    for v in session.execute(_stamped(q, Visit, operator_id, desk_id, shift_id)).all():
        waited_until = v.served_at or v.checked_out_at or (now if v.status == "waiting" else None)
        if v.apology_shown_at is not None or (waited_until and waited_until - v.arrived_at >= threshold):
            late.append(v.id)
    facts.append(_fact("visitors_unacknowledged", late))

    # DOMAIN §3: a promise has a deadline; it is kept or it is not.
    q = select(Ticket.id).where(
        Ticket.due_at.is_not(None), Ticket.due_at >= start, Ticket.due_at < until,
        Ticket.cancelled_at.is_(None),
        or_(Ticket.resolved_at.is_(None), Ticket.resolved_at > Ticket.due_at)).order_by(Ticket.due_at)
    facts.append(_fact("tickets_past_due", list(session.execute(_ticket_owner(q, operator_id, desk_id)).scalars())))

    # DOMAIN §3 / 001 §5.2.5.5.1.3: complaints are investigated and verified the same day.
    q = select(Ticket.id, Ticket.created_at, Ticket.first_checked_at).where(
        Ticket.kind == "complaint", Ticket.cancelled_at.is_(None),
        Ticket.created_at >= start, Ticket.created_at < end).order_by(Ticket.created_at)
    if shift_id is not None:
        q = q.where(Ticket.shift_id == shift_id)
    unchecked = []
    for r in session.execute(_ticket_owner(q, operator_id, desk_id)).all():
        day = r.created_at.astimezone(tz).date()
        day_over = now.astimezone(tz).date() > day
        checked_late = r.first_checked_at is not None and r.first_checked_at.astimezone(tz).date() > day
        if checked_late or (r.first_checked_at is None and day_over):
            unchecked.append(r.id)
    facts.append(_fact("complaints_unchecked", unchecked))

    # DOMAIN §3: follow-up calls (回访) are made when due.
    q = select(FollowUp.id).join(Ticket, Ticket.id == FollowUp.ticket_id).where(
        FollowUp.due_at >= start, FollowUp.due_at < until,
        or_(FollowUp.done_at.is_(None), FollowUp.done_at > FollowUp.due_at)).order_by(FollowUp.due_at)
    facts.append(_fact("follow_ups_overdue", list(session.execute(_ticket_owner(q, operator_id, desk_id)).scalars())))
    return Evidence(start, end, tuple(facts))


def for_shift(session: Session, shift_id: int, *, now: datetime, tz: tzinfo, ring_limit: int = 3,
              apology_after_minutes: float = 3.0) -> Evidence:
    """The facts of one shift: its operator, its desk, from its start to its end (or now)."""
    shift = session.get(Shift, shift_id)
    return gather(session, start=shift.started_at, end=shift.ended_at or now, now=now, tz=tz,
                  ring_limit=ring_limit, apology_after_minutes=apology_after_minutes,
                  operator_id=shift.operator_id, shift_id=shift.id)


def period(kind: str, now: datetime, tz: tzinfo) -> tuple[datetime, datetime]:
    """The window an inspection looks back over (DOMAIN §6): a daily inspection the site's
    day so far, a weekly one the last 7 days, a monthly one the last 30 days."""
    if kind == "daily":
        local = now.astimezone(tz)
        start = local.replace(hour=0, minute=0, second=0, microsecond=0)
        return start.astimezone(now.tzinfo), now
    days = 7 if kind == "weekly" else 30
    return now - timedelta(days=days), now


def for_operator(session: Session, operator_id: int, kind: str, *, now: datetime, tz: tzinfo,
                 ring_limit: int = 3, apology_after_minutes: float = 3.0) -> Evidence:
    """The facts a supervisor sees while inspecting `operator_id` (any desk)."""
    start, end = period(kind, now, tz)
    return gather(session, start=start, end=end, now=now, tz=tz, ring_limit=ring_limit,
                  apology_after_minutes=apology_after_minutes, operator_id=operator_id)
