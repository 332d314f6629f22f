"""The lending counter (便民雨伞/小推车领用登记表, DOMAIN §3, seed 003 §6.47): umbrellas,
trolleys and the company's other loan items, lent against a deposit or a note of the ID
held, and returned (the deposit refunded)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select, text
from sqlmodel import Session

from deskconsole.models import ItemLoan
from deskconsole.models.registers import OUT_WHERE
from deskconsole.services import audit
from deskconsole.services.errors import DeskError
from deskconsole.services.phone_numbers import mask_for
from deskconsole.services.registers import rules as reg_rules
from deskconsole.services.registers.common import page, person
from deskconsole.services.text import clean

_OUT = text(OUT_WHERE)


@dataclass(frozen=True)
class ItemLendForm:
    item_code: str
    name: str
    unit: str = ""
    phone: str = ""
    deposit: str | Decimal | None = None  # None: the item's usual deposit
    id_note: str = ""


@dataclass(frozen=True)
class ItemLoanView:
    id: int
    item_code: str
    name: str
    unit: str
    phone: str
    deposit: Decimal | None
    id_note: str
    lent_at: datetime
    returned_at: datetime | None
    deposit_refunded: bool
    voided: bool

    def to_dict(self, tz) -> dict:
        out = asdict(self)
        out["deposit"] = str(self.deposit) if self.deposit is not None else None
        for k in ("lent_at", "returned_at"):
            out[k] = out[k].astimezone(reg_rules.zone(tz)).isoformat(timespec="minutes") if out[k] else None
        return out


def view(row: ItemLoan, viewer=None) -> ItemLoanView:
    return ItemLoanView(row.id, row.item_code, row.name, row.unit, mask_for(row.phone, viewer), row.deposit,
                        row.id_note, row.lent_at, row.returned_at, row.deposit_refunded, row.voided_at is not None)


def lend_item(session: Session, actor, form: ItemLendForm, *, items=None, rules=None) -> ItemLoanView:
    items = reg_rules.items() if items is None else items
    rules = reg_rules.rules() if rules is None else rules
    code = clean(form.item_code, field="item", limit=32, required=True).lower()
    spec = items.get(code)
    if spec is None:
        raise DeskError("registers.error.unknown_item", field="item", item=code, items=", ".join(items))
    who = person(form.name, form.phone, form.unit)
    deposit = spec.deposit if form.deposit is None else reg_rules.parse_deposit(form.deposit)
    id_note = clean(form.id_note, field="id_note", limit=100)
    if rules.needs_deposit_or_id and not (deposit or id_note):
        raise DeskError("registers.error.deposit_or_id", field="deposit")
    row = ItemLoan(item_code=spec.code, name=who.name, unit=who.unit, phone=who.phone, deposit=deposit or None,
                   id_note=id_note, lent_at=actor.clock.now(), **actor.stamps())
    session.add(row)
    session.flush()
    audit.record_for(session, actor, "lend", "item_loan", row.id, after={
        "item_code": row.item_code, "deposit": str(row.deposit) if row.deposit is not None else None,
        "id_note": bool(id_note)})
    return view(row, actor)


def return_item(session: Session, actor, loan_id: int, *, refund: bool = True) -> ItemLoanView:
    row = session.get(ItemLoan, loan_id)
    if row is None or row.returned_at is not None or row.voided_at is not None:
        raise DeskError("registers.error.item_not_out", field="loan", id=loan_id)
    now = actor.clock.now()
    row.returned_at, row.returned_to = now, actor.operator_id
    row.returned_shift_id, row.returned_desk_id = actor.shift_id, actor.desk_id
    row.deposit_refunded = bool(refund and row.deposit)
    session.add(row)
    session.flush()
    audit.record_for(session, actor, "return", "item_loan", row.id, before={"returned_at": None},
                     after={"returned_at": now.isoformat(), "deposit_refunded": row.deposit_refunded})
    return view(row, actor)


def out_count(session: Session) -> int:
    return session.execute(select(func.count()).select_from(ItemLoan).where(_OUT)).scalar_one()


def out_items(session: Session, *, limit: int = 200, viewer=None) -> list[ItemLoanView]:
    """Items out now, the longest out first (ix_item_loan_out)."""
    rows = session.execute(select(ItemLoan).where(_OUT).order_by(ItemLoan.lent_at, ItemLoan.id).limit(limit)).scalars()
    return [view(r, viewer) for r in rows]


def list_loans(session: Session, *, open_only: bool = False, start: datetime | None = None,
               end: datetime | None = None, before: tuple[datetime, int] | None = None, limit: int = 200,
               viewer=None) -> list[ItemLoanView]:
    if open_only:
        return out_items(session, limit=limit, viewer=viewer)
    stmt = select(ItemLoan)
    if start is not None:
        stmt = stmt.where(ItemLoan.lent_at >= start)
    if end is not None:
        stmt = stmt.where(ItemLoan.lent_at < end)
    return [view(r, viewer) for r in session.execute(page(stmt, ItemLoan.lent_at, ItemLoan.id, before, limit)).scalars()]
