"""Ticket figures of a period (DOMAIN §3). Tickets count in the period in which they were
OPENED (`created_at`, indexed): every ticket figure is about that cohort, as of now, so the
supervisor can follow a day's requests to their end. Follow-ups count in the period in which
they were DONE (`done_at`, indexed) - that is the callback work of the period.

- opened, opened_by_kind; resolved (resolved_at set); cancelled.
- open_now / overdue_now: still open, and past `due_at` as of now (stands out on screen).
- escalated: escalated_at set (DOMAIN §3: what cannot be solved goes to the manager).
- complaints / complaints_checked_same_day (+ _pct): a complaint must be investigated and
  verified the same day (001 §5.2.5.5.1.3): first_checked_at on the site-local day it came in.
- follow_ups_done: follow-ups done in the period (of tickets of this desk/operator when
  filtered); satisfaction: their answers per level, "none" when not given.
- follow_ups_overdue_now: not done and past due, as of now (desk/operator filter applies).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

from sqlalchemy import select
from sqlmodel import Session

from deskconsole.models import FollowUp, Ticket
from deskconsole.models.tickets import SATISFACTION, TICKET_KINDS
from deskconsole.services.summary.calls import pct
from deskconsole.services.summary.period import Period

OPEN_STATUSES = ("new", "assigned", "in_progress")
NO_ANSWER = "none"


@dataclass(frozen=True)
class TicketFigures:
    opened: int = 0
    opened_by_kind: dict[str, int] = field(default_factory=lambda: {k: 0 for k in TICKET_KINDS})
    resolved: int = 0
    cancelled: int = 0
    open_now: int = 0
    overdue_now: int = 0
    escalated: int = 0
    complaints: int = 0
    complaints_checked_same_day: int = 0
    complaints_checked_same_day_pct: float | None = None
    follow_ups_done: int = 0
    follow_ups_overdue_now: int = 0
    satisfaction: dict[str, int] = field(
        default_factory=lambda: {k: 0 for k in (*SATISFACTION, NO_ANSWER)})

    def to_dict(self) -> dict:
        return asdict(self)


def ticket_figures(session: Session, period: Period, *, desk_id: int | None = None,
                   operator_id: int | None = None) -> TicketFigures:
    stmt = select(Ticket.kind, Ticket.status, Ticket.created_at, Ticket.due_at, Ticket.resolved_at,
                  Ticket.escalated_at, Ticket.first_checked_at, Ticket.cancelled_at).where(
        Ticket.created_at >= period.start, Ticket.created_at < period.end)
    if desk_id is not None:
        stmt = stmt.where(Ticket.desk_id == desk_id)
    if operator_id is not None:
        stmt = stmt.where(Ticket.first_owner_id == operator_id)  # DOMAIN §3: 首问负责
    tz, now = period.tz, period.as_of
    kinds: Counter[str] = Counter({k: 0 for k in TICKET_KINDS})
    n = resolved = cancelled = open_now = overdue = escalated = complaints = same_day = 0
    for kind, status, created, due, resolved_at, escalated_at, checked_at, cancelled_at in session.execute(stmt):
        n += 1
        kinds[kind] += 1
        resolved += resolved_at is not None
        cancelled += status == "cancelled" or cancelled_at is not None
        if status in OPEN_STATUSES:
            open_now += 1
            overdue += due is not None and due < now
        escalated += escalated_at is not None
        if kind == "complaint":
            complaints += 1
            if checked_at is not None and checked_at.astimezone(tz).date() == created.astimezone(tz).date():
                same_day += 1
    done = _follow_ups_done(session, period, desk_id, operator_id)
    answers: Counter[str] = Counter({k: 0 for k in (*SATISFACTION, NO_ANSWER)})
    for (answer,) in done:
        answers[answer if answer in SATISFACTION else NO_ANSWER] += 1
    return TicketFigures(
        opened=n, opened_by_kind=dict(kinds), resolved=resolved, cancelled=cancelled, open_now=open_now,
        overdue_now=overdue, escalated=escalated, complaints=complaints,
        complaints_checked_same_day=same_day, complaints_checked_same_day_pct=pct(same_day, complaints),
        follow_ups_done=len(done), follow_ups_overdue_now=_follow_ups_overdue(session, period, desk_id, operator_id),
        satisfaction={k: answers[k] for k in (*SATISFACTION, NO_ANSWER)})


def _filtered(stmt, desk_id, operator_id):
    if desk_id is not None or operator_id is not None:
        stmt = stmt.join(Ticket, Ticket.id == FollowUp.ticket_id)
        if desk_id is not None:
            stmt = stmt.where(Ticket.desk_id == desk_id)
        if operator_id is not None:
            stmt = stmt.where(Ticket.first_owner_id == operator_id)
    return stmt


def _follow_ups_done(session, period: Period, desk_id, operator_id) -> list[tuple]:
    stmt = select(FollowUp.satisfaction).where(
        FollowUp.done_at >= period.start, FollowUp.done_at < period.end)  # ix_follow_up_due
    return list(session.execute(_filtered(stmt, desk_id, operator_id)))


def _follow_ups_overdue(session, period: Period, desk_id, operator_id) -> int:
    stmt = select(FollowUp.id).where(FollowUp.done_at.is_(None), FollowUp.due_at < period.as_of)
    return len(session.execute(_filtered(stmt, desk_id, operator_id)).all())
