"""Residents, units, companies and staff: the directory every unit/host field completes from."""

from __future__ import annotations

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

DIRECTORY_KINDS = ("resident", "company", "staff", "unit")


class DirectoryEntry(SQLModel, table=True):
    __tablename__ = "directory_entry"
    __table_args__ = (
        Index("ix_directory_name", "name"),
        Index("ix_directory_unit", "unit"),
        Index("ix_directory_phone", "phone"),
    )
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16, default="resident")
    name: str = Field(max_length=64)
    unit: str = Field(default="", max_length=64)
    phone: str | None = Field(default=None, max_length=32)
    note: str | None = Field(default=None, max_length=200)
    active: bool = True


class DirectoryPhone(SQLModel, table=True):
    """Every number of an entry (a resident list may give several in one cell): caller ID and
    the timeline find an entry by any of them. The entry's `phone` is the first."""

    __tablename__ = "directory_phone"
    __table_args__ = (Index("ix_directory_phone_phone", "phone"),
                      Index("ix_directory_phone_entry", "entry_id"))
    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="directory_entry.id")
    phone: str = Field(max_length=32)
