"""Statutory public holidays and make-up workdays (调休) from a maintained package, so the
business-day rule of the SLA follows the State Council's yearly notice instead of a list
typed by hand (README "Holidays": why `chinese-calendar` and not `holidays`).

The calendar knows the years the installed package has data for; a year it does not know
yet is reported (`Statutory.unknown_years`), never guessed: the console warns at start and
`ticket list` on stderr, and until the package is updated that year counts weekdays only,
plus the company's own closed days (data/sla.toml)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

CALENDARS = ("cn", "")  # mainland China; "" for none (a site outside it)


@dataclass(frozen=True)
class Statutory:
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()  # make-up workdays: a weekend day worked (调休)
    years: frozenset[int] = frozenset()  # the years the calendar has data for
    enabled: bool = False

    def unknown_years(self, first: date, last: date) -> list[int]:
        """The years from `first` to `last` the calendar has no data for (none when off)."""
        if not self.enabled:
            return []
        return [y for y in range(first.year, last.year + 1) if y not in self.years]


def load(name: str) -> Statutory:
    """The statutory calendar named in data/sla.toml (`statutory_calendar`)."""
    if name not in CALENDARS:
        from deskconsole.config import ConfigError

        raise ConfigError(f"data/sla.toml: 'statutory_calendar' expects one of {', '.join(map(repr, CALENDARS))}")
    if not name:
        return Statutory()
    import chinese_calendar

    holidays = frozenset(chinese_calendar.holidays)
    return Statutory(holidays=holidays, workdays=frozenset(chinese_calendar.workdays),
                     years=frozenset(d.year for d in holidays), enabled=True)
