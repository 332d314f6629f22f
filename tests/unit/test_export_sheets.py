"""Exports read as reports (README "Exports"): each XLSX read back with openpyxl shows values in
the console's language with the codes in their own columns, real site-local date-times with a
date format, the screen's "!" marks, columns as wide as their content (CJK counted double), a
frozen and filtered header row, and a page set up to print; the summary XLSX is a sheet of
sections; the CSV keeps the same columns, machine-readable."""

from __future__ import annotations

import csv
import io
import json
import re
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from typer.testing import CliRunner

from deskconsole.cli.main import app
from deskconsole.i18n import Translator
from deskconsole.models.tickets import TICKET_STATUSES
from deskconsole.services.sheets import text_width
from tests.unit.test_reports import FIRST, LAST, hostile_demo

SHANGHAI = ZoneInfo("Asia/Shanghai")
KINDS = ("visits", "calls", "tickets", "inspections")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    store = hostile_demo(tmp_path_factory.mktemp("demo"))
    yield store
    store.close()


def cli(store, *args, lang="zh-CN"):
    return CliRunner().invoke(app, ["--db", store.url, "--lang", lang, *args], catch_exceptions=False)


def export_sheet(store, tmp_path, kind, lang="zh-CN"):
    path = tmp_path / f"{kind}.xlsx"
    out = cli(store, "export", kind, "--from", FIRST, "--to", LAST, "--format", "xlsx", "--output", str(path),
              lang=lang)
    assert out.exit_code == 0, out.output
    return load_workbook(path).worksheets[0]


def widths(sheet) -> dict[int, float]:
    """Column index -> width (a <col> element may cover several columns)."""
    out = {}
    for dim in sheet.column_dimensions.values():
        for i in range(dim.min, dim.max + 1):
            out[i] = dim.width
    return out


def day_summary(store, lang="zh-CN") -> dict:
    out = cli(store, "summary", "--range", FIRST, LAST, "--format", "json", lang=lang)
    return json.loads(out.stdout)


def test_ticket_export_shows_labels_in_the_consoles_language_and_codes_for_machines(demo, tmp_path):
    sheet = export_sheet(demo, tmp_path, "tickets")
    rows = list(sheet.iter_rows(values_only=True))
    head, body = list(rows[0]), rows[1:]
    t = Translator("zh-CN")
    status, code = head.index("状态"), head.index("状态代码")
    assert body and all(r[code] in TICKET_STATUSES for r in body)
    assert all(r[status] == t(f"tickets.status.{r[code]}") for r in body)
    assert "已关闭" in {r[status] for r in body}
    kinds = {r[head.index("类型")] for r in body}
    assert kinds <= {t(f"tickets.kind.{k}") for k in ("repair", "complaint", "inquiry", "suggestion", "callback")}
    assert head.index("状态代码") > head.index("前台")  # codes come after the columns people read


def test_export_times_are_site_local_date_times_with_a_date_format(demo, tmp_path):
    sheet = export_sheet(demo, tmp_path, "visits")
    head = [c.value for c in sheet[1]]
    col = head.index("到达") + 1
    cell = sheet.cell(row=2, column=col)
    assert cell.is_date and cell.number_format == "yyyy-mm-dd hh:mm"
    with demo.engine.connect() as conn:
        first = conn.exec_driver_sql("SELECT arrived_at FROM visit WHERE voided_at IS NULL "
                                     "ORDER BY arrived_at, id LIMIT 1").scalar_one()
    from datetime import UTC, datetime

    stored = datetime.fromisoformat(str(first)).replace(tzinfo=UTC)
    assert cell.value == stored.astimezone(SHANGHAI).replace(tzinfo=None, microsecond=0)


@pytest.mark.parametrize("kind", KINDS)
def test_export_columns_fit_their_content_with_cjk_counted_double(demo, tmp_path, kind):
    sheet = export_sheet(demo, tmp_path, kind)
    wide = widths(sheet)
    for col in range(1, sheet.max_column + 1):
        texts = [c.value for c in sheet[get_column_letter(col)] if isinstance(c.value, str)]
        need = max((text_width(v) for v in texts), default=0)
        assert need <= wide[col] <= 62, (kind, col, need, wide.get(col))
        dates = [c for c in sheet[get_column_letter(col)][1:] if c.is_date]
        if dates:
            assert wide[col] >= len("2026-11-25 09:00")
    names = [c.value for c in sheet[get_column_letter(4)][1:]] if kind == "visits" else []
    if names:  # 姓名: Chinese names take two characters' width each
        assert wide[4] >= 2 * max(len(n) for n in names if n and not n.startswith("'"))


@pytest.mark.parametrize("kind", KINDS)
def test_export_header_is_frozen_filtered_and_printed_on_every_page(demo, tmp_path, kind):
    sheet = export_sheet(demo, tmp_path, kind)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(sheet.max_column)}{sheet.max_row}"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToHeight == 0
    assert sheet.page_setup.fitToWidth in (None, 1)  # one page wide (1 is the default)
    assert sheet.print_title_rows == "$1:$1"
    last_printed = get_column_letter([c.value for c in sheet[1]].index("前台") + 1)  # not the code columns
    assert sheet.print_area == f"'{sheet.title}'!$A$1:${last_printed}${sheet.max_row}"
    assert FIRST in sheet.oddHeader.left.text and LAST in sheet.oddHeader.left.text
    assert all(c.font.b for c in sheet[1])


def test_export_carries_the_screens_marks(demo, tmp_path):
    day = day_summary(demo)
    tickets = export_sheet(demo, tmp_path, "tickets")
    head = [c.value for c in tickets[1]]
    marks = [r[head.index("标记")] or "" for r in tickets.iter_rows(min_row=2, values_only=True)]
    assert sum("已超时" in m for m in marks) == day["tickets"]["overdue_now"] > 0
    assert all(m.startswith("! ") for m in marks if m)
    calls = export_sheet(demo, tmp_path, "calls")
    head = [c.value for c in calls[1]]
    marks = [r[head.index("标记")] or "" for r in calls.iter_rows(min_row=2, values_only=True)]
    answered_late = day["calls"]["answered"] - day["calls"]["within_three_rings"]
    assert sum("三声后接听" in m for m in marks) == answered_late > 0
    assert sum("未接未回电" in m for m in marks) == day["calls"]["missed"] - day["calls"]["missed_returned"]


def test_summary_xlsx_is_a_printable_sheet_of_sections(demo, tmp_path):
    path = tmp_path / "summary.xlsx"
    out = cli(demo, "summary", "--range", FIRST, LAST, "--format", "xlsx", "--output", str(path))
    assert out.exit_code == 0, out.output
    data = day_summary(demo)
    sheet = load_workbook(path).worksheets[0]
    rows = list(sheet.iter_rows(min_row=2))
    t = Translator("zh-CN")
    headings = [r[0].value for r in rows if r[0].font.b]
    assert headings == [t(f"shift.section.{s}") for s in ("visitors", "calls", "tickets", "etiquette", "registers", "audit")]
    figures = {r[3].value: (r[0].value, r[1].value, r[2].value) for r in rows if r[3].value}
    label, value, mark = figures["calls.incoming"]
    assert label == t("shift.fig.calls.incoming") and value == data["calls"]["incoming"]
    assert not any(str(r[0].value).startswith(("visitors.", "calls.")) for r in rows)  # labels, not keys
    assert figures["tickets.overdue_now"][2] == ("!" if data["tickets"]["overdue_now"] else None)
    assert sheet.freeze_panes == "A2" and sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$1:$1" and FIRST in sheet.oddHeader.left.text
    assert widths(sheet)[1] >= max(text_width(str(r[0].value)) for r in rows)


def test_export_csv_keeps_the_columns_with_codes_and_local_times(demo):
    out = cli(demo, "export", "tickets", "--from", FIRST, "--to", LAST, lang="en")
    rows = list(csv.DictReader(io.StringIO(out.stdout_bytes.decode("utf-8-sig"))))
    assert rows and {"Status", "Status code", "Kind code", "Mark"} <= set(rows[0])
    assert all(r["Status code"] in TICKET_STATUSES for r in rows)
    assert any(r["Status"] == "Closed" and r["Status code"] == "closed" for r in rows)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", r["Opened"]) for r in rows)


@pytest.mark.parametrize("text, width", [("abc", 3), ("王芳", 4), ("A座 17F", 7), ("１２", 4), ("", 0)])
def test_a_wide_character_counts_two_in_a_column_width(text, width):
    assert text_width(text) == width
