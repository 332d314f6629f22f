"""What a report is, and how one is written (XLSX, CSV, Markdown).

A `Report` has a name, its columns (catalog keys `report.col.<key>`; `Column.code` marks a
coded column, whose stored code is repeated in a "... code" column after the columns people
read, as in the exports) and `rows(session, query)`: the rows of the period, oldest first,
as lists of values in column order, codes already made labels (`query.labels`) and the codes
appended. Values are plain: text, numbers, aware datetimes, dates, None.

- XLSX and CSV carry every column (`services/sheets`: date-times, widths, print setup).
- Markdown is for reading: the columns people read only, cells escaped so that typed text
  never breaks the table or becomes a link or markup (`md_cell`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

from sqlmodel import Session

from deskconsole.services.labels import Labels
from deskconsole.services.sheets import Sheet, write_csv, write_xlsx
from deskconsole.services.sla import SLARules
from deskconsole.services.summary.period import Period

FORMATS = ("xlsx", "csv", "md")


def _no_progress(done: int = 0, total: int | None = None) -> None:
    pass


@dataclass(frozen=True)
class Column:
    key: str
    code: bool = False  # a label shown; the stored code repeated in a code column


@dataclass(frozen=True)
class Query:
    period: Period
    t: object  # the Translator
    labels: Labels
    desk_id: int | None = None
    rules: SLARules | None = None
    unmasked: bool = False
    step: Callable[..., None] = field(default=_no_progress)  # step(done, total)


@dataclass(frozen=True)
class Report:
    name: str  # "call-visit-register"
    columns: tuple[Column, ...]
    rows: Callable[[Session, Query], Iterator[list]]

    @property
    def module(self) -> str:
        return self.name.replace("-", "_")

    def title(self, t) -> str:
        return t(f"report.title.{self.module}")

    def header(self, t) -> list[str]:
        shown = [t(f"report.col.{c.key}") for c in self.columns]
        return shown + [t("shift.col.code_of", column=t(f"report.col.{c.key}")) for c in self.columns if c.code]

    @property
    def shown_count(self) -> int:
        return len(self.columns)


def coded(labels: Labels, values: list[tuple[str | None, object]]) -> list:
    """[(group, value)] -> the row: labels for grouped values, then their codes, in order."""
    shown = [labels.of(g, v) if g else v for g, v in values]
    return shown + [v for g, v in values if g]


def write(report: Report, rows, fmt: str, out, t, *, title: str, timezone: str) -> int:
    """`out`: a path for xlsx; a binary stream for csv; a text stream for md. Returns the rows."""
    if fmt == "xlsx":
        return write_xlsx(Path(out), [Sheet(report.title(t), report.header(t), rows, timezone, title=title,
                                            printed=report.shown_count)])
    if fmt == "csv":
        return write_csv(out, report.header(t), rows, timezone)
    return write_markdown(out, report, rows, t, title=title, timezone=timezone)


def write_markdown(out: TextIO, report: Report, rows, t, *, title: str, timezone: str) -> int:
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(timezone)
    n = report.shown_count
    head = report.header(t)[:n]
    out.write(f"# {md_cell(report.title(t))}\n\n{md_cell(title)}\n\n")
    out.write("| " + " | ".join(md_cell(h) for h in head) + " |\n")
    out.write("|" + "---|" * n + "\n")
    count = 0
    for row in rows:
        out.write("| " + " | ".join(md_cell(_md_value(v, tz)) for v in row[:n]) + " |\n")
        count += 1
    return count


def _md_value(value, tz) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value.astimezone(tz):%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\|[]<>*_`~"})


def md_cell(text: str) -> str:
    """Typed text as a Markdown table cell: one line, every character that Markdown or HTML
    would read as syntax (a pipe that ends the cell, a link, emphasis, a tag) escaped."""
    return " ".join(str(text).split()).translate(_MD_SPECIAL)


def staff(session: Session) -> dict[int, str]:
    """Operator id -> "101 王芳" (the staff table is small: read once per report)."""
    from sqlalchemy import select

    from deskconsole.models import Operator

    return {i: f"{no} {name}".strip() for i, no, name in
            session.execute(select(Operator.id, Operator.staff_no, Operator.name))}


def counted(session: Session, stmt) -> int:
    """How many rows `stmt` selects (the progress bar's total)."""
    from sqlalchemy import func, select

    return session.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar_one()
