"""What the three registers share: cleaning a borrower's details, paging newest first, and
voiding a line written in error (a supervisor, with a reason; nothing is deleted)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import tuple_
from sqlmodel import Session

from deskconsole.models import GoodsRelease, ItemLoan, KeyLoan
from deskconsole.services import voids
from deskconsole.services.errors import DeskError
from deskconsole.services.phone_numbers import normalise
from deskconsole.services.text import clean
from deskconsole.services.voids import Voided

NAME_LIMIT = 64
ENTITIES = {"key_loan": KeyLoan, "goods_release": GoodsRelease, "item_loan": ItemLoan}
KINDS = {"key": "key_loan", "goods": "goods_release", "loan": "item_loan"}


@dataclass(frozen=True)
class Person:
    name: str
    phone: str | None
    unit: str


def person(name: object, phone: object, unit: object = "") -> Person:
    """Name required, phone normalised (refused when not a number), unit cleaned."""
    return Person(clean(name, field="name", limit=NAME_LIMIT, required=True),
                  normalise(clean(phone, field="phone", limit=32)),
                  clean(unit, field="unit", limit=64))


def choice(value: object, allowed: tuple[str, ...], field: str) -> str:
    text = clean(value, field=field, limit=16).lower()
    if text not in allowed:
        raise DeskError("registers.error.choice", field=field, label=f"field.{field}", allowed=", ".join(allowed))
    return text


def page(stmt, at_column, id_column, before: tuple[datetime, int] | None, limit: int):
    """Keyset paging newest first: rows strictly before (at, id)."""
    if before is not None:
        at, row_id = before
        stmt = stmt.where(tuple_(at_column, id_column) < tuple_(at, row_id))
    return stmt.order_by(at_column.desc(), id_column.desc()).limit(limit)


def void(session: Session, actor, kind: str, record_id: int, reason: object) -> Voided:
    """Void a register line made in error (services/voids.py: supervisor, reason, once). A key
    voided while out is free to lend again."""
    return voids.void(session, actor, KINDS.get(kind, kind), record_id, reason, voidable=ENTITIES, names=KINDS)
