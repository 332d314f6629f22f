"""`deskconsole ticket list|show`: filters, table/json/csv, masked phones,
one-line errors with exit code 2."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from deskconsole.cli.common import CliFailure, run_guarded
from deskconsole.cli.main import app
from deskconsole.services import tickets
from deskconsole.services.sla import rules_from
from tests.conftest import make_config


def cli(store, *args):
    return CliRunner().invoke(app, ["--db", store.url, "--lang", "en", *args], catch_exceptions=False)


@pytest.fixture
def seeded(sqlite_store, make_actor, tmp_path):
    actor = make_actor(sqlite_store)
    rules = rules_from(make_config(tmp_path))
    ids = sqlite_store.write(lambda s: [
        tickets.create_ticket(s, actor, kind="repair", customer_name="王", phone="13800138000", unit="3-1201",
                              description="水管漏水", department="engineering", rules=rules).id,
        tickets.create_ticket(s, actor, kind="complaint", customer_name="李", unit="5-0101",
                              description="噪音", rules=rules).id,
    ])
    sqlite_store.write(lambda s: tickets.escalate(s, actor, ids[1], reason="需经理决定"))
    return sqlite_store, ids


def test_list_as_json_with_a_kind_filter_masks_phones(seeded):
    store, (repair, complaint) = seeded
    out = cli(store, "ticket", "list", "--kind", "repair", "--format", "json")
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert [r["id"] for r in rows] == [repair]
    assert rows[0]["phone"] == "138****8000" and rows[0]["department"] == "engineering"
    assert rows[0]["first_owner"] == "101 李娜"


def test_list_the_escalated_queue_as_csv(seeded):
    store, (repair, complaint) = seeded
    out = cli(store, "ticket", "list", "--queue", "escalated", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [int(r["id"]) for r in rows] == [complaint]
    assert rows[0]["kind"] == "complaint" and rows[0]["escalated_at"].startswith("2026-11-25T09:00")


def test_mine_needs_a_staff_number_and_finds_the_owners_tickets(seeded):
    store, ids = seeded
    out = cli(store, "ticket", "list", "--queue", "mine", "--staff-no", "101", "--format", "json")
    assert sorted(r["id"] for r in json.loads(out.stdout)) == sorted(ids)
    with pytest.raises(CliFailure, match="--staff-no"):
        cli(store, "ticket", "list", "--queue", "mine")


def test_the_follow_up_queue_lists_the_progress_calls_due(seeded):
    """DOMAIN §3: an open complaint is due a progress call 8 business hours after it came in
    (17:00 the same day, long past by the system clock); the repair needs none."""
    store, (repair, complaint) = seeded
    out = cli(store, "ticket", "list", "--queue", "follow-up", "--format", "json")
    rows = json.loads(out.stdout)
    assert [(r["id"], r["call"], r["call_sla"]) for r in rows] == [(complaint, "progress", "overdue")]
    assert rows[0]["call_due_at"].startswith("2026-11-25T17:00") and rows[0]["call_time_left"].startswith("-")
    table = cli(store, "ticket", "list", "--queue", "follow-up").stdout
    assert "call" in table and "噪音" in table
    shown = json.loads(cli(store, "ticket", "show", str(complaint), "--format", "json").stdout)
    assert shown["progress_call_due"].startswith("2026-11-25T17:00")


def test_show_prints_the_history(seeded):
    store, (repair, complaint) = seeded
    out = cli(store, "ticket", "show", str(complaint), "--format", "json")
    record = json.loads(out.stdout)
    assert [h["kind"] for h in record["history"]] == ["created", "escalate"]
    assert record["history"][1]["note"] == "需经理决定"
    table = cli(store, "ticket", "show", str(repair))
    assert "水管漏水" in table.stdout


def test_errors_are_one_line_with_exit_code_2(seeded, capsys, monkeypatch):
    store, _ = seeded
    monkeypatch.setattr("sys.argv", ["deskconsole", "--db", store.url, "ticket", "show", "999"])
    assert run_guarded(app) == 2
    assert capsys.readouterr().err.strip() == "deskconsole: No ticket #999"
    monkeypatch.setattr("sys.argv", ["deskconsole", "--db", store.url, "ticket", "list", "--format", "xml"])
    assert run_guarded(app) == 2
    assert capsys.readouterr().err.strip().startswith("deskconsole: --format must be one of: table, json, csv")
