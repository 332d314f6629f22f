"""The five elements of service (DOMAIN §4-§6): self-checks and supervisor inspections."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from deskconsole.models.base import utc_field

CHECK_KINDS = ("self", "daily", "weekly", "monthly")


class EtiquetteCheck(SQLModel, table=True):
    __tablename__ = "etiquette_check"
    __table_args__ = (
        Index("ix_check_subject_at", "operator_id", "at"),
        Index("ix_check_at", "at"),
        Index("ix_check_shift", "shift_id"),
        # Inspections not yet seen by their subject (self-checks are seen when made): 0011.
        Index("ix_check_unseen", "operator_id", "at",
              sqlite_where=text("seen_at IS NULL"), postgresql_where=text("seen_at IS NULL")),
    )
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=8)
    operator_id: int = Field(foreign_key="operator.id")  # who was checked
    inspector_id: int | None = Field(default=None, foreign_key="operator.id")  # None for a self-check
    shift_id: int | None = Field(default=None, foreign_key="shift.id")
    desk_id: int | None = Field(default=None, foreign_key="desk.id")
    at: datetime = utc_field(nullable=False)
    checklist_version: str = Field(max_length=32)
    skipped: bool = False
    score: int = 0
    max_score: int = 0
    comments: str | None = Field(default=None, max_length=2000)
    signed_at: datetime | None = utc_field()
    seen_at: datetime | None = utc_field()  # when the inspected operator read the result


class EtiquetteResult(SQLModel, table=True):
    __tablename__ = "etiquette_result"
    __table_args__ = (Index("ix_result_check", "check_id"),)
    id: int | None = Field(default=None, primary_key=True)
    check_id: int = Field(foreign_key="etiquette_check.id")
    item_id: str = Field(max_length=32)
    element: str = Field(max_length=16)
    result: str = Field(max_length=8)  # pass / fail / na, or "0".."2"
    note: str | None = Field(default=None, max_length=500)
