"""The summary is the same in the service, in `deskconsole summary --format json|csv` and in
the exports: the hand-built shift of test_summary_scenario, read three ways."""

from __future__ import annotations

import csv
import io
import json

from typer.testing import CliRunner

from deskconsole.cli.common import CliFailure
from deskconsole.cli.main import app
from deskconsole.services.errors import DeskError
from deskconsole.services.summary import Period, flatten, summarize
from tests.unit.test_summary_scenario import AS_OF, EXPECTED, build_shift

AS_OF_LOCAL = "2026-11-26T02:00"  # AS_OF in Shanghai


def cli(store, *args, stdin: str | None = None, catch: bool = False):
    runner = CliRunner()
    return runner.invoke(app, ["--db", store.url, "--lang", "en", *args], input=stdin, catch_exceptions=catch)


def test_cli_json_and_csv_agree_with_the_service_and_the_hand_count(store, actor, clock):
    shift_id = build_shift(store, actor, clock)
    with store.read() as s:
        service = summarize(s, Period.for_shift(s, shift_id, "Asia/Shanghai", AS_OF)).to_dict()
    out = cli(store, "summary", "--shift", str(shift_id), "--format", "json", "--as-of", AS_OF_LOCAL)
    assert out.exit_code == 0, out.output
    as_json = json.loads(out.stdout)
    assert as_json == service
    assert {k: as_json[k] for k in EXPECTED} == EXPECTED
    out = cli(store, "summary", "--shift", str(shift_id), "--format", "csv", "--as-of", AS_OF_LOCAL)
    raw = out.stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel opens Chinese right
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["Section", "Key", "Figure", "Value"]
    from_csv = {r[1]: r[3] for r in rows[1:]}
    expected = {f"{s}.{k}": "" if v is None else str(v) for s, k, v in flatten(service)}
    assert from_csv == expected
    assert from_csv["calls.within_three_rings_pct"] == "50.0" and from_csv["calls.missed_returned"] == "1"


def test_the_calls_export_adds_up_to_the_summary_and_masks_phones(store, actor, clock):
    build_shift(store, actor, clock)
    out = cli(store, "export", "calls", "--from", "2026-11-25", "--to", "2026-11-25")
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.stdout_bytes.decode("utf-8-sig"))))
    day = json.loads(cli(store, "summary", "--date", "2026-11-25", "--format", "json",
                         "--as-of", AS_OF_LOCAL).stdout)["calls"]
    # the stored codes are in the "... code" columns (machines); the shown columns carry labels
    incoming = [r for r in rows if r["Direction code"] == "in"]
    assert len(incoming) == day["incoming"] == 5  # the shift's 4 and the call at 08:59:40
    assert sum(r["Status code"] == "missed" for r in incoming) == day["missed"]
    assert sum(r["Status"] == "missed" for r in incoming) == day["missed"]  # the label is "missed" in English
    assert sum(r["Within three rings code"] == "1" for r in incoming) == day["within_three_rings"]
    assert len(rows) - len(incoming) == day["outgoing"]
    phones = {r["Phone"] for r in rows if r["Phone"]}
    assert phones == {"139****9000", "137****7000", "136****6000"}


def test_headers_follow_the_chosen_language(store, actor, clock):
    build_shift(store, actor, clock)
    runner = CliRunner()
    out = runner.invoke(app, ["--db", store.url, "--lang", "zh-CN", "export", "visits", "--from", "2026-11-25",
                              "--to", "2026-11-25"], catch_exceptions=False)
    header = out.stdout_bytes.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("编号,标记,到达,姓名")


def test_unmasking_phones_needs_a_supervisor_pin(store, actor, clock):
    build_shift(store, actor, clock)  # creates supervisor 001 with PIN 135790
    base = ["export", "calls", "--from", "2026-11-25", "--to", "2026-11-25", "--unmask", "--pin-stdin"]
    wrong = cli(store, *base, "--supervisor", "001", stdin="0000\n", catch=True)
    assert isinstance(wrong.exception, DeskError) and wrong.exception.key == "error.bad_credentials"
    assert "13900139000" not in wrong.stdout
    receptionist = cli(store, *base, "--supervisor", "101", stdin="2468\n", catch=True)
    assert isinstance(receptionist.exception, CliFailure)
    ok = cli(store, *base, "--supervisor", "001", stdin="135790\n")
    assert ok.exit_code == 0 and "13900139000" in ok.stdout_bytes.decode("utf-8-sig")
    from sqlalchemy import select

    from deskconsole.models import AuditEvent

    with store.read() as s:
        assert s.execute(select(AuditEvent.entity).where(AuditEvent.action == "export_unmasked")).scalars().all() \
            == ["calls"]


def test_xlsx_summary_and_export_are_written(store, actor, clock, tmp_path):
    build_shift(store, actor, clock)
    import openpyxl

    target = tmp_path / "s.xlsx"
    assert cli(store, "summary", "--date", "2026-11-25", "--format", "xlsx", "--output", str(target),
               "--as-of", AS_OF_LOCAL).exit_code == 0
    sheet = openpyxl.load_workbook(target).worksheets[0]
    values = {row[3]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["calls.incoming"] == 5 and values["tickets.overdue_now"] == 1
    visits = tmp_path / "v.xlsx"
    assert cli(store, "export", "visits", "--from", "2026-11-25", "--to", "2026-11-25", "--format", "xlsx",
               "--output", str(visits)).exit_code == 0
    assert openpyxl.load_workbook(visits).worksheets[0].max_row == 1 + 4


def test_conflicting_period_options_fail_in_one_line(store, actor):
    import sys

    from deskconsole.cli.common import run_guarded

    argv = sys.argv
    try:
        sys.argv = ["deskconsole", "--db", store.url, "summary", "--shift", "1", "--date", "2026-11-25"]
        assert run_guarded(app) == 2
    finally:
        sys.argv = argv


def test_ticket_and_inspection_exports_add_up_to_the_summary(store, actor, clock):
    build_shift(store, actor, clock)
    day = json.loads(cli(store, "summary", "--date", "2026-11-25", "--format", "json", "--as-of", AS_OF_LOCAL).stdout)
    tickets = list(csv.DictReader(io.StringIO(
        cli(store, "export", "tickets", "--from", "2026-11-25", "--to", "2026-11-25").stdout_bytes.decode("utf-8-sig"))))
    assert len(tickets) == day["tickets"]["opened"] == 4
    assert sum(r["Kind code"] == "complaint" for r in tickets) == day["tickets"]["complaints"]
    checks = list(csv.DictReader(io.StringIO(
        cli(store, "export", "inspections", "--from", "2026-11-25", "--to", "2026-11-25").stdout_bytes.decode("utf-8-sig"))))
    assert sorted(r["Kind code"] for r in checks) == ["daily", "self", "weekly"]  # the weekly one is after the shift
    assert [r["Inspector"] for r in checks if r["Kind code"] == "daily"] == ["001"]
    assert sum(r["Kind code"] != "self" for r in checks) == day["etiquette"]["inspections"] == 2
