"""Aggregates done by the database, so a month of a busy desk comes back in a blink: counts,
sums and maxima come back as one row, hours as at most 24 rows a day - no per-record
datetime conversion in Python. The two expressions that differ by dialect live here."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Numeric, cast, func, literal_column
from sqlmodel import Session


def dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def seconds_between(session: Session, start, end):
    """end - start in seconds, rounded to the millisecond on both dialects (so a sum is exact)."""
    if dialect(session) == "postgresql":
        return func.round(cast(func.extract("epoch", end - start), Numeric(18, 6)), 3)
    return func.round((func.julianday(end) - func.julianday(start)) * 86400.0, 3)


def utc_hour(session: Session, column):
    """'YYYY-MM-DD HH' of a stored (naive UTC) time."""
    if dialect(session) == "postgresql":
        return func.to_char(column, literal_column("'YYYY-MM-DD HH24'"))
    return func.strftime("%Y-%m-%d %H", column)


def whole_hour_offsets(tz: ZoneInfo, start: datetime, end: datetime) -> bool:
    """True when every UTC offset of the zone in [start, end) is whole hours (China, most of
    the world): then UTC hours map one to one onto local hours."""
    when = start
    while when < end + timedelta(days=1):
        offset = when.astimezone(tz).utcoffset()
        if offset is None or offset.total_seconds() % 3600:
            return False
        when += timedelta(days=1)
    return True


def local_hours(rows: Iterable[tuple[str, int]], tz: ZoneInfo) -> list[int]:
    """Counts per 'YYYY-MM-DD HH' UTC bucket -> 24 counts by site-local hour."""
    by_hour = [0] * 24
    for bucket, count in rows:
        at = datetime(int(bucket[:4]), int(bucket[5:7]), int(bucket[8:10]), int(bucket[11:13]), tzinfo=UTC)
        by_hour[at.astimezone(tz).hour] += count
    return by_hour


def as_float(value) -> float:
    return 0.0 if value is None else float(value)
