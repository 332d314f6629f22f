"""What the CLI prints or writes never holds a customer's whole number unless a supervisor
unlocked it (export --unmask): listings in every format, and the audit trail as shown, even
for an event written with a number in it by an older version (DOMAIN §1: privacy)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from deskconsole.cli.main import app
from deskconsole.services import audit, calls, tickets
from deskconsole.services import reception as rs
from deskconsole.services.phone_numbers import mask_in_text
from deskconsole.services.sla import rules_from
from tests.conftest import make_config

NUMBER, MASKED = "13800138000", "138****8000"


def cli(store, *args: str) -> str:
    result = CliRunner().invoke(app, ["--db", store.url, "--lang", "en", *args], catch_exceptions=False,
                                env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def with_numbers(sqlite_store, make_actor, clock, tmp_path):
    actor = make_actor(sqlite_store)
    rules = rules_from(make_config(tmp_path))

    def work(s):
        rs.check_in(s, actor, rs.CheckInForm(name="Wang", phone=NUMBER, unit="1-1202"))
        calls.log_outgoing(s, actor, phone=NUMBER, caller_name="Li")
        tickets.create_ticket(s, actor, kind="repair", customer_name="Wang", phone=NUMBER, unit="1-1202",
                              description="leak", rules=rules)
        # An event an older version wrote with the number in it, under an entity not redacted.
        audit.record_for(s, actor, "updated", "operator", 1, None, {"phone": NUMBER})

    sqlite_store.write(work)
    return sqlite_store


@pytest.mark.parametrize("args", [
    ("visitor", "roll-call"),
    ("visitor", "roll-call", "--format", "csv"),
    ("ticket", "list"),
    ("ticket", "list", "--format", "json"),
    ("ticket", "list", "--format", "csv"),
    ("ticket", "show", "1", "--format", "json"),
    ("export", "visits", "--from", "2026-11-01", "--to", "2026-11-30"),
    ("export", "calls", "--from", "2026-11-01", "--to", "2026-11-30"),
    ("export", "tickets", "--from", "2026-11-01", "--to", "2026-11-30"),
    ("summary", "--date", "2026-11-25", "--format", "json"),
    ("audit", "show"),
])
def test_no_cli_output_holds_a_whole_phone_number(with_numbers, args):
    out = cli(with_numbers, *args)
    assert NUMBER not in out


def test_audit_show_masks_a_number_an_older_event_holds(with_numbers):
    out = cli(with_numbers, "audit", "show", "--entity", "operator")
    assert MASKED in out and NUMBER not in out


def test_numbers_in_free_text_are_masked_and_ids_dates_amounts_are_not():
    assert mask_in_text('{"phone": "13800138000", "id": 12}') == '{"phone": "138****8000", "id": 12}'
    assert mask_in_text("+442079460958") == "+44******0958"
    kept = '{"at": "2026-11-25T01:00:00", "fee": "1234567.50", "ticket": 1234}'
    assert mask_in_text(kept) == kept
