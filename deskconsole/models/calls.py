"""Phone calls (DOMAIN §2): incoming rings, answers, missed calls and outgoing callbacks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field

from deskconsole.models.base import utc_field
from deskconsole.models.stamps import Stamped


class Call(Stamped, table=True):
    __table_args__ = (
        Index("ix_call_started", "started_at"),
        Index("ix_call_status_started", "status", "started_at"),
        # The register by phone or unit prefix, newest first (services/newest_first.py, 0011).
        Index("ix_call_phone_started", "phone", "started_at", "id"),
        Index("ix_call_unit_started", "unit", "started_at", "id"),
        Index("ix_call_shift", "shift_id"),
        Index("ix_call_returns", "returns_call_id"),
        Index("ux_call_pbx_call_id", "pbx_call_id", unique=True),  # 0020: a replayed PBX event is not doubled
    )
    id: int | None = Field(default=None, primary_key=True)
    direction: str = Field(default="in", max_length=4)
    line: str = Field(default="1", max_length=16)
    covering_neighbour: bool = False  # DOMAIN §2: a neighbour's phone, answered within three rings
    started_at: datetime = utc_field(nullable=False)  # first ring (in) or dialled (out)
    answered_at: datetime | None = utc_field()
    ended_at: datetime | None = utc_field()
    answer_seconds: float | None = None  # speed of answer, from a monotonic clock
    rings: int | None = None  # the ring under way when answered (or when the caller hung up)
    within_limit: bool | None = None  # answered before ring (limit+1) began
    status: str = Field(default="ringing", max_length=12)
    caller_name: str = Field(default="", max_length=64)
    honorific: str = Field(default="", max_length=16)
    phone: str | None = Field(default=None, max_length=32)
    unit: str = Field(default="", max_length=64)
    category: str | None = Field(default=None, max_length=24)
    summary: str | None = Field(default=None, max_length=1000)
    outcome: str | None = Field(default=None, max_length=16)  # resolved / ticket / transferred / message
    message_for: str | None = Field(default=None, max_length=64)
    returns_call_id: int | None = Field(default=None, foreign_key="call.id")  # outgoing callback of a missed call
    returned_at: datetime | None = utc_field()  # on a missed call: when it was called back
    voided_at: datetime | None = utc_field()
    void_reason: str | None = Field(default=None, max_length=200)
    anonymised: bool = False
    # 0020: where the times came from: "keys" (a key press, a lower bound of the real ring
    # time) or "pbx" (the phone system's own times, exact); the PBX's id of the call.
    source: str = Field(default="keys", max_length=8, sa_column_kwargs={"server_default": "keys"})
    pbx_call_id: str | None = Field(default=None, max_length=64)
