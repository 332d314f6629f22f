"""Counts per site-local hour as a bar row (the shift summary's calls and visitors by hour). Drawn
with one cell per hour and ASCII hour labels, so Chinese titles never push it out of line."""

from __future__ import annotations

from datetime import datetime, timedelta

from rich.text import Text
from textual.widget import Widget

BARS = "▁▂▃▄▅▆▇█"


def hours_of(local_start: datetime, local_end: datetime) -> list[int]:
    """The hours a period covers, in order (a night shift: 22, 23, 0, 1 ...); a day or more: 0-23."""
    if local_end - local_start >= timedelta(hours=24):
        return list(range(24))
    hours, h = [], local_start.replace(minute=0, second=0, microsecond=0)
    while h < local_end:
        hours.append(h.hour)
        h += timedelta(hours=1)
    return hours or [local_start.hour]


def bar(count: int, peak: int) -> str:
    if count <= 0 or peak <= 0:
        return "."
    return BARS[min(len(BARS) - 1, max(0, -(-count * len(BARS) // peak) - 1))]


class HourChart(Widget):
    DEFAULT_CSS = """
    HourChart { height: 3; width: 1fr; }
    """

    def __init__(self, title_key: str, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.title_key = title_key
        self.counts: list[int] = [0] * 24
        self.hours: list[int] = list(range(24))

    def show(self, counts: list[int], hours: list[int]) -> None:
        if list(counts) == self.counts and list(hours) == self.hours:
            return  # a reload that found the same figures draws nothing
        self.counts, self.hours = list(counts), list(hours)
        self.refresh()

    def render(self) -> Text:
        t = self.app.t
        shown = [self.counts[h] for h in self.hours]
        peak = max(shown) if shown else 0
        text = Text(no_wrap=True, overflow="crop")
        text.append(t(self.title_key), style="bold")
        text.append(f"  {t('shift.chart_peak', count=peak)}  {sum(shown)}\n", style="dim")
        wide = len(self.hours) <= 12  # a shift: 3 cells an hour, every hour named
        cell, every = (3, 1) if wide else (2, 3)
        for h in self.hours:
            text.append(bar(self.counts[h], peak).ljust(cell), style="bold" if self.counts[h] else "dim")
        text.append("\n")
        labels = "".join(f"{h:02d}".ljust(cell * every) for i, h in enumerate(self.hours) if i % every == 0)
        text.append(labels, style="dim")
        return text
