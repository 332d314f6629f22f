"""Aggregates done by the database, so a month of a busy desk comes back in a blink: counts,
sums and maxima come back as one row, hours as at most 24 rows a day - no per-record
datetime conversion in Python. The two expressions that differ by dialect live here.

Statements are built once per (section, dialect, filters) from the tables' columns, with the
period and filters as bound parameters, and run on the session's connection: SQLAlchemy then
reuses the compiled SQL, so a shift's summary costs little more than its SQL."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Numeric, bindparam, case, cast, func, literal_column, select

_STATEMENTS: dict[tuple, Any] = {}


def statements(key: tuple, build: Callable[[], Any]) -> Any:
    """What `build()` returns, built once per key (section, dialect, which filters are given)."""
    found = _STATEMENTS.get(key)
    if found is None:
        found = _STATEMENTS[key] = build()
    return found


def in_period(column, desk_column=None, desk: bool = False, operator_column=None,
              operator: bool = False, shift_column=None, shift: bool = False) -> list:
    """start <= column < end, and the desk / operator filters asked for (bound parameters
    "start", "end", "desk_id", "operator_id"). A shift's records are those stamped with it
    ("shift_id"), not those of its time window: two shifts overlap at a handover, and a
    record made then belongs to one of them only, so the shifts of a day add up to the day."""
    if shift:
        where = [shift_column == bindparam("shift_id")]
    else:
        where = [column >= bindparam("start"), column < bindparam("end")]
    if desk:
        where.append(desk_column == bindparam("desk_id"))
    if operator:
        where.append(operator_column == bindparam("operator_id"))
    return where


def count_if(condition):
    """How many rows meet `condition` (0, not NULL, when none)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def seconds_between(dialect: str, start, end):
    """end - start in seconds, rounded to the millisecond on both dialects (so a sum is exact)."""
    if dialect == "postgresql":
        return func.round(cast(func.extract("epoch", end - start), Numeric(18, 6)), 3)
    return func.round((func.julianday(end) - func.julianday(start)) * 86400.0, 3)


def utc_hour(dialect: str, column):
    """'YYYY-MM-DD HH' of a stored (naive UTC) time."""
    if dialect == "postgresql":
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


def hour_statements(dialect: str, column, where: list) -> tuple:
    """(counts per UTC hour bucket, the bare times) of the rows `where` selects."""
    bucket = utc_hour(dialect, column)
    return (select(bucket, func.count()).where(*where).group_by(bucket), select(column).where(*where))


def hours(conn, statements: tuple, params: dict, tz: tzinfo, start: datetime, end: datetime) -> list[int]:
    """24 counts by the site-local hour (grouped by UTC hour in the database when the zone's
    offsets are whole hours, else hour by hour here)."""
    grouped, times = statements
    if isinstance(tz, ZoneInfo) and whole_hour_offsets(tz, start, end) or tz is UTC:
        return local_hours(conn.execute(grouped, params), tz if isinstance(tz, ZoneInfo) else ZoneInfo("UTC"))
    by_hour = [0] * 24
    for (at,) in conn.execute(times, params):
        by_hour[at.astimezone(tz).hour] += 1
    return by_hour


def as_float(value) -> float:
    return 0.0 if value is None else float(value)
