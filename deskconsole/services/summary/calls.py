"""Call figures of a period (DOMAIN §2: answer before the third ring), read from the `call`
table only. The phone screen and the shift summary both call `call_figures`, so the number a
receptionist sees by the phone is the number the supervisor reads at the end of the shift.

Definitions (the contract; tests/unit/test_summary_calls.py holds each one):
- A call belongs to the period in which it STARTED ringing (`started_at` in [start, end)),
  wherever it was answered or missed: a call ringing across a shift boundary is counted once,
  in the shift in which it began. Given a shift, the calls stamped with that shift.
- Voided rows (`voided_at` set) are left out of every figure.
- incoming: direction "in". answered: incoming with `answered_at` set.
- within_three_rings: answered with `within_limit` true (the limit is the configured ring
  limit, recorded on the row when it was answered). within_three_rings_pct: within / answered,
  percent with one decimal; None when nothing was answered. It counts answered calls only:
  read it beside the service level, which counts the missed ones too.
- offered: incoming calls that came to an end at the desk, answered or missed (a call still
  ringing has no result yet).
- service_level_pct: answered within the limit / offered, percent; a missed call counts as
  outside the limit (the call-centre service level). None when nothing was offered.
- abandon_rate_pct: missed / offered, percent (the caller hung up before anyone answered).
- avg_speed_of_answer_s: mean of `answer_seconds` (monotonic), or answered_at - started_at
  where that is missing, over answered calls; one decimal; None when nothing was answered.
- longest_ring_s: the longest time an incoming call rang: until answered, or until the caller
  hung up (ended_at) on a missed call; one decimal; None without such calls.
- missed: status "missed"; missed_returned: of those, `returned_at` set (called back).
- outgoing: direction "out".
- timed_by: the answered calls split by where their times came from (`Call.source`):
  "pbx" (the phone system's own times: exact) and "keys" (timed from a key press: a lower
  bound of the real ring time), each {answered, within_three_rings, avg_speed_of_answer_s}.
- by_category: incoming calls per category ("none" when not categorised), sorted by code.
- by_hour: 24 counts of incoming calls by the site-local hour (`tz`) in which they started.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, tzinfo

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
    offered: int = 0
    service_level_pct: float | None = None
    abandon_rate_pct: float | None = None
    avg_speed_of_answer_s: float | None = None
    longest_ring_s: float | None = None
    missed: int = 0
    missed_returned: int = 0
    outgoing: int = 0
    by_category: dict[str, int] = field(default_factory=dict)
    by_hour: list[int] = field(default_factory=lambda: [0] * 24)
    timed_by: dict[str, dict] = field(default_factory=lambda: {k: _timed(0, 0, None) for k in SOURCES})

    @property
    def outside_three_rings(self) -> int:
        """Answered, but after the third ring began: what the supervisor must see stand out."""
        return self.answered - self.within_three_rings

    @property
    def missed_not_returned(self) -> int:
        return self.missed - self.missed_returned

    def to_dict(self) -> dict:
        return asdict(self)


SOURCES = ("pbx", "keys")


def _timed(answered: int, within: int, speed: float | None) -> dict:
    return {"answered": answered, "within_three_rings": within, "avg_speed_of_answer_s": speed}


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


count_if = sql.count_if
_C = Call.__table__.c


def _statements(dialect: str, desk: bool, operator: bool, shift: bool = False) -> tuple:
    where = [*sql.in_period(_C.started_at, _C.desk_id, desk, _C.operator_id, operator, _C.shift_id, shift),
             _C.voided_at.is_(None)]
    inc = _C.direction == "in"
    answered = and_(inc, _C.answered_at.is_not(None))
    missed = and_(inc, _C.answered_at.is_(None), _C.status == "missed")
    pbx = _C.source == "pbx"
    ring = sql.seconds_between(dialect, _C.started_at, _C.ended_at)
    totals = select(
        count_if(inc), count_if(answered), count_if(and_(answered, _C.within_limit.is_(True))), count_if(missed),
        count_if(and_(missed, _C.returned_at.is_not(None))), count_if(_C.direction == "out"),
        func.sum(case((answered, _C.answer_seconds), else_=None)),
        func.max(case((answered, _C.answer_seconds), else_=None)),
        count_if(and_(answered, _C.answer_seconds.is_(None))),
        func.max(case((and_(missed, _C.ended_at.is_not(None)), ring), else_=None)),
        count_if(and_(answered, pbx)), count_if(and_(answered, pbx, _C.within_limit.is_(True))),
        func.sum(case((and_(answered, pbx), _C.answer_seconds), else_=None)),
        count_if(and_(answered, pbx, _C.answer_seconds.is_(None))),
    ).where(*where)
    no_speed = select(_C.started_at, _C.answered_at, _C.source).where(*where, answered, _C.answer_seconds.is_(None))
    by_category = select(_C.category, func.count()).where(*where, inc).group_by(_C.category)
    return totals, no_speed, by_category, sql.hour_statements(dialect, _C.started_at, [*where, inc])


def call_figures(session: Session, start_utc: datetime, end_utc: datetime, *,
                 desk_id: int | None = None, operator_id: int | None = None,
                 tz: tzinfo = UTC, shift_id: int | None = None) -> CallFigures:
    """Figures for calls that started in [start_utc, end_utc), optionally one desk/operator.

    Every query is bounded by the indexed `started_at` range; the database adds up (one row
    of sums, a few grouped rows), so a month on years of data is a few milliseconds."""
    conn = session.connection()
    dialect = conn.dialect.name
    flags = (desk_id is not None, operator_id is not None, shift_id is not None)
    totals, no_speed, grouped, hour_stmts = sql.statements(("calls", dialect, *flags),
                                                           lambda: _statements(dialect, *flags))
    params = {"start": start_utc, "end": end_utc, "desk_id": desk_id, "operator_id": operator_id,
              "shift_id": shift_id}
    (n_in, n_answered, n_within, n_missed, n_returned, n_out, speed_total, speed_max, n_no_speed,
     missed_ring_max, n_pbx, n_pbx_within, pbx_speed_total, n_pbx_no_speed) = conn.execute(totals, params).one()
    total = sql.as_float(speed_total)
    pbx_total = sql.as_float(pbx_speed_total)
    rings = [float(x) for x in (speed_max, missed_ring_max) if x is not None]
    if n_no_speed:  # answered without a monotonic measure: the wall clock difference
        for started, ans_at, source in conn.execute(no_speed, params):
            wait = _answer_s(started, ans_at, None)
            total += wait
            pbx_total += wait if source == "pbx" else 0.0
            rings.append(wait)
    by_category: Counter[str] = Counter()
    for category, count in conn.execute(grouped, params):
        by_category[category or NO_CATEGORY] += count
    return CallFigures(
        incoming=n_in, answered=n_answered, within_three_rings=n_within,
        within_three_rings_pct=pct(n_within, n_answered),
        offered=n_answered + n_missed,
        service_level_pct=pct(n_within, n_answered + n_missed),
        abandon_rate_pct=pct(n_missed, n_answered + n_missed),
        avg_speed_of_answer_s=seconds(total, n_answered),
        longest_ring_s=round(max(max(rings), 0.0), 1) if rings else None,
        missed=n_missed, missed_returned=n_returned, outgoing=n_out,
        by_category=dict(sorted(by_category.items())),
        by_hour=sql.hours(conn, hour_stmts, params, tz, start_utc, end_utc),
        timed_by={"pbx": _timed(n_pbx, n_pbx_within, seconds(pbx_total, n_pbx)),
                  "keys": _timed(n_answered - n_pbx, n_within - n_pbx_within,
                                 seconds(total - pbx_total, n_answered - n_pbx))},
    )
