"""Who, where and in which shift a record was made."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class Stamped(SQLModel):
    operator_id: int = Field(foreign_key="operator.id")
    shift_id: int = Field(foreign_key="shift.id")
    desk_id: int = Field(foreign_key="desk.id")
