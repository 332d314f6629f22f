"""The registers' figures for a period (the summary's `registers` section) and the live
counts (the header). Each figure is one indexed count over the half-open period [start, end)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import func, select
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


def register_figures(session: Session, start: datetime, end: datetime, *, now: datetime,
                     desk_id: int | None = None, operator_id: int | None = None,
                     shift_id: int | None = None) -> RegisterFigures:
    """Lent, issued and returned in the period (void lines left out); overdue and out as of
    `now` (the site's key cabinet and counter, whatever the filters). Lent and issued are the
    lines stamped with the desk, operator or shift asked for, returned those taken back there
    (a key comes back at any desk); a shift's are those stamped with it, whatever the time
    (as summary/sql.in_period), so the shifts of a day add up to the day."""
    def made(table, column):
        out = [table.voided_at.is_(None)]
        out += [table.shift_id == shift_id] if shift_id is not None else [column >= start, column < end]
        out += [table.desk_id == desk_id] if desk_id is not None else []
        out += [table.operator_id == operator_id] if operator_id is not None else []
        return out

    def back(table):
        out = [table.voided_at.is_(None)]
        out += [table.returned_shift_id == shift_id] if shift_id is not None \
            else [table.returned_at >= start, table.returned_at < end]
        out += [table.returned_desk_id == desk_id] if desk_id is not None else []
        return out + ([table.returned_to == operator_id] if operator_id is not None else [])

    def count(table, *where):
        return select(func.count()).select_from(table).where(*where).scalar_subquery()

    # One statement for the whole section: the summary's cost does not grow with sections.
    row = session.execute(select(
        count(KeyLoan, *made(KeyLoan, KeyLoan.lent_at)), count(KeyLoan, *back(KeyLoan)),
        count(KeyLoan, KeyLoan.returned_at.is_(None), KeyLoan.voided_at.is_(None), KeyLoan.due_at < now),
        count(GoodsRelease, *made(GoodsRelease, GoodsRelease.issued_at)),
        count(ItemLoan, *made(ItemLoan, ItemLoan.lent_at)), count(ItemLoan, *back(ItemLoan)),
        count(ItemLoan, ItemLoan.returned_at.is_(None), ItemLoan.voided_at.is_(None)))).one()
    return RegisterFigures(*row)
