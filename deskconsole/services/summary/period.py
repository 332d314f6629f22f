"""The period a summary covers: half-open [start, end) in UTC, built from site-local dates,
times or a shift. Whatever is asked, records are counted by the indexed time
column of their table with `start <= t < end`, so two adjacent periods never count a record
twice and a day is exactly the sum of its shifts.

A time range whose end is not after its start crosses midnight: 22:00-06:00 on 25 Nov runs
to 06:00 on 26 Nov (a night shift). Dates in a range are whole days, both included."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from deskconsole.models import Shift
from deskconsole.services.errors import DeskError

_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
MAX_RANGE_DAYS = 366 * 5  # the summary is quick on five years of data; more is a typo


@dataclass(frozen=True)
class Period:
    start: datetime  # aware UTC, included
    end: datetime  # aware UTC, excluded
    timezone: str  # IANA name of the site's zone, for local hours and days
    as_of: datetime  # "now" for figures that are states (overdue now, still in building)
    kind: str = "range"  # shift / day / range
    shift_id: int | None = None
    desk_id: int | None = None  # a shift's desk

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(self.tz)

    @property
    def local_end(self) -> datetime:
        return self.end.astimezone(self.tz)

    def to_dict(self) -> dict:
        return {"from": iso(self.start), "to": iso(self.end), "timezone": self.timezone,
                "kind": self.kind, "shift_id": self.shift_id, "as_of": iso(self.as_of)}

    @classmethod
    def for_day(cls, day: date, timezone: str, now: datetime, *, from_time: time | None = None,
                to_time: time | None = None) -> Period:
        tz = ZoneInfo(timezone)
        start_t = from_time or time(0, 0)
        local_start = datetime.combine(day, start_t, tz)
        if to_time is None:  # to the end of that day
            local_end = datetime.combine(day + timedelta(days=1), time(0, 0), tz)
        else:
            local_end = datetime.combine(day, to_time, tz)
            if to_time <= start_t:  # a night shift: ends on the next day
                local_end = datetime.combine(day + timedelta(days=1), to_time, tz)
        return cls(_utc(local_start), _utc(local_end), timezone, now, kind="day")

    @classmethod
    def for_range(cls, first: date, last: date, timezone: str, now: datetime) -> Period:
        if last < first:
            raise DeskError("shift.error.range_order", field="to_date")
        if (last - first).days > MAX_RANGE_DAYS:
            raise DeskError("shift.error.range_too_long", field="to_date", days=MAX_RANGE_DAYS)
        tz = ZoneInfo(timezone)
        return cls(_utc(datetime.combine(first, time(0, 0), tz)),
                   _utc(datetime.combine(last + timedelta(days=1), time(0, 0), tz)), timezone, now)

    @classmethod
    def for_shift(cls, session: Session, shift_id: int, timezone: str, now: datetime) -> Period:
        """A shift runs from sign-on to close; an open shift up to `now`."""
        shift = session.get(Shift, shift_id)
        if shift is None:
            raise DeskError("shift.error.no_shift", field="shift", shift_id=shift_id)
        end = shift.ended_at or max(now, shift.started_at)
        return cls(shift.started_at, end, timezone, now, kind="shift", shift_id=shift.id,
                   desk_id=shift.desk_id)

    def with_as_of(self, now: datetime) -> Period:
        return replace(self, as_of=now)


def iso(when: datetime | None) -> str | None:
    """UTC, seconds precision, with the offset: the stable form used in JSON and CSV."""
    if when is None:
        return None
    return when.astimezone(UTC).replace(microsecond=0).isoformat()


def _utc(local: datetime) -> datetime:
    return local.astimezone(UTC)


def parse_date(text: str, *, field: str) -> date:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise DeskError("shift.error.date", field=field, value=text) from None


def parse_hhmm(text: str, *, field: str) -> time:
    m = _HHMM.match((text or "").strip())
    if not m:
        raise DeskError("shift.error.time", field=field, value=text)
    return time(int(m.group(1)), int(m.group(2)))


def parse_period(timezone: str, now: datetime, *, day: str = "", from_time: str = "", to_time: str = "",
                 to_day: str = "") -> Period:
    """What a person types (screen and CLI alike): a date, optionally with from/to times, or a
    date range. Errors name the field they belong to."""
    if not (day or "").strip():
        raise DeskError("shift.error.date_required", field="date")
    first = parse_date(day, field="date")
    if (to_day or "").strip():
        if (from_time or "").strip() or (to_time or "").strip():
            raise DeskError("shift.error.range_with_times", field="from_time")
        return Period.for_range(first, parse_date(to_day, field="to_date"), timezone, now)
    ft = parse_hhmm(from_time, field="from_time") if (from_time or "").strip() else None
    tt = parse_hhmm(to_time, field="to_time") if (to_time or "").strip() else None
    if tt is not None and ft is None:
        ft = time(0, 0)
    return Period.for_day(first, timezone, now, from_time=ft, to_time=tt)
