"""Visitor reception (DOMAIN §1): visits, the waiting queue, hand-offs and expected visitors."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from deskconsole.models.base import utc_field
from deskconsole.models.stamps import Stamped

VISIT_STATUSES = ("waiting", "in_building", "left", "cancelled")
RECEPTION_LEVELS = ("ordinary", "senior", "special")  # DOMAIN §1, 004 主要流程 §2


class Visit(Stamped, table=True):
    __table_args__ = (
        Index("ix_visit_arrived", "arrived_at"),
        Index("ix_visit_status_arrived", "status", "arrived_at"),
        Index("ix_visit_phone_arrived", "phone", "arrived_at", "id"),  # the timeline by phone (0019)
        # Prefix and exact searches newest first (services/newest_first.py, migration 0011).
        Index("ix_visit_name_arrived", "name", "arrived_at", "id"),
        Index("ix_visit_unit_arrived", "unit", "arrived_at", "id"),
        Index("ix_visit_shift", "shift_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    arrived_at: datetime = utc_field(nullable=False)
    name: str = Field(default="", max_length=64)  # surname, or full name
    honorific: str = Field(default="", max_length=16)
    phone: str | None = Field(default=None, max_length=32)
    unit: str = Field(default="", max_length=64)
    host: str = Field(default="", max_length=64)
    purpose: str = Field(default="other", max_length=24)
    party_size: int = 1
    level: str = Field(default="ordinary", max_length=16)
    note: str | None = Field(default=None, max_length=500)
    status: str = Field(default="waiting", max_length=16)
    served_at: datetime | None = utc_field()
    served_out_of_order: bool = False  # 'serve next' skipped someone who waited longer
    apology_shown_at: datetime | None = utc_field()
    apology_ack_at: datetime | None = utc_field()
    handoff_post: str | None = Field(default=None, max_length=64)
    handoff_method: str | None = Field(default=None, max_length=16)  # phone / radio / in_person
    handoff_description: str | None = Field(default=None, max_length=200)
    handoff_at: datetime | None = utc_field()
    checked_out_at: datetime | None = utc_field()
    request_kind: str | None = Field(default=None, max_length=16)  # ticket kind asked for
    expected_id: int | None = Field(default=None, foreign_key="expected_visit.id")
    voided_at: datetime | None = utc_field()
    void_reason: str | None = Field(default=None, max_length=200)
    anonymised: bool = False


class ExpectedVisit(SQLModel, table=True):
    __tablename__ = "expected_visit"
    __table_args__ = (Index("ix_expected_at", "expected_at"),)
    id: int | None = Field(default=None, primary_key=True)
    expected_at: datetime = utc_field(nullable=False)
    name: str = Field(max_length=64)
    honorific: str = Field(default="", max_length=16)
    phone: str | None = Field(default=None, max_length=32)
    unit: str = Field(default="", max_length=64)
    host: str = Field(default="", max_length=64)
    purpose: str = Field(default="other", max_length=24)
    party_size: int = 1
    note: str | None = Field(default=None, max_length=500)
    created_at: datetime = utc_field(nullable=False)
    created_by: int | None = Field(default=None, foreign_key="operator.id")
    arrived_at: datetime | None = utc_field()
    cancelled_at: datetime | None = utc_field()
