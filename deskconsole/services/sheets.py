"""Files a supervisor opens in a spreadsheet and prints: the exports, the summary and the
named reports are all written here, so they read and print alike.

A sheet is a header row and rows of plain values: text, numbers, aware datetimes (written
as real date-times in the site's zone, with a date format), `Heading` rows (a bold section
title, for the summary) and None (an empty cell).

- XLSX: the header row bold, frozen and filtered; columns as wide as their content, a CJK
  character counted as two (it takes two cells' width in Calc and Excel); printed landscape,
  one page wide, the header row repeated on every page, the title (period, desk) in the
  page header and the page number in the footer. The print area leaves out the code columns
  (`Sheet.printed`): paper is for people; the codes stay in the file for machines.
- Widths with constant memory: xlsxwriter's constant-memory mode streams each row to a temp
  file as it is written, so a year of records never sits in memory. Widths are not rows: the
  `<cols>` element is written when the workbook is closed (Worksheet._assemble_xml_file writes
  the cols, then copies the streamed rows after them), so `set_column` after the last row
  still counts. We therefore keep constant memory for every sheet, track each column's widest
  cell while the rows stream by (one int per column) and set the widths at the end: every row
  is measured, with no sample that a long name in row 5,000 would escape, and no second pass
  over the database. tests/unit/test_export_sheets.py reads the widths back, so an xlsxwriter
  that stopped doing this would fail there.
- CSV: UTF-8 with a BOM (Excel reads Chinese right), CRLF; datetimes as site-local
  "YYYY-MM-DD HH:MM:SS" text, which every tool parses.
- Text typed at the desk is data, never a formula (`inert`, OWASP CSV injection): every text
  cell goes through write_string with a leading apostrophe when it would start a formula.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO
from zoneinfo import ZoneInfo

# What makes Excel, LibreOffice or WPS read a cell as a formula or a DDE call.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATETIME_TEXT = "%Y-%m-%d %H:%M:%S"
DATE_FORMAT = "yyyy-mm-dd"
MIN_WIDTH, MAX_WIDTH = 4, 60  # characters; a long note wraps at the right edge of the page


def inert(value):
    """The cell as a spreadsheet must show it: text that would start a formula gets a leading
    apostrophe (shown as typed, never evaluated); numbers and empty cells stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True)
class Heading:
    """A section title row (the summary's 来访 / 来电 / ...): bold, in the first column."""

    text: str


@dataclass
class Sheet:
    name: str
    header: list[str]
    rows: Iterable
    timezone: str = "UTC"
    title: str = ""  # the page header: period, desk
    autofilter: bool = True  # not for a sheet of sections
    printed: int | None = None  # print only the first N columns (the code columns are for machines)
    count: int = field(default=0, init=False)  # data rows written

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def text_width(text: str) -> int:
    """Width in spreadsheet characters: a wide (CJK) character counts two."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _cell_width(value) -> int:
    # Two characters more keep a date-time off the text to its right.
    if isinstance(value, datetime):
        return len("2026-11-25 09:00") + 2
    if isinstance(value, date):
        return len("2026-11-25") + 2
    if isinstance(value, float):
        return len(f"{value:.1f}")
    longest = max(str(value).split("\n"), key=text_width)
    return text_width(longest)


def local_text(value, tz: ZoneInfo):
    """A cell for a text file: an aware datetime as site-local text, None as empty."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(tz).strftime(DATETIME_TEXT)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Heading):
        return value.text
    return value


def write_csv(out: BinaryIO, head: list[str], body: Iterable[list], timezone: str = "UTC") -> int:
    """UTF-8 with BOM (Excel reads Chinese right), CRLF line ends as Excel writes them."""
    tz = ZoneInfo(timezone)
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow([inert(v) for v in head])
    n = 0
    for row in body:
        if isinstance(row, Heading):
            row = [row.text]
        writer.writerow([inert(local_text(v, tz)) for v in row])
        n += 1
    text.flush()
    text.detach()
    return n


def write_xlsx(path: Path, sheets: Iterable[Sheet]) -> int:
    """One worksheet per Sheet; returns the data rows written (headings not counted)."""
    import xlsxwriter

    # xlsxwriter turns a string starting with "=" into a formula and "http..." into a link unless
    # told not to; every text cell goes through write_string anyway.
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                           "strings_to_formulas": False, "strings_to_urls": False})
    formats = {"head": book.add_format({"bold": True, "bottom": 1, "text_wrap": False}),
               "heading": book.add_format({"bold": True, "font_size": 12}),
               # left-aligned like the text and the header above them (numbers stay right)
               "when": book.add_format({"num_format": DATETIME_FORMAT, "align": "left"}),
               "day": book.add_format({"num_format": DATE_FORMAT, "align": "left"}),
               "float": book.add_format({"num_format": "0.0"}),
               "text": book.add_format({"text_wrap": False})}
    total = 0
    try:
        for spec in sheets:
            total += _write_sheet(book, spec, formats)
    finally:
        book.close()
    return total


_NOT_IN_SHEET_NAMES = str.maketrans({c: "-" for c in "[]:*?/\\"})


def _write_sheet(book, spec: Sheet, formats: dict) -> int:
    # A sheet's name may not hold []:*?/\ (便民雨伞/小推车...): those become "-".
    sheet = book.add_worksheet(spec.name.translate(_NOT_IN_SHEET_NAMES)[:31])
    tz = spec.tz
    widths = [text_width(h) + 2 for h in spec.header]  # room for the filter button
    for col, value in enumerate(spec.header):
        sheet.write_string(0, col, str(inert(value)), formats["head"])
    n_row = 0
    for n_row, row in enumerate(spec.rows, start=1):
        if isinstance(row, Heading):
            sheet.write_string(n_row, 0, str(inert(row.text)), formats["heading"])
            continue
        spec.count += 1
        for col, value in enumerate(row):
            if value is None or value == "":
                continue
            while col >= len(widths):
                widths.append(0)
            widths[col] = max(widths[col], _cell_width(value))
            _write_cell(sheet, n_row, col, value, tz, formats)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, min(max(width + 1, MIN_WIDTH), MAX_WIDTH))
    sheet.freeze_panes(1, 0)
    if spec.autofilter and spec.header:
        sheet.autofilter(0, 0, max(n_row, 1), len(spec.header) - 1)
    _print_setup(sheet, spec.title)
    if spec.printed:
        sheet.print_area(0, 0, max(n_row, 1), spec.printed - 1)
    return spec.count


def _write_cell(sheet, n_row: int, col: int, value, tz: ZoneInfo, formats: dict) -> None:
    if isinstance(value, datetime):
        # Spreadsheets know no time zones: the site-local wall time people read.
        sheet.write_datetime(n_row, col, value.astimezone(tz).replace(tzinfo=None), formats["when"])
    elif isinstance(value, date):
        sheet.write_datetime(n_row, col, datetime.combine(value, datetime.min.time()), formats["day"])
    elif isinstance(value, bool) or not isinstance(value, int | float):
        sheet.write_string(n_row, col, str(inert(value)))
    elif isinstance(value, float):
        sheet.write_number(n_row, col, value, formats["float"])
    else:
        sheet.write_number(n_row, col, value)


def _print_setup(sheet, title: str) -> None:
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)  # one page wide, as many pages long as it takes
    sheet.repeat_rows(0)
    sheet.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
    if title:
        # "&" starts a header code in Excel and Calc: a literal one is written "&&".
        sheet.set_header("&L" + title.replace("&", "&&"), {"margin": 0.3})
    sheet.set_footer("&R&P / &N", {"margin": 0.3})
