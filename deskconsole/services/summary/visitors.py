"""Visitor figures of a period (DOMAIN §1): who came, how long they waited, whether those
kept waiting were apologised to. Visits count in the period in which they ARRIVED
(`arrived_at`, indexed); voided visits are left out.

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

from sqlalchemy import select
from sqlmodel import Session

from deskconsole.models import Visit
from deskconsole.services.summary.calls import seconds
from deskconsole.services.summary.period import Period


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


def visitor_figures(session: Session, period: Period, *, desk_id: int | None = None,
                    operator_id: int | None = None) -> VisitorFigures:
    stmt = select(Visit.arrived_at, Visit.served_at, Visit.status, Visit.party_size, Visit.purpose,
                  Visit.apology_shown_at, Visit.apology_ack_at, Visit.served_out_of_order).where(
        Visit.arrived_at >= period.start, Visit.arrived_at < period.end, Visit.voided_at.is_(None))
    if desk_id is not None:
        stmt = stmt.where(Visit.desk_id == desk_id)
    if operator_id is not None:
        stmt = stmt.where(Visit.operator_id == operator_id)
    tz = period.tz
    n = people = served = waiting = inside = cancelled = shown = acked = skipped = 0
    wait_total = 0.0
    longest: float | None = None
    purposes: Counter[str] = Counter()
    by_hour = [0] * 24
    for arrived, served_at, status, party, purpose, shown_at, ack_at, out_of_order in session.execute(stmt):
        n += 1
        people += party or 1
        purposes[purpose or "other"] += 1
        by_hour[arrived.astimezone(tz).hour] += 1
        if served_at is not None:
            served += 1
            wait = max((served_at - arrived).total_seconds(), 0.0)
            wait_total += wait
            longest = wait if longest is None else max(longest, wait)
        waiting += status == "waiting"
        inside += status == "in_building"
        cancelled += status == "cancelled"
        shown += shown_at is not None
        acked += ack_at is not None
        skipped += bool(out_of_order)
    return VisitorFigures(
        arrived=n, people=people, served=served, avg_wait_s=seconds(wait_total, served),
        longest_wait_s=None if longest is None else round(longest, 1), waiting_now=waiting,
        in_building_now=inside, cancelled=cancelled, apology_shown=shown, apology_acknowledged=acked,
        served_out_of_order=skipped, by_purpose=dict(sorted(purposes.items())), by_hour=by_hour)
