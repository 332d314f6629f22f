"""Text typed at the desk is data in every file the CLI writes: a visitor named like a
spreadsheet formula is shown as typed, never evaluated (OWASP CSV injection), in the CSV and
XLSX exports, the summary and the ticket list, and `directory import` refuses such a cell.
Each test reads the file back the way a spreadsheet would see it."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from deskconsole.cli.main import app
from deskconsole.services import exports, reception
from deskconsole.services.sla import rules_from
from deskconsole.services.tickets import create_ticket
from tests.conftest import make_config
from tests.reliability.cli import run_cli

HOSTILE = '=HYPERLINK("http://x.example","点我")'
CMD = "=cmd|' /C calc'!A0"


def cli(store, *args):
    return CliRunner().invoke(app, ["--db", store.url, "--lang", "en", *args], catch_exceptions=False)


@pytest.fixture
def hostile(sqlite_store, make_actor, tmp_path):
    actor = make_actor(sqlite_store)
    sqlite_store.write(lambda s: reception.check_in(s, actor, reception.CheckInForm(
        name=HOSTILE, unit="@SUM(1+1)", host="+1-1", note="-2+3")))
    rules = rules_from(make_config(tmp_path))
    sqlite_store.write(lambda s: create_ticket(s, actor, kind="inquiry", customer_name=CMD,
                                               description="\tstarts with a tab", rules=rules))
    return sqlite_store


@pytest.mark.parametrize("value, shown", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@A1", "'@A1"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("＝1+1", "'＝1+1"), ("王", "王"), ("", ""), (5, 5), (-2.5, -2.5), (None, None)])
def test_a_cell_that_would_start_a_formula_is_made_inert(value, shown):
    assert exports.inert(value) == shown


def test_the_csv_export_shows_a_formula_name_as_typed_text(hostile):
    out = cli(hostile, "export", "visits", "--from", "2026-11-25", "--to", "2026-11-25")
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.stdout_bytes.decode("utf-8-sig"))))
    assert rows[0]["Name"] == "'" + HOSTILE
    assert rows[0]["Unit"] == "'@SUM(1+1)" and rows[0]["Host"] == "'+1-1"


def test_the_xlsx_export_writes_every_text_cell_as_an_inert_string(hostile, tmp_path):
    path = tmp_path / "visits.xlsx"
    out = cli(hostile, "export", "visits", "--from", "2026-11-25", "--to", "2026-11-25",
              "--format", "xlsx", "--output", str(path))
    assert out.exit_code == 0, out.output
    sheet = load_workbook(path).worksheets[0]
    head = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=head.index("Name") + 1)
    assert cell.data_type == "s" and cell.value == "'" + HOSTILE
    for row in sheet.iter_rows():
        for c in row:
            assert c.data_type != "f", (c.coordinate, c.value)
            assert not (isinstance(c.value, str) and c.value.startswith(exports.FORMULA_STARTS))


def test_the_ticket_list_csv_and_the_tickets_export_neutralise_formulas(hostile, tmp_path):
    out = cli(hostile, "ticket", "list", "--format", "csv")
    assert out.exit_code == 0, out.output
    row = next(csv.DictReader(io.StringIO(out.stdout)))
    assert row["customer"] == "'" + CMD
    path = tmp_path / "tickets.xlsx"
    assert cli(hostile, "export", "tickets", "--from", "2026-11-25", "--to", "2026-11-25",
               "--format", "xlsx", "--output", str(path)).exit_code == 0
    sheet = load_workbook(path).worksheets[0]
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "'" + CMD in values and CMD not in values


def test_the_summary_xlsx_and_csv_carry_a_formula_handover_note_inert(sqlite_store, make_actor, tmp_path):
    from deskconsole.services import handover

    actor = make_actor(sqlite_store)
    sqlite_store.write(lambda s: handover.close_shift(s, actor, CMD, timezone="Asia/Shanghai"))
    path = tmp_path / "summary.xlsx"
    out = cli(sqlite_store, "summary", "--date", "2026-11-25", "--format", "xlsx", "--output", str(path))
    assert out.exit_code == 0, out.output
    book = load_workbook(path)
    notes = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value and CMD in str(c.value)]
    assert notes and all(c.data_type == "s" and c.value == "'" + CMD for c in notes)


def test_directory_import_refuses_a_formula_cell_naming_line_and_column(sqlite_store, tmp_path, monkeypatch,
                                                                         capsys):
    path = tmp_path / "dir.csv"
    path.write_text(f'name,unit,note\n"{CMD}",1-101,\n王,=1+1,\n李,2-202,@x\n赵,3-303,ok\n', encoding="utf-8")
    code, _, err = run_cli(monkeypatch, capsys, "--db", sqlite_store.url, "--lang", "en", "directory", "import",
                           str(path))
    assert code == 2
    assert "dir.csv:2 [name]: starts like a spreadsheet formula" in err
    assert "dir.csv:3 [unit]" in err and "dir.csv:4 [note]" in err
    with sqlite_store.read() as s:
        from sqlalchemy import func, select

        from deskconsole.models import DirectoryEntry

        assert s.execute(select(func.count()).select_from(DirectoryEntry)).scalar() == 0
