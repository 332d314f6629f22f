"""Ticket due times in business hours (DOMAIN §3: promise only what you can keep, keep the
deadline; complaints are investigated and verified the same day).

Business hours and workdays come from the config ([sla], `SLAHours`); statutory holidays and
make-up workdays (调休) from a maintained package (services/statutory.py); the company's own
closed days (config `holidays` and data/sla.toml `holidays`) and extra workdays are added on
top; the hours allowed per kind and priority from data/sla.toml. All arithmetic is done in
site-local time and returned as aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from deskconsole.config import SLAHours
from deskconsole.services.statutory import Statutory
from deskconsole.services.statutory import load as load_statutory

MAX_DAYS = 800  # a calendar with no business day at all must not loop for ever


@dataclass(frozen=True)
class SLARules:
    hours: SLAHours
    tz: ZoneInfo
    due_hours: dict[str, dict[str, float]]
    same_day: frozenset[str]  # kinds due at the end of the business day of receipt
    after_check: dict[str, float]  # complaint: hours to a solution once checked
    holidays: frozenset[date]
    extra_workdays: frozenset[date]
    due_soon: timedelta
    follow_up_hours: float
    # The kinds whose resolution is followed by a call back (回访, DOMAIN §3); an inquiry
    # answered at the desk needs none. data/sla.toml `follow_up_kinds`; every kind without it.
    follow_up_kinds: frozenset[str] | None = None  # None: every kind
    statutory: Statutory = Statutory()
    # DOMAIN §3 (000 C): keep the customer informed until it is solved. A ticket of these
    # kinds still open this many business hours after it was received, or after its last
    # progress call, is due a progress call (data/sla.toml `progress_call_kinds`, `_hours`).
    progress_call_kinds: frozenset[str] = frozenset({"complaint"})
    progress_call_hours: float = 8.0

    def needs_follow_up(self, kind: str) -> bool:
        return self.follow_up_kinds is None or kind in self.follow_up_kinds

    def needs_progress_calls(self, kind: str) -> bool:
        return kind in self.progress_call_kinds

    def progress_call_due(self, since: datetime) -> datetime:
        """The next progress call: `progress_call_hours` business hours after `since` (the
        ticket's receipt or the last progress call), by the same business-day rule as due times."""
        return self.add_business_hours(since, self.progress_call_hours)

    def unknown_years(self, first: datetime, last: datetime) -> list[int]:
        """Years from `first` to `last` (site-local) whose statutory holidays are not known yet."""
        return self.statutory.unknown_years(first.astimezone(self.tz).date(), last.astimezone(self.tz).date())

    # -- calendar ------------------------------------------------------------------------
    def is_business_day(self, day: date) -> bool:
        if day in self.extra_workdays or day in self.statutory.workdays:
            return day not in self.holidays  # a company closed day wins over a make-up workday
        return day.weekday() in self.hours.workdays and day not in self.holidays and \
            day not in self.statutory.holidays

    def _window(self, day: date) -> tuple[datetime, datetime]:
        start = datetime.combine(day, self.hours.start, tzinfo=self.tz)
        end = datetime.combine(day, self.hours.end, tzinfo=self.tz)
        return start, end

    def add_business_hours(self, start: datetime, hours: float) -> datetime:
        """The moment `hours` of business time after `start` (aware UTC in, aware UTC out)."""
        remaining = timedelta(hours=hours)
        local = start.astimezone(self.tz)
        day = local.date()
        for _ in range(MAX_DAYS):
            if self.is_business_day(day):
                open_, close = self._window(day)
                begin = max(local, open_)
                if begin < close:
                    available = close - begin
                    if remaining <= available:
                        return (begin + remaining).astimezone(UTC)
                    remaining -= available
            day += timedelta(days=1)
        return (start + timedelta(hours=hours)).astimezone(UTC)

    def end_of_business_day(self, at: datetime) -> datetime:
        """End of the business day `at` falls in; after hours or on a day off, the end of the
        next business day."""
        local = at.astimezone(self.tz)
        day = local.date()
        for _ in range(MAX_DAYS):
            if self.is_business_day(day):
                _, close = self._window(day)
                if local < close:
                    return close.astimezone(UTC)
            day += timedelta(days=1)
        return at.astimezone(UTC)

    # -- due times -----------------------------------------------------------------------
    def due_at(self, kind: str, priority: str, received: datetime) -> datetime:
        candidates = []
        if kind in self.same_day:
            candidates.append(self.end_of_business_day(received))
        hours = self.due_hours.get(kind, {}).get(priority)
        if hours is not None:
            candidates.append(self.add_business_hours(received, hours))
        if not candidates:
            candidates.append(self.add_business_hours(received, 8))
        return min(candidates)

    def due_after_check(self, kind: str, checked: datetime) -> datetime | None:
        hours = self.after_check.get(kind)
        return None if hours is None else self.add_business_hours(checked, hours)

    def follow_up_due(self, resolved: datetime) -> datetime:
        return self.add_business_hours(resolved, self.follow_up_hours)

    def state(self, due: datetime | None, now: datetime) -> str:
        """'overdue' (red), 'soon' (amber), 'ok', or 'none' without a due time."""
        if due is None:
            return "none"
        if due <= now:
            return "overdue"
        if due - now <= self.due_soon:
            return "soon"
        return "ok"

    def day_bounds(self, now: datetime) -> tuple[datetime, datetime]:
        """Start and end (UTC) of the site-local calendar day of `now`."""
        local = now.astimezone(self.tz).date()
        start = datetime.combine(local, datetime.min.time(), tzinfo=self.tz)
        return start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC)


def _dates(raw, name: str) -> frozenset[date]:
    from deskconsole.config import ConfigError

    try:
        return frozenset(date.fromisoformat(str(d)) for d in raw or ())
    except ValueError:
        raise ConfigError(f"data/sla.toml: '{name}' expects dates YYYY-MM-DD") from None


def rules_from(config, data: dict | None = None) -> SLARules:
    """Build the rules from the config (business hours) and data/sla.toml (or `data`)."""
    if data is None:
        from deskconsole import catalogs

        data = catalogs.load("sla.toml")
    hours: SLAHours = config.sla
    due_hours: dict[str, dict[str, float]] = {}
    same_day, after_check = set(), {}
    for kind, table in (data.get("due_hours") or {}).items():
        due_hours[kind] = {}
        for key, value in table.items():
            if key == "same_day":
                if value:
                    same_day.add(kind)
            elif key == "after_check":
                after_check[kind] = float(value)
            else:
                due_hours[kind][key] = float(value)
    return SLARules(
        hours=hours,
        tz=config.tz,
        due_hours=due_hours,
        same_day=frozenset(same_day),
        after_check=after_check,
        holidays=frozenset(hours.holidays) | _dates(data.get("holidays"), "holidays"),
        extra_workdays=_dates(data.get("extra_workdays"), "extra_workdays"),
        due_soon=timedelta(minutes=float(data.get("due_soon_minutes", 60))),
        follow_up_hours=float(data.get("follow_up_hours", 8)),
        follow_up_kinds=_kinds(data["follow_up_kinds"]) if "follow_up_kinds" in data else None,
        progress_call_kinds=_kinds(data.get("progress_call_kinds", ["complaint"]), "progress_call_kinds"),
        progress_call_hours=_hours(data.get("progress_call_hours", 8), "progress_call_hours"),
        statutory=load_statutory(str(data.get("statutory_calendar", ""))),
    )


def _kinds(raw, name: str = "follow_up_kinds") -> frozenset[str]:
    from deskconsole.config import ConfigError
    from deskconsole.models.tickets import (
        TICKET_KINDS,  # models load SQLAlchemy: not at import time
    )

    kinds = frozenset(str(k) for k in raw or ())
    if not kinds <= set(TICKET_KINDS):
        raise ConfigError(f"data/sla.toml: '{name}' expects kinds among {', '.join(TICKET_KINDS)}")
    return kinds


def _hours(raw, name: str) -> float:
    from deskconsole.config import ConfigError

    try:
        hours = float(raw)
    except (TypeError, ValueError):
        hours = 0.0
    if not 0 < hours <= 1000:
        raise ConfigError(f"data/sla.toml: '{name}' expects business hours between 0 and 1000")
    return hours


def time_left(due: datetime | None, now: datetime) -> str:
    """'2:15' left, '-0:40' overdue, '3d 4h' when far off; '' without a due time."""
    if due is None:
        return ""
    seconds = int((due - now).total_seconds())
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    if seconds >= 48 * 3600:
        return f"{sign}{seconds // 86400}d {seconds % 86400 // 3600}h"
    return f"{sign}{seconds // 3600}:{seconds % 3600 // 60:02d}"
