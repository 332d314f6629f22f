"""The CLI prints stored text as data (STYLE §14): on the hostile store (markup, escapes, bidi
overrides, formulas, 2,000-character strings in every typed column) every listing and the
summary run to the end, and no raw escape or bidi override reaches the terminal."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from deskconsole.cli.main import app
from tests.fixtures import hostile

RAW = ("\x1b", "\x07", "\x9b", "\u202e")
AS_OF = "2026-11-25T11:00"


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile-cli") / "hostile.db"
    hostile.build(path)
    return hostile.url_of(path)


def cli(url, *args):
    return CliRunner().invoke(app, ["--db", url, "--lang", "en", *args], catch_exceptions=False)


@pytest.mark.parametrize("args", [
    ("summary", "--date", "2026-11-25", "--as-of", AS_OF),
    ("summary", "--date", "2026-11-24", "--format", "md", "--as-of", AS_OF),
    ("summary", "--range", "2026-11-23", "2026-11-25", "--format", "csv", "--as-of", AS_OF),
    ("summary", "--date", "2026-11-24", "--format", "json", "--as-of", AS_OF),
    ("operator", "list"),
    ("ticket", "list", "--queue", "all"),
    ("ticket", "show", "1"),
    ("visitor", "roll-call"),
    ("directory", "find", "["),
    ("audit", "show"),
], ids=lambda a: "-".join(a[:3]))
def test_cli_listings_of_a_hostile_store_print_it_as_data(hostile_url, args):
    result = cli(hostile_url, *args)
    assert result.exit_code == 0, result.output
    for raw in RAW:
        assert raw not in result.output, f"{raw!r} reached the terminal"


@pytest.mark.parametrize("fmt", ["table", "md"])
def test_summary_handover_section_cleans_operator_and_desk_names(hostile_url, fmt):
    result = cli(hostile_url, "summary", "--range", "2026-11-23", "2026-11-25", "--format", fmt, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "[/]" in result.output and "red[/]" in result.output  # names shown as typed, escapes dropped
    for raw in RAW:
        assert raw not in result.output
