"""The watch list (访客关注名单): people a supervisor asks the desk to look out for, and every
time the desk met one of them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from deskconsole.models.base import utc_field
from deskconsole.models.stamps import Stamped

WATCH_ACTIONS = ("refuse_entry", "call_security", "tell_supervisor")
WATCH_PLACES = ("check_in", "expected", "call")


class WatchEntry(SQLModel, table=True):
    __tablename__ = "watch_entry"
    __table_args__ = (Index("ix_watch_entry_phone", "phone"),
                      Index("ix_watch_entry_until", "removed_at", "valid_until"))
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(default="", max_length=64)  # surname + given name, no honorific
    phone: str | None = Field(default=None, max_length=32)
    reason: str = Field(max_length=200)  # shown to supervisors only
    action: str = Field(max_length=16)  # WATCH_ACTIONS
    valid_until: datetime = utc_field(nullable=False)
    created_at: datetime = utc_field(nullable=False)
    created_by: int = Field(foreign_key="operator.id")
    changed_at: datetime | None = utc_field()
    removed_at: datetime | None = utc_field()
    removed_by: int | None = Field(default=None, foreign_key="operator.id")


class WatchHit(Stamped, table=True):
    """The desk met a watched person: at a check-in, an expected visitor, a call."""

    __tablename__ = "watch_hit"
    __table_args__ = (Index("ix_watch_hit_phone_at", "phone", "at", "id"),
                      Index("ix_watch_hit_unit_at", "unit", "at", "id"),
                      Index("ix_watch_hit_entry", "entry_id"))
    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="watch_entry.id")
    at: datetime = utc_field(nullable=False)
    place: str = Field(max_length=16)  # WATCH_PLACES
    matched: str = Field(max_length=8)  # phone / name
    name: str = Field(default="", max_length=64)  # as typed at the desk
    phone: str | None = Field(default=None, max_length=32)
    unit: str = Field(default="", max_length=64)
    action: str = Field(max_length=16)  # the entry's action at the time
