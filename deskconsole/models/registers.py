"""The desk's other registers (DOMAIN §3, seed 003 §6.54, §6.13, §6.47): key lending, goods
release and the lending counter. Each row is one line of the paper form; nothing is deleted
(a record made in error is voided, with a reason).

A command-line write has an operator but no shift or desk, so shift and desk may be empty here.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from deskconsole.models.base import money_field, utc_field

BORROWER_KINDS = ("staff", "contractor")
APPLICANT_KINDS = ("owner", "tenant")
CONFIRM_METHODS = ("in_person", "phone", "written")
# A key or an item is out while its loan is neither returned nor void. The same text in the
# partial indexes and the queries, so the planner sees the query implies the index.
OUT_WHERE = "returned_at IS NULL AND voided_at IS NULL"


class RegisterStamps(SQLModel):
    operator_id: int = Field(foreign_key="operator.id")
    shift_id: int | None = Field(default=None, foreign_key="shift.id")
    desk_id: int | None = Field(default=None, foreign_key="desk.id")


class KeyLoan(RegisterStamps, table=True):
    """钥匙借(领)用登记表: one key lent to one person, until it comes back."""
    __tablename__ = "key_loan"
    __table_args__ = (
        # A key cannot be lent twice: at most one open loan per key, held by the store itself.
        Index("ux_key_loan_out", "key_code", unique=True,
              sqlite_where=text(OUT_WHERE), postgresql_where=text(OUT_WHERE)),
        Index("ix_key_loan_out_due", "due_at",
              sqlite_where=text(OUT_WHERE), postgresql_where=text(OUT_WHERE)),
        Index("ix_key_loan_lent", "lent_at", "id"),
        Index("ix_key_loan_returned", "returned_at"),
        Index("ix_key_loan_unit_lent", "unit", "lent_at", "id"),
        Index("ix_key_loan_phone_lent", "phone", "lent_at", "id"),
        Index("ix_key_loan_ticket", "ticket_id"),
        Index("ix_key_loan_shift", "shift_id"),
        Index("ix_key_loan_returned_shift", "returned_shift_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    key_code: str = Field(max_length=32)
    unit: str = Field(default="", max_length=64)  # the key's unit, or the ticket's
    name: str = Field(max_length=64)  # who took it
    company: str = Field(default="", max_length=64)
    phone: str | None = Field(default=None, max_length=32)
    borrower_kind: str = Field(default="staff", max_length=16)
    purpose: str = Field(max_length=200)
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id")
    lent_at: datetime = utc_field(nullable=False)
    due_at: datetime = utc_field(nullable=False)
    returned_at: datetime | None = utc_field()
    returned_to: int | None = Field(default=None, foreign_key="operator.id")
    # Where it came back: a shift's figures count the returns made in it.
    returned_shift_id: int | None = Field(default=None, foreign_key="shift.id")
    returned_desk_id: int | None = Field(default=None, foreign_key="desk.id")
    return_note: str | None = Field(default=None, max_length=200)
    voided_at: datetime | None = utc_field()
    void_reason: str | None = Field(default=None, max_length=200)


class GoodsRelease(RegisterStamps, table=True):
    """物品放行申请表: goods leaving the estate, authorised for one day, checked at the gate."""
    __tablename__ = "goods_release"
    __table_args__ = (
        Index("ux_goods_release_number", "number", unique=True),
        Index("ix_goods_release_issued", "issued_at", "id"),
        Index("ix_goods_release_unit_issued", "unit", "issued_at", "id"),
        Index("ix_goods_release_phone_issued", "phone", "issued_at", "id"),
        Index("ix_goods_release_shift", "shift_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    number: str | None = Field(default=None, max_length=24)  # set once the row has its id
    unit: str = Field(max_length=64)
    name: str = Field(max_length=64)  # the applicant
    applicant_kind: str = Field(default="owner", max_length=16)
    phone: str | None = Field(default=None, max_length=32)
    confirmed_by: str = Field(default="", max_length=64)  # the owner who confirmed
    confirmed_how: str | None = Field(default=None, max_length=16)
    confirm_call_id: int | None = Field(default=None, foreign_key="call.id")
    items: str = Field(max_length=1000)
    vehicle_plate: str = Field(default="", max_length=16)
    valid_on: date
    issued_at: datetime = utc_field(nullable=False)
    expires_at: datetime = utc_field(nullable=False)  # the end of valid_on, site time
    checked_at: datetime | None = utc_field()  # last time the gate checked it
    check_count: int = 0
    voided_at: datetime | None = utc_field()
    void_reason: str | None = Field(default=None, max_length=200)


class ItemLoan(RegisterStamps, table=True):
    """便民雨伞/小推车领用登记表: an umbrella, a trolley... lent against a deposit or an ID note."""
    __tablename__ = "item_loan"
    __table_args__ = (
        Index("ix_item_loan_out", "lent_at",
              sqlite_where=text(OUT_WHERE), postgresql_where=text(OUT_WHERE)),
        Index("ix_item_loan_lent", "lent_at", "id"),
        Index("ix_item_loan_returned", "returned_at"),
        Index("ix_item_loan_unit_lent", "unit", "lent_at", "id"),
        Index("ix_item_loan_shift", "shift_id"),
        Index("ix_item_loan_returned_shift", "returned_shift_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    item_code: str = Field(max_length=32)
    name: str = Field(max_length=64)
    unit: str = Field(default="", max_length=64)
    phone: str | None = Field(default=None, max_length=32)
    deposit: Decimal | None = money_field()
    id_note: str = Field(default="", max_length=100)  # e.g. "ID card seen", "staff card held"
    lent_at: datetime = utc_field(nullable=False)
    returned_at: datetime | None = utc_field()
    returned_to: int | None = Field(default=None, foreign_key="operator.id")
    returned_shift_id: int | None = Field(default=None, foreign_key="shift.id")
    returned_desk_id: int | None = Field(default=None, foreign_key="desk.id")
    deposit_refunded: bool = False
    voided_at: datetime | None = utc_field()
    void_reason: str | None = Field(default=None, max_length=200)
