"""The registers' figures for a period (the summary's `registers` section) and the live
counts (the header). Each figure is one indexed count over the half-open period [start, end)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session

from deskconsole.models import ItemLoan, KeyLoan
from deskconsole.services.registers import goods, keys, loans


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


def _count(session: Session, stmt) -> int:
    return session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()


def register_figures(session: Session, start: datetime, end: datetime, *, now: datetime) -> RegisterFigures:
    """Lent and returned in the period (void lines left out); overdue and out as of `now`."""
    def between(column):
        return (column >= start, column < end)

    return RegisterFigures(
        keys_lent=_count(session, select(KeyLoan.id).where(*between(KeyLoan.lent_at), KeyLoan.voided_at.is_(None))),
        keys_returned=_count(session, select(KeyLoan.id).where(*between(KeyLoan.returned_at),
                                                                 KeyLoan.voided_at.is_(None))),
        keys_overdue_now=keys.overdue_count(session, now),
        releases_issued=goods.issued_count(session, start, end),
        items_lent=_count(session, select(ItemLoan.id).where(*between(ItemLoan.lent_at), ItemLoan.voided_at.is_(None))),
        items_returned=_count(session, select(ItemLoan.id).where(*between(ItemLoan.returned_at),
                                                                   ItemLoan.voided_at.is_(None))),
        items_out_now=loans.out_count(session),
    )
