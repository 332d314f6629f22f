"""Call figures of a period (DOMAIN §2: answer before the third ring), read from the `call`
table only. The phone screen and the shift summary both call `call_figures`, so the number a
receptionist sees by the phone is the number the supervisor reads at the end of the shift.

Definitions (the contract; tests/unit/test_summary_calls.py holds each one):
- A call belongs to the period in which it STARTED ringing (`started_at` in [start, end)),
  wherever it was answered or missed: a call ringing across a shift boundary is counted once,
  in the shift in which it began.
- Voided rows (`voided_at` set) are left out of every figure.
- incoming: direction "in". answered: incoming with `answered_at` set.
- within_three_rings: answered with `within_limit` true (the limit is the configured ring
  limit, recorded on the row when it was answered). within_three_rings_pct: within / answered,
  percent with one decimal; None when nothing was answered.
- avg_speed_of_answer_s: mean of `answer_seconds` (monotonic), or answered_at - started_at
  where that is missing, over answered calls; one decimal; None when nothing was answered.
- longest_ring_s: the longest time an incoming call rang: until answered, or until the caller
  hung up (ended_at) on a missed call; one decimal; None without such calls.
- missed: status "missed"; missed_returned: of those, `returned_at` set (called back).
- outgoing: direction "out".
- by_category: incoming calls per category ("none" when not categorised), sorted by code.
- by_hour: 24 counts of incoming calls by the site-local hour (`tz`) in which they started.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, select
from sqlmodel import Session

from deskconsole.models import Call
from deskconsole.services.summary import sql

NO_CATEGORY = "none"


@dataclass(frozen=True)
class CallFigures:
    incoming: int = 0
    answered: int = 0
    within_three_rings: int = 0
    within_three_rings_pct: float | None = None
    avg_speed_of_answer_s: float | None = None
    longest_ring_s: float | None = None
    missed: int = 0
    missed_returned: int = 0
    outgoing: int = 0
    by_category: dict[str, int] = field(default_factory=dict)
    by_hour: list[int] = field(default_factory=lambda: [0] * 24)

    @property
    def outside_three_rings(self) -> int:
        """Answered, but after the third ring began: what the supervisor must see stand out."""
        return self.answered - self.within_three_rings

    @property
    def missed_not_returned(self) -> int:
        return self.missed - self.missed_returned

    def to_dict(self) -> dict:
        return asdict(self)


def pct(part: int, whole: int) -> float | None:
    """Percent with one decimal, half up (stable in JSON and on screen); None for 0 of 0."""
    if not whole:
        return None
    return int(part * 1000 / whole + 0.5) / 10


def seconds(total: float, n: int) -> float | None:
    if not n:
        return None
    return round(total / n, 1)


def _answer_s(started: datetime, answered: datetime, answer_seconds: float | None) -> float:
    if answer_seconds is not None:
        return float(answer_seconds)
    return max((answered - started).total_seconds(), 0.0)


def count_if(condition):
    """How many rows meet `condition` (0, not NULL, when none)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def call_figures(session: Session, start_utc: datetime, end_utc: datetime, *,
                 desk_id: int | None = None, operator_id: int | None = None,
                 tz: tzinfo = UTC) -> CallFigures:
    """Figures for calls that started in [start_utc, end_utc), optionally one desk/operator.

    Every query is bounded by the indexed `started_at` range; the database adds up (one row
    of sums, a few grouped rows), so a month on years of data is a few milliseconds."""
    where = [Call.started_at >= start_utc, Call.started_at < end_utc, Call.voided_at.is_(None)]
    if desk_id is not None:
        where.append(Call.desk_id == desk_id)
    if operator_id is not None:
        where.append(Call.operator_id == operator_id)
    inc = Call.direction == "in"
    answered = and_(inc, Call.answered_at.is_not(None))
    missed = and_(inc, Call.answered_at.is_(None), Call.status == "missed")
    ring = sql.seconds_between(session, Call.started_at, Call.ended_at)
    (n_in, n_answered, n_within, n_missed, n_returned, n_out, speed_total, speed_max, n_no_speed,
     missed_ring_max) = session.execute(select(
        count_if(inc), count_if(answered), count_if(and_(answered, Call.within_limit.is_(True))), count_if(missed),
        count_if(and_(missed, Call.returned_at.is_not(None))), count_if(Call.direction == "out"),
        func.sum(case((answered, Call.answer_seconds), else_=None)),
        func.max(case((answered, Call.answer_seconds), else_=None)),
        count_if(and_(answered, Call.answer_seconds.is_(None))),
        func.max(case((and_(missed, Call.ended_at.is_not(None)), ring), else_=None)),
    ).where(*where)).one()
    total = sql.as_float(speed_total)
    rings = [float(x) for x in (speed_max, missed_ring_max) if x is not None]
    if n_no_speed:  # answered without a monotonic measure: the wall clock difference
        for started, ans_at in session.execute(select(Call.started_at, Call.answered_at).where(
                *where, answered, Call.answer_seconds.is_(None))):
            wait = _answer_s(started, ans_at, None)
            total += wait
            rings.append(wait)
    by_category: Counter[str] = Counter()
    for category, count in session.execute(
            select(Call.category, func.count()).where(*where, inc).group_by(Call.category)):
        by_category[category or NO_CATEGORY] += count
    return CallFigures(
        incoming=n_in, answered=n_answered, within_three_rings=n_within,
        within_three_rings_pct=pct(n_within, n_answered),
        avg_speed_of_answer_s=seconds(total, n_answered),
        longest_ring_s=round(max(max(rings), 0.0), 1) if rings else None,
        missed=n_missed, missed_returned=n_returned, outgoing=n_out,
        by_category=dict(sorted(by_category.items())),
        by_hour=hours(session, Call.started_at, [*where, inc], tz, start_utc, end_utc),
    )


def hours(session: Session, column, where: list, tz: tzinfo, start: datetime, end: datetime) -> list[int]:
    """24 counts by the site-local hour of `column` (grouped by UTC hour in the database when
    the zone's offsets are whole hours, else hour by hour here)."""
    if isinstance(tz, ZoneInfo) and sql.whole_hour_offsets(tz, start, end) or tz is UTC:
        bucket = sql.utc_hour(session, column)
        return sql.local_hours(session.execute(select(bucket, func.count()).where(*where).group_by(bucket)),
                               tz if isinstance(tz, ZoneInfo) else ZoneInfo("UTC"))
    by_hour = [0] * 24
    for (at,) in session.execute(select(column).where(*where)):
        by_hour[at.astimezone(tz).hour] += 1
    return by_hour
