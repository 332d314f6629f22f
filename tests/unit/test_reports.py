"""The standard forms (`deskconsole report NAME`) on a demo store: each report's totals agree
with the summary of the same period, the XLSX reads back, the Markdown is a well-formed table,
and text typed at the desk is inert in every format (a formula stays text, a bracket or pipe
never breaks the table)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from deskconsole.cli.main import app
from deskconsole.clock import FakeClock
from deskconsole.db.store import Store
from deskconsole.demo import generate
from deskconsole.services import reports
from deskconsole.services.sheets import FORMULA_STARTS
from tests.conftest import START
from tests.reliability.cli import run_cli

CMD = "=cmd|' /C calc'!A0"
BRACKETS = "a[/b]"
DAYS = 4
FIRST, LAST = (START - timedelta(days=DAYS - 1)).date().isoformat(), START.date().isoformat()


def hostile_demo(folder) -> Store:
    """Four demo days; one visit, call, complaint and follow-up then carry hostile text."""
    store = Store(f"sqlite:///{folder / 'demo.db'}").open()
    generate(store, days=DAYS, seed=3, clock=FakeClock(START))
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE visit SET name = ?, host = ? WHERE id = (SELECT MIN(id) FROM visit)",
                             (CMD, BRACKETS))
        conn.exec_driver_sql("UPDATE call SET summary = ?, caller_name = ? WHERE id = "
                             "(SELECT MIN(id) FROM call WHERE direction = 'in')", (f"{BRACKETS} | {CMD}", CMD))
        conn.exec_driver_sql("UPDATE ticket SET description = ?, customer_name = ? WHERE id = "
                             "(SELECT MIN(id) FROM ticket WHERE kind = 'complaint')", (CMD, BRACKETS))
        conn.exec_driver_sql("UPDATE follow_up SET comment = ? WHERE id = "
                             "(SELECT MIN(id) FROM follow_up WHERE done_at IS NOT NULL)", (f"{CMD} {BRACKETS}",))
    return store


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    store = hostile_demo(tmp_path_factory.mktemp("demo"))
    yield store
    store.close()


def cli(store, *args, lang="en"):
    return CliRunner().invoke(app, ["--db", store.url, "--lang", lang, *args], catch_exceptions=False)


def summary(store, *extra) -> dict:
    out = cli(store, "summary", "--range", FIRST, LAST, "--format", "json", *extra)
    assert out.exit_code == 0, out.output
    return json.loads(out.stdout)


def xlsx_rows(store, tmp_path, name, *extra, lang="en") -> tuple[list, list[list]]:
    path = tmp_path / f"{name}.xlsx"
    out = cli(store, "report", name, "--from", FIRST, "--to", LAST, "--out", str(path), *extra, lang=lang)
    assert out.exit_code == 0, out.output
    sheet = load_workbook(path).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref and sheet.print_title_rows == "$1:$1"
    for row in sheet.iter_rows():  # typed text is never a formula
        for c in row:
            assert c.data_type != "f", (c.coordinate, c.value)
            assert not (isinstance(c.value, str) and c.value.startswith(FORMULA_STARTS)), c.value
    return rows[0], rows[1:]


def md_table(store, name, *extra) -> tuple[list[str], list[list[str]]]:
    out = cli(store, "report", name, "--from", FIRST, "--to", LAST, "--format", "md", *extra)
    assert out.exit_code == 0, out.output
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("|")]
    cells = [[c.strip() for c in re.split(r"(?<!\\)\|", ln)[1:-1]] for ln in lines]
    head, rule, body = cells[0], cells[1], cells[2:]
    assert all(c == "---" for c in rule) and len(rule) == len(head)
    assert all(len(r) == len(head) for r in body), "a cell broke the table"
    return head, body


def csv_rows(store, name) -> list[dict]:
    out = cli(store, "report", name, "--from", FIRST, "--to", LAST, "--format", "csv")
    assert out.exit_code == 0, out.output
    return list(csv.DictReader(io.StringIO(out.stdout_bytes.decode("utf-8-sig"))))


def test_the_registry_offers_one_report_per_module():
    assert reports.names() == ["call-visit-register", "complaints", "follow-ups", "goods-release", "key-register",
                               "loans", "work-statistics"]
    assert all(reports.get(n).name == n for n in reports.names())


def test_call_visit_register_counts_the_summarys_visitors_and_incoming_calls(demo, tmp_path):
    day = summary(demo)
    head, rows = xlsx_rows(demo, tmp_path, "call-visit-register")
    ways = Counter(r[head.index("Call / visit code")] for r in rows)
    assert ways == {"visit": day["visitors"]["arrived"], "call": day["calls"]["incoming"]} and ways["call"] > 0
    assert {r[head.index("Call / visit")] for r in rows} == {"Visit", "Call"}  # labels, not codes
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)  # oldest first, visits and calls merged
    md_head, md_rows = md_table(demo, "call-visit-register")
    assert len(md_rows) == len(rows) and "Call / visit code" not in md_head  # Markdown is for reading
    assert any(r[md_head.index("Visiting / for")] == r"a\[/b\]" for r in md_rows)
    text = [r for r in csv_rows(demo, "call-visit-register") if r["What was said"].startswith("a[")]
    assert text and text[0]["Name"] == "'" + CMD


def test_complaints_count_the_summarys_complaints_and_same_day_checks(demo, tmp_path):
    day = summary(demo)["tickets"]
    head, rows = xlsx_rows(demo, tmp_path, "complaints", lang="zh-CN")
    assert len(rows) == day["complaints"] > 0
    checked, mark = head.index("核实时间"), head.index("标记")
    same_day = [r for r in rows if r[checked] is not None and "未当日核实" not in (r[mark] or "")]
    assert len(same_day) == day["complaints_checked_same_day"]
    assert set(r[head.index("处理结果代码")] for r in rows) <= {"new", "assigned", "in_progress", "resolved",
                                                           "followed_up", "closed", "cancelled"}
    assert not {r[head.index("处理结果")] for r in rows} & {"resolved", "closed"}  # translated
    assert "'" + CMD in [r[head.index("内容")] for r in rows]
    _, md_rows = md_table(demo, "complaints")
    assert len(md_rows) == len(rows)


def test_follow_ups_count_the_summarys_calls_and_satisfaction(demo, tmp_path):
    day = summary(demo)["tickets"]
    head, rows = xlsx_rows(demo, tmp_path, "follow-ups")
    assert len(rows) == day["follow_ups_done"] > 0
    answers = Counter(r[head.index("Satisfaction code")] or "none" for r in rows)
    assert {k: v for k, v in day["satisfaction"].items() if v} == dict(answers)
    comments = [r[head.index("Customer's words")] for r in rows]
    assert f"'{CMD} {BRACKETS}" in comments
    _, md_rows = md_table(demo, "follow-ups")
    assert len(md_rows) == len(rows)
    assert any(r"\[/b\]" in c and r"cmd\|" in c for r in md_rows for c in r)


FIGURES = {"Visitors": ("visitors", "arrived"), "Calls in": ("calls", "incoming"), "Answered": ("calls", "answered"),
           "Within three rings": ("calls", "within_three_rings"), "Missed": ("calls", "missed"),
           "Calls out": ("calls", "outgoing"), "Tickets opened": ("tickets", "opened"),
           "Complaints": ("tickets", "complaints"), "Follow-ups made": ("tickets", "follow_ups_done"),
           "Inspections": ("etiquette", "inspections")}


@pytest.mark.parametrize("desk", [None, "desk-1"])
def test_work_statistics_per_operator_and_day_add_up_to_the_summary(demo, tmp_path, desk):
    extra = ("--desk", desk) if desk else ()
    day = summary(demo, *extra)
    head, rows = xlsx_rows(demo, tmp_path, "work-statistics", *extra)
    *lines, total = rows
    assert total[0] == "Total"
    for label, (section, key) in FIGURES.items():
        col = head.index(label)
        assert total[col] == day[section][key], label
        assert sum(r[col] for r in lines) == total[col], label
    assert len({(r[0], r[1]) for r in lines}) == len(lines)  # one line per day and operator
    assert {r[0].date() for r in lines} <= {START.date() - timedelta(days=i) for i in range(DAYS)}
    _, md_rows = md_table(demo, "work-statistics", *extra)
    assert len(md_rows) == len(rows)


def test_a_report_refuses_a_bad_date_or_a_range_backwards_in_one_line(demo, monkeypatch, capsys):
    base = ["--db", demo.url, "--lang", "zh-CN", "report", "complaints", "--format", "md"]
    code, out, err = run_cli(monkeypatch, capsys, *base, "--from", "2026-13-01", "--to", LAST)
    assert code == 2 and out == "" and "不是日期" in err and len(err.strip().splitlines()) == 1
    code, out, err = run_cli(monkeypatch, capsys, *base, "--from", LAST, "--to", FIRST)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    code, _, err = run_cli(monkeypatch, capsys, *base[:-2], "--from", FIRST, "--to", LAST)
    assert code == 2 and "--out" in err  # xlsx needs a file
    code, _, err = run_cli(monkeypatch, capsys, "--db", demo.url, "report", "keys", "--from", FIRST, "--to", LAST)
    assert code == 2


@pytest.mark.parametrize("typed, cell", [
    ("a|b", r"a\|b"), (BRACKETS, r"a\[/b\]"), ("<b>x</b>", r"\<b\>x\</b\>"), ("*x* _y_", r"\*x\* \_y\_"),
    ("two\nlines", "two lines"), ("王芳", "王芳")])
def test_typed_text_is_one_inert_markdown_cell(typed, cell):
    from deskconsole.services.reports.spec import md_cell

    assert md_cell(typed) == cell
