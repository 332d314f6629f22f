"""Visitor figures of a period (DOMAIN §1): who came, how long they waited, whether those
kept waiting were apologised to. Visits count in the period in which they ARRIVED
(`arrived_at`, indexed), in a shift's figures when stamped with it; voided visits are left out.

- arrived: visits (a party is one visit); people: the sum of party sizes.
- served: visits with `served_at`; avg_wait_s / longest_wait_s: served_at - arrived_at over
  those, one decimal (None when nobody was served).
- waiting_now / in_building_now: of the period's visits, those still in that state as of now.
- apology_shown / apology_acknowledged: the "sorry to keep you waiting" prompt (DOMAIN §1,
  000 B) was shown / the receptionist confirmed it was said.
- served_out_of_order: 'serve next' skipped someone who had waited longer.
- by_purpose: visits per purpose code; by_hour: 24 counts by site-local arrival hour.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

from sqlalchemy import case, func, select
from sqlmodel import Session

from deskconsole.models import Visit
from deskconsole.services.summary import sql
from deskconsole.services.summary.calls import seconds
from deskconsole.services.summary.period import Period
from deskconsole.services.summary.sql import count_if


@dataclass(frozen=True)
class VisitorFigures:
    arrived: int = 0
    people: int = 0
    served: int = 0
    avg_wait_s: float | None = None
    longest_wait_s: float | None = None
    waiting_now: int = 0
    in_building_now: int = 0
    cancelled: int = 0
    apology_shown: int = 0
    apology_acknowledged: int = 0
    served_out_of_order: int = 0
    by_purpose: dict[str, int] = field(default_factory=dict)
    by_hour: list[int] = field(default_factory=lambda: [0] * 24)

    def to_dict(self) -> dict:
        return asdict(self)


_V = Visit.__table__.c


def _statements(dialect: str, desk: bool, operator: bool, shift: bool) -> tuple:
    where = [*sql.in_period(_V.arrived_at, _V.desk_id, desk, _V.operator_id, operator, _V.shift_id, shift),
             _V.voided_at.is_(None)]
    served = _V.served_at.is_not(None)
    wait = case((_V.served_at < _V.arrived_at, 0),
                else_=sql.seconds_between(dialect, _V.arrived_at, _V.served_at))
    totals = select(
        func.count(), func.coalesce(func.sum(func.coalesce(_V.party_size, 1)), 0), count_if(served),
        func.sum(case((served, wait), else_=None)), func.max(case((served, wait), else_=None)),
        count_if(_V.status == "waiting"), count_if(_V.status == "in_building"), count_if(_V.status == "cancelled"),
        count_if(_V.apology_shown_at.is_not(None)), count_if(_V.apology_ack_at.is_not(None)),
        count_if(_V.served_out_of_order.is_(True)),
    ).where(*where)
    by_purpose = select(_V.purpose, func.count()).where(*where).group_by(_V.purpose)
    return totals, by_purpose, sql.hour_statements(dialect, _V.arrived_at, where)


def visitor_figures(session: Session, period: Period, *, desk_id: int | None = None,
                    operator_id: int | None = None) -> VisitorFigures:
    conn = session.connection()
    dialect = conn.dialect.name
    flags = (desk_id is not None, operator_id is not None, period.shift_id is not None)
    totals, by_purpose, hour_stmts = sql.statements(("visits", dialect, *flags),
                                                    lambda: _statements(dialect, *flags))
    params = {"start": period.start, "end": period.end, "desk_id": desk_id, "operator_id": operator_id,
              "shift_id": period.shift_id}
    (n, people, n_served, wait_total, wait_max, waiting, inside, cancelled, shown, acked,
     skipped) = conn.execute(totals, params).one()
    purposes: Counter[str] = Counter()
    for purpose, count in conn.execute(by_purpose, params):
        purposes[purpose or "other"] += count
    return VisitorFigures(
        arrived=n, people=int(people), served=n_served, avg_wait_s=seconds(sql.as_float(wait_total), n_served),
        longest_wait_s=None if wait_max is None else round(float(wait_max), 1), waiting_now=waiting,
        in_building_now=inside, cancelled=cancelled, apology_shown=shown, apology_acknowledged=acked,
        served_out_of_order=skipped, by_purpose=dict(sorted(purposes.items())),
        by_hour=sql.hours(conn, hour_stmts, params, period.tz, period.start, period.end))
