"""The registers' figures for a period (the summary's `registers` section) and the live
counts (the header). Each figure is one indexed count over the half-open period [start, end)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Select, bindparam, func, select
from sqlmodel import Session

from deskconsole.models import GoodsRelease, ItemLoan, KeyLoan


@dataclass(frozen=True)
class RegisterFigures:
    keys_lent: int = 0
    keys_returned: int = 0
    keys_overdue_now: int = 0
    releases_issued: int = 0
    items_lent: int = 0
    items_returned: int = 0
    items_out_now: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


@cache
def _statement(shift: bool, desk: bool, operator: bool) -> Select:
    """The section's one statement (the summary's cost does not grow with sections), built once
    per filter shape with the period, `now` and the filters as bound parameters, so SQLAlchemy
    reuses its compiled SQL: building it anew was a third of a shift's summary."""
    start, end, now = bindparam("start"), bindparam("end"), bindparam("now")

    def made(t, column):
        out = [t.c.voided_at.is_(None)]
        out += [t.c.shift_id == bindparam("shift_id")] if shift else [column >= start, column < end]
        out += [t.c.desk_id == bindparam("desk_id")] if desk else []
        return out + ([t.c.operator_id == bindparam("operator_id")] if operator else [])

    def back(t):
        out = [t.c.voided_at.is_(None)]
        out += [t.c.returned_shift_id == bindparam("shift_id")] if shift \
            else [t.c.returned_at >= start, t.c.returned_at < end]
        out += [t.c.returned_desk_id == bindparam("desk_id")] if desk else []
        return out + ([t.c.returned_to == bindparam("operator_id")] if operator else [])

    def count(t, *where):
        return select(func.count()).select_from(t).where(*where).scalar_subquery()

    k, g, i = KeyLoan.__table__, GoodsRelease.__table__, ItemLoan.__table__
    return select(
        count(k, *made(k, k.c.lent_at)), count(k, *back(k)),
        count(k, k.c.returned_at.is_(None), k.c.voided_at.is_(None), k.c.due_at < now),
        count(g, *made(g, g.c.issued_at)),
        count(i, *made(i, i.c.lent_at)), count(i, *back(i)),
        count(i, i.c.returned_at.is_(None), i.c.voided_at.is_(None)))


def register_figures(session: Session, start: datetime, end: datetime, *, now: datetime,
                     desk_id: int | None = None, operator_id: int | None = None,
                     shift_id: int | None = None) -> RegisterFigures:
    """Lent, issued and returned in the period (void lines left out); overdue and out as of
    `now` (the site's key cabinet and counter, whatever the filters). Lent and issued are the
    lines stamped with the desk, operator or shift asked for, returned those taken back there
    (a key comes back at any desk); a shift's are those stamped with it, whatever the time
    (as summary/sql.in_period), so the shifts of a day add up to the day."""
    stmt = _statement(shift_id is not None, desk_id is not None, operator_id is not None)
    row = session.connection().execute(stmt, {"start": start, "end": end, "now": now, "shift_id": shift_id,
                                               "desk_id": desk_id, "operator_id": operator_id}).one()
    return RegisterFigures(*row)
