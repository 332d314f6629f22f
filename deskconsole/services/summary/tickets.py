"""Ticket figures of a period (DOMAIN §3). Tickets count in the period in which they were
OPENED (`created_at`, indexed): every ticket figure is about that cohort, as of now, so the
supervisor can follow a day's requests to their end. Follow-ups count in the period in which
they were DONE (`done_at`, indexed) - that is the callback work of the period. A shift's
figures are the tickets it opened and the follow-up calls made in it (`shift_id`), so the
shifts of a period add up to the period.

- opened, opened_by_kind; resolved (resolved_at set); cancelled.
- open_now / overdue_now: still open, and past `due_at` as of now (stands out on screen).
- escalated: escalated_at set (DOMAIN §3: what cannot be solved goes to the manager).
- complaints / complaints_checked_same_day (+ _pct): a complaint must be investigated and
  verified the same day (001 §5.2.5.5.1.3): first_checked_at by the end of the business day
  it came in, by the SLA's rule (`SLARules.end_of_business_day`: one received on a holiday or
  after hours is due by the end of the next business day), so the summary and the ticket's
  due time agree. Without rules (a bare call), by the site-local calendar day.
- follow_ups_done: follow-ups done in the period (of tickets of this desk/operator when
  filtered); satisfaction: their answers per level, "none" when not given.
- follow_ups_overdue_now: not done and past due, as of now (desk/operator filter applies).
- progress calls (DOMAIN §3, 000 C: keep the customer informed until it is solved; see
  services/tickets/progress_calls.py): progress_calls_due - tasks that fell due in the period
  (due_at in it and not after `as_of`), unless the ticket was solved before (stopped first);
  a time-window figure, of the tickets of the desk/operator when filtered, so a shift's count
  is what fell due while it ran (shifts overlap at a handover: not additive).
  progress_calls_done - progress calls made in the period (the shift's own: `shift_id`);
  progress_calls_done_late - of those, made after they were due;
  progress_calls_overdue_now - not made, not stopped and past due, as of now.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

from sqlalchemy import and_, bindparam, func, or_, select
from sqlmodel import Session

from deskconsole.models import FollowUp, ProgressCall, Ticket
from deskconsole.models.tickets import SATISFACTION, TICKET_KINDS
from deskconsole.services.sla import SLARules
from deskconsole.services.summary import sql
from deskconsole.services.summary.calls import pct
from deskconsole.services.summary.period import Period
from deskconsole.services.summary.sql import count_if

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
    progress_calls_due: int = 0
    progress_calls_done: int = 0
    progress_calls_done_late: int = 0
    progress_calls_overdue_now: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


_T = Ticket.__table__.c
_F = FollowUp.__table__.c
_P = ProgressCall.__table__.c


def _statements(desk: bool, operator: bool, shift: bool) -> tuple:
    """By kind: opened, resolved, cancelled, open now, overdue now, escalated (one grouped
    row per kind); the complaints' (created, first checked) pairs for the same-day rule,
    whose local dates are compared here; follow-ups done by answer, and overdue now; the
    progress calls due, done (and late) and overdue now."""
    # DOMAIN §3: 首问负责, a ticket is its first owner's (and the shift's that opened it)
    where = sql.in_period(_T.created_at, _T.desk_id, desk, _T.first_owner_id, operator, _T.shift_id, shift)
    is_open = _T.status.in_(OPEN_STATUSES)
    by_kind = select(
        _T.kind, func.count(), count_if(_T.resolved_at.is_not(None)),
        count_if(or_(_T.status == "cancelled", _T.cancelled_at.is_not(None))), count_if(is_open),
        count_if(and_(is_open, _T.due_at < bindparam("now"))), count_if(_T.escalated_at.is_not(None)),
    ).where(*where).group_by(_T.kind).order_by(_T.kind)
    complaints = select(_T.created_at, _T.first_checked_at).where(
        *where, _T.kind == "complaint", _T.first_checked_at.is_not(None))

    def of_tickets(stmt, ticket_id=_F.ticket_id):
        if desk or operator:
            stmt = stmt.join(Ticket.__table__, _T.id == ticket_id)
            if desk:
                stmt = stmt.where(_T.desk_id == bindparam("desk_id"))
            if operator:
                stmt = stmt.where(_T.first_owner_id == bindparam("operator_id"))
        return stmt

    if shift:  # the calls made in that shift, whichever desk took the ticket
        done = select(_F.satisfaction, func.count()).where(_F.shift_id == bindparam("shift_id"))
    else:
        done = of_tickets(select(_F.satisfaction, func.count()).select_from(FollowUp.__table__).where(
            _F.done_at >= bindparam("start"), _F.done_at < bindparam("end")))  # ix_follow_up_due
    done = done.group_by(_F.satisfaction)
    overdue = of_tickets(select(func.count()).select_from(FollowUp.__table__).where(
        _F.done_at.is_(None), _F.due_at < bindparam("now")))
    # One statement for the figures read as single numbers: each a subquery on its own index.
    counts = select(overdue.scalar_subquery(), *_progress_counts(shift, of_tickets))
    return by_kind, complaints, done, counts


def _progress_counts(shift: bool, of_tickets) -> list:
    """Progress calls: due in the period, done and done late in it, overdue now (subqueries)."""
    def of(stmt):
        return of_tickets(stmt.select_from(ProgressCall.__table__), _P.ticket_id)

    due = of(select(func.count())).where(  # ix_progress_call_due
        _P.due_at >= bindparam("start"), _P.due_at < bindparam("end"), _P.due_at <= bindparam("now"),
        or_(_P.stopped_at.is_(None), _P.stopped_at > _P.due_at))
    if shift:  # the calls made in that shift, whichever desk took the ticket
        made = select(func.count()).select_from(ProgressCall.__table__).where(
            _P.shift_id == bindparam("shift_id"), _P.done_at.is_not(None))
    else:
        made = of(select(func.count())).where(  # ix_progress_call_done
            _P.done_at >= bindparam("start"), _P.done_at < bindparam("end"))
    late = made.where(_P.due_at.is_not(None), _P.done_at > _P.due_at)
    overdue = of(select(func.count())).where(_P.done_at.is_(None), _P.stopped_at.is_(None),
                                             _P.due_at < bindparam("now"))
    return [q.scalar_subquery() for q in (due, made, late, overdue)]


def ticket_figures(session: Session, period: Period, *, desk_id: int | None = None,
                   operator_id: int | None = None, rules: SLARules | None = None) -> TicketFigures:
    conn = session.connection()
    flags = (desk_id is not None, operator_id is not None, period.shift_id is not None)
    by_kind, complaints_stmt, done_stmt, counts_stmt = sql.statements(("tickets", *flags),
                                                                      lambda: _statements(*flags))
    params = {"start": period.start, "end": period.end, "now": period.as_of, "desk_id": desk_id,
              "operator_id": operator_id, "shift_id": period.shift_id}
    kinds: Counter[str] = Counter({k: 0 for k in TICKET_KINDS})
    n = resolved = cancelled = open_now = overdue = escalated = complaints = same_day = 0
    for kind, count, n_resolved, n_cancelled, n_open, n_overdue, n_escalated in conn.execute(by_kind, params):
        n += count
        kinds[kind] += count
        resolved += n_resolved
        cancelled += n_cancelled
        open_now += n_open
        overdue += n_overdue
        escalated += n_escalated
        if kind == "complaint":
            complaints += count
    if complaints:
        tz = period.tz
        for created, checked_at in conn.execute(complaints_stmt, params):
            if rules is not None:  # DOMAIN §3: the same business day, as the SLA dues it
                same_day += checked_at <= rules.end_of_business_day(created)
            else:
                same_day += checked_at.astimezone(tz).date() == created.astimezone(tz).date()
    answers: Counter[str] = Counter({k: 0 for k in (*SATISFACTION, NO_ANSWER)})
    n_done = 0
    for answer, count in conn.execute(done_stmt, params):
        answers[answer if answer in SATISFACTION else NO_ANSWER] += count
        n_done += count
    fu_overdue, p_due, p_made, p_late, p_overdue = conn.execute(counts_stmt, params).one()
    return TicketFigures(
        opened=n, opened_by_kind=dict(kinds), resolved=resolved, cancelled=cancelled, open_now=open_now,
        overdue_now=overdue, escalated=escalated, complaints=complaints,
        complaints_checked_same_day=same_day, complaints_checked_same_day_pct=pct(same_day, complaints),
        follow_ups_done=n_done, follow_ups_overdue_now=fu_overdue,
        satisfaction={k: answers[k] for k in (*SATISFACTION, NO_ANSWER)},
        progress_calls_due=p_due, progress_calls_done=p_made, progress_calls_done_late=p_late,
        progress_calls_overdue_now=p_overdue)
