"""One section of the summary (visitors, calls, tickets, etiquette) as label / value rows,
from the same labelled rows the CLI prints; figures that miss the standard are red with a !."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from deskconsole.services.summary import render
from deskconsole.ui.text import Static


def section_lines(data: dict, section: str, t) -> list[tuple[str, str, bool]]:
    """(label, value, misses the standard) as shown: hours are charted, not listed, and a
    breakdown line with nothing in it is left out (its total is shown above it)."""
    lines = []
    for sec, key, label, value in render.labelled_rows(data, t):
        if sec != section or key.startswith("by_hour."):
            continue
        if "." in key and not value:
            continue
        attention = render.needs_attention(data, sec, key)
        lines.append(("! " + label if attention else label, render.shown(value), attention))
    return lines


def section_table(lines: list[tuple[str, str, bool]]) -> Table:
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(ratio=1)
    table.add_column(justify="right", no_wrap=True)
    for label, value, attention in lines:
        style = "bold red" if attention else ""
        table.add_row(Text(label, style=style), Text(value, style=style or "bold"))
    return table


class SummarySection(Static):
    DEFAULT_CSS = """
    SummarySection { border: round $primary; border-title-style: bold; padding: 0 1; height: auto; }
    """

    def __init__(self, section: str) -> None:
        super().__init__("", id=f"section-{section}")
        self.section = section
        self.lines: list[tuple[str, str, bool]] = []

    def on_mount(self) -> None:
        self.border_title = render.section_label(self.app.t, self.section)

    _shown = False

    def show(self, data: dict) -> None:
        """Show the section's figures; the same figures again (a reload that found nothing
        new) draw nothing and lay nothing out."""
        title = render.section_label(self.app.t, self.section)
        lines = section_lines(data, self.section, self.app.t)
        if self._shown and lines == self.lines and title == self.border_title:
            return
        self._shown = True
        self.border_title = title
        self.lines = lines
        self.update(section_table(lines))
