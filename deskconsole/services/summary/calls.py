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

from sqlalchemy import select
from sqlmodel import Session

from deskconsole.models import Call

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


def call_figures(session: Session, start_utc: datetime, end_utc: datetime, *,
                 desk_id: int | None = None, operator_id: int | None = None,
                 tz: tzinfo = UTC) -> CallFigures:
    """Figures for calls that started in [start_utc, end_utc), optionally one desk/operator.

    One range query on the indexed `started_at` column, narrow columns only; the rows of a
    month are a few thousand, summed here so every dialect gives the same answer."""
    stmt = select(Call.direction, Call.started_at, Call.answered_at, Call.ended_at,
                  Call.answer_seconds, Call.within_limit, Call.status, Call.returned_at,
                  Call.category).where(
        Call.started_at >= start_utc, Call.started_at < end_utc, Call.voided_at.is_(None))
    if desk_id is not None:
        stmt = stmt.where(Call.desk_id == desk_id)
    if operator_id is not None:
        stmt = stmt.where(Call.operator_id == operator_id)
    incoming = answered = within = missed = returned = outgoing = 0
    speed_total = 0.0
    longest: float | None = None
    by_category: Counter[str] = Counter()
    by_hour = [0] * 24
    for direction, started, ans_at, ended, ans_s, within_limit, status, returned_at, category in \
            session.execute(stmt):
        if direction == "out":
            outgoing += 1
            continue
        incoming += 1
        by_category[category or NO_CATEGORY] += 1
        by_hour[started.astimezone(tz).hour] += 1
        ring: float | None = None
        if ans_at is not None:
            answered += 1
            ring = _answer_s(started, ans_at, ans_s)
            speed_total += ring
            if within_limit:
                within += 1
        elif status == "missed":
            missed += 1
            if returned_at is not None:
                returned += 1
            if ended is not None:
                ring = max((ended - started).total_seconds(), 0.0)
        if ring is not None and (longest is None or ring > longest):
            longest = ring
    return CallFigures(
        incoming=incoming, answered=answered, within_three_rings=within,
        within_three_rings_pct=pct(within, answered),
        avg_speed_of_answer_s=seconds(speed_total, answered),
        longest_ring_s=None if longest is None else round(longest, 1),
        missed=missed, missed_returned=returned, outgoing=outgoing,
        by_category=dict(sorted(by_category.items())), by_hour=by_hour,
    )
