"""Exports of raw records and of the summary.

- CSV is UTF-8 with a BOM, so Excel opens Chinese text correctly; XLSX is written by
  xlsxwriter in constant-memory mode, row by row, so a year of records never sits in memory.
- Column headers are in the chosen language; times are site-local ("YYYY-MM-DD HH:MM:SS").
- Phone numbers are masked (138****8000) unless a supervisor unlocked the export
  (DOMAIN §1: never leak customer information); the CLI records who did, in the audit trail.
- Text typed at the desk is data, never a formula: a cell that a spreadsheet would evaluate
  (OWASP CSV injection: a leading = + - @, tab or CR, and their full-width forms that Excel
  accepts from a Chinese input method) is written with a leading apostrophe, and XLSX cells
  are written as strings, never parsed (`inert`, used by every CSV/XLSX writer here).
- Records are chosen like the summary counts them: by the indexed time column, half-open
  [from, to), voided rows left out - so an export's rows add up to the summary's figures.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import BinaryIO
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from deskconsole.models import Call, Desk, EtiquetteCheck, Operator, Ticket, Visit
from deskconsole.services.errors import DeskError
from deskconsole.services.phone_numbers import mask
from deskconsole.services.summary.period import Period

KINDS = ("visits", "calls", "tickets", "inspections")
FORMATS = ("csv", "xlsx")
BATCH = 2000
Progress = Callable[[int, int | None], None]

COLUMNS: dict[str, tuple[str, ...]] = {
    "visits": ("id", "arrived_at", "name", "honorific", "phone", "unit", "host", "purpose", "party_size",
               "level", "status", "served_at", "wait_s", "apology_shown_at", "apology_ack_at",
               "checked_out_at", "staff_no", "desk"),
    "calls": ("id", "direction", "started_at", "answered_at", "ended_at", "answer_seconds", "rings",
              "within_limit", "status", "caller_name", "phone", "unit", "category", "outcome",
              "returned_at", "staff_no", "desk"),
    "tickets": ("id", "kind", "status", "priority", "created_at", "customer_name", "phone", "unit",
                "category", "department", "due_at", "escalated_at", "first_checked_at", "resolved_at",
                "closed_at", "satisfaction", "staff_no", "desk"),
    "inspections": ("id", "kind", "at", "staff_no", "inspector", "skipped", "score", "max_score",
                    "comments", "desk"),
}


# What makes Excel, LibreOffice or WPS read a cell as a formula or a DDE call.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def inert(value):
    """The cell as a spreadsheet must show it: text that would start a formula gets a leading
    apostrophe (shown as typed, never evaluated); numbers and empty cells stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def inert_row(row: Iterable) -> list:
    return [inert(v) for v in row]


def header(kind: str, t) -> list[str]:
    return [t(f"shift.col.{c}") for c in COLUMNS[kind]]


def _local(when: datetime | None, tz: ZoneInfo) -> str:
    return "" if when is None else when.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")


def _blank(v):
    return "" if v is None else v


def _statement(kind: str, period: Period):
    """The records of `kind` in the period, oldest first, with the operator's staff number and
    the desk's name (and, for inspections, the inspector's staff number)."""
    if kind not in KINDS:
        raise DeskError("shift.error.export_kind", field="kind", kinds=", ".join(KINDS))
    desk = aliased(Desk)
    op = aliased(Operator)
    if kind == "visits":
        return select(Visit, op.staff_no, desk.name).join(op, op.id == Visit.operator_id).join(
            desk, desk.id == Visit.desk_id).where(Visit.arrived_at >= period.start, Visit.arrived_at < period.end,
                                                   Visit.voided_at.is_(None)).order_by(Visit.arrived_at, Visit.id)
    if kind == "calls":
        return select(Call, op.staff_no, desk.name).join(op, op.id == Call.operator_id).join(
            desk, desk.id == Call.desk_id).where(Call.started_at >= period.start, Call.started_at < period.end,
                                                  Call.voided_at.is_(None)).order_by(Call.started_at, Call.id)
    if kind == "tickets":
        return select(Ticket, op.staff_no, desk.name).join(op, op.id == Ticket.first_owner_id).join(
            desk, desk.id == Ticket.desk_id).where(Ticket.created_at >= period.start,
                                                    Ticket.created_at < period.end).order_by(Ticket.created_at, Ticket.id)
    inspector = aliased(Operator)
    return select(EtiquetteCheck, op.staff_no, desk.name, inspector.staff_no).join(
        op, op.id == EtiquetteCheck.operator_id).outerjoin(desk, desk.id == EtiquetteCheck.desk_id).outerjoin(
        inspector, inspector.id == EtiquetteCheck.inspector_id).where(
        EtiquetteCheck.at >= period.start, EtiquetteCheck.at < period.end).order_by(
        EtiquetteCheck.at, EtiquetteCheck.id)


def count(session: Session, kind: str, period: Period) -> int:
    """How many rows `rows` will give (the progress bar's total), by the same query."""
    stmt = _statement(kind, period).order_by(None)
    return session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()


def rows(session: Session, kind: str, period: Period, *, unmasked: bool = False) -> Iterator[list]:
    """The records of `kind` in the period, oldest first, as lists in COLUMNS order."""
    tz = period.tz
    stmt = _statement(kind, period)

    def ph(phone):
        return mask(phone, unmasked=unmasked)

    for row in session.execute(stmt.execution_options(yield_per=BATCH)):
        r, staff_no, desk_name = row[0], row[1], row[2]
        if kind == "visits":
            wait = round((r.served_at - r.arrived_at).total_seconds(), 1) if r.served_at else ""
            yield [r.id, _local(r.arrived_at, tz), r.name, r.honorific, ph(r.phone), r.unit, r.host, r.purpose,
                   r.party_size, r.level, r.status, _local(r.served_at, tz), wait, _local(r.apology_shown_at, tz),
                   _local(r.apology_ack_at, tz), _local(r.checked_out_at, tz), staff_no, desk_name]
        elif kind == "calls":
            yield [r.id, r.direction, _local(r.started_at, tz), _local(r.answered_at, tz), _local(r.ended_at, tz),
                   _blank(r.answer_seconds), _blank(r.rings), "" if r.within_limit is None else int(r.within_limit),
                   r.status, r.caller_name, ph(r.phone), r.unit, _blank(r.category), _blank(r.outcome),
                   _local(r.returned_at, tz), staff_no, desk_name]
        elif kind == "tickets":
            yield [r.id, r.kind, r.status, r.priority, _local(r.created_at, tz), r.customer_name, ph(r.phone), r.unit,
                   _blank(r.category), _blank(r.department), _local(r.due_at, tz), _local(r.escalated_at, tz),
                   _local(r.first_checked_at, tz), _local(r.resolved_at, tz), _local(r.closed_at, tz),
                   _blank(r.satisfaction), staff_no, desk_name]
        else:
            yield [r.id, r.kind, _local(r.at, tz), staff_no, _blank(row[3]), int(r.skipped), r.score, r.max_score,
                   _blank(r.comments), _blank(desk_name)]


def _reported(body: Iterable[list], progress: Progress | None, total: int | None) -> Iterator[list]:
    """The rows as they are written, telling `progress(done, total)` every BATCH rows and at the end."""
    done = 0
    for done, row in enumerate(body, start=1):
        yield row
        if progress and done % BATCH == 0:
            progress(done, total)
    if progress:
        progress(done, total if total is not None else done)


def write_csv(out: BinaryIO, head: list[str], body: Iterable[list], *, progress: Progress | None = None,
              total: int | None = None) -> int:
    """UTF-8 with BOM (Excel reads Chinese right), CRLF line ends as Excel writes them."""
    body = _reported(body, progress, total)
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(inert_row(head))
    n = 0
    for row in body:
        writer.writerow(inert_row(row))
        n += 1
    text.flush()
    text.detach()
    return n


def write_xlsx(path: Path, sheets: Iterable[tuple[str, list[str], Iterable[list]]], *,
               progress: Progress | None = None, total: int | None = None) -> int:
    """One worksheet per (name, header, rows); constant memory: rows go to disk as written.
    `progress(done, total)` hears the rows written (all sheets together)."""
    import xlsxwriter

    # xlsxwriter turns a string starting with "=" into a formula and "http..." into a link unless
    # told not to; every text cell goes through write_string anyway.
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                           "strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True})
    n = 0
    try:
        for name, head, body in sheets:
            sheet = book.add_worksheet(name[:31])
            _write_cells(sheet, 0, head, bold)
            for n_row, row in enumerate(body, start=1):
                _write_cells(sheet, n_row, row)
                n += 1
                if progress and n % BATCH == 0:
                    progress(n, total)
            sheet.freeze_panes(1, 0)
    finally:
        book.close()
    if progress:
        progress(n, total if total is not None else n)
    return n


def _write_cells(sheet, n_row: int, row: Iterable, fmt=None) -> None:
    for col, value in enumerate(row):
        if value is None or value == "":
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            sheet.write_string(n_row, col, str(inert(value)), fmt)
        else:
            sheet.write_number(n_row, col, value, fmt)


def export(session: Session, kind: str, period: Period, fmt: str, out, t, *, unmasked: bool = False,
           progress: Progress | None = None) -> int:
    """Write the export to `out` (a binary stream for csv, a path for xlsx); returns the rows.
    `progress(done, total)` hears the rows written, the total counted first."""
    if fmt not in FORMATS:
        raise DeskError("shift.error.export_format", field="format", formats=", ".join(FORMATS))
    total = count(session, kind, period) if progress else None
    if progress:
        progress(0, total)
    body = rows(session, kind, period, unmasked=unmasked)
    if fmt == "csv":
        return write_csv(out, header(kind, t), body, progress=progress, total=total)
    return write_xlsx(Path(out), [(t(f"shift.export.{kind}"), header(kind, t), body)], progress=progress,
                      total=total)
