"""Column helpers shared by every table. Times are stored as naive UTC and come back aware
UTC on both SQLite and PostgreSQL (STYLE §6: store UTC, show site-local time)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, DateTime, Numeric, TypeDecorator
from sqlmodel import Field


class UTCDateTime(TypeDecorator):
    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def utc_field(*, nullable: bool = True, index: bool = False, **kw: Any) -> Any:
    return Field(
        default=None if nullable else kw.pop("default", None),
        sa_column=Column(UTCDateTime(), nullable=nullable, index=index),
        **kw,
    )


def money_field() -> Any:
    """Fees are decimals with a currency, never floats (DOMAIN §3: the repair flow's fee is money)."""
    return Field(default=None, sa_column=Column(Numeric(12, 2), nullable=True))


__all__ = ["UTCDateTime", "utc_field", "money_field", "Decimal"]
