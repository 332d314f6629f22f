"""Operators, desks, shifts and the append-only audit trail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from deskconsole.models.base import utc_field

ROLES = ("receptionist", "supervisor")


class Operator(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    staff_no: str = Field(max_length=16, unique=True, index=True)  # 工号
    name: str = Field(max_length=64)
    role: str = Field(max_length=16, default="receptionist")
    # pin_hash is a PHC string carrying its own salt and cost (services/pin_hash.py);
    # pin_salt is read only for hashes written before that format, and is "" otherwise.
    pin_salt: str = Field(max_length=64)
    pin_hash: str = Field(max_length=128)
    active: bool = True
    failed_pins: int = 0
    locked_until: datetime | None = utc_field()
    created_at: datetime = utc_field(nullable=False)


class Desk(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=32, unique=True)
    created_at: datetime = utc_field(nullable=False)


class Shift(SQLModel, table=True):
    __table_args__ = (
        Index("ix_shift_desk_started", "desk_id", "started_at"),
        Index("ix_shift_operator_started", "operator_id", "started_at"),
        Index("ix_shift_started", "started_at"),
        Index("ix_shift_prev", "prev_shift_id"),  # who took over from a shift (handover)
    )
    id: int | None = Field(default=None, primary_key=True)
    operator_id: int = Field(foreign_key="operator.id")
    desk_id: int = Field(foreign_key="desk.id")
    started_at: datetime = utc_field(nullable=False)
    ended_at: datetime | None = utc_field()
    handover_note: str | None = Field(default=None, max_length=2000)
    # The shift this one took over from at the same desk, and when the handover was read.
    prev_shift_id: int | None = Field(default=None, foreign_key="shift.id")
    handover_ack_at: datetime | None = utc_field()
    # Who closed it: a staff number (its operator's, or a supervisor's), or "system" for a
    # shift left open and closed at a later sign-on (services/shifts.py). NULL: its operator.
    closed_by: str | None = Field(default=None, max_length=16)
    # The signed audit checkpoint taken as the shift closed (services/audit_checkpoints.py).
    audit_checkpoint: str | None = Field(default=None, max_length=400)


class AuditEvent(SQLModel, table=True):
    """Append-only. Each event carries the hash of the one before."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_entity", "entity", "entity_id"),
        Index("ix_audit_operator_at", "operator_id", "at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = utc_field(nullable=False, index=True)
    operator_id: int | None = Field(default=None, foreign_key="operator.id")
    desk_id: int | None = Field(default=None, foreign_key="desk.id")
    shift_id: int | None = Field(default=None, foreign_key="shift.id")
    action: str = Field(max_length=32)  # create / update / void / sign_on / ...
    entity: str = Field(max_length=32)
    entity_id: str | None = Field(default=None, max_length=32)
    before: str | None = None  # JSON
    after: str | None = None  # JSON
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
