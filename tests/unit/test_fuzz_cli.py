"""CLI arguments are hostile input too: the reliability commands given
generated options and values never crash (exit 1 writes a crash log) and never print a raw
escape; a refusal exits 2."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.reliability import fuzz
from tests.reliability.cli import run_cli
from tests.reliability.fuzz import CASES, FUZZ, RAW, hostile_text

pytestmark = pytest.mark.usefixtures("fuzz_report")
fuzz_report = fuzz.fuzz_report

values = st.one_of(hostile_text.filter(lambda v: "\x00" not in v),  # argv cannot hold a NUL
                   st.sampled_from(["2026-11-25", "25/11", "-1", "0", "30", "001", "visit", "call", "999999999999"]))
COMMANDS = [
    ["audit", "verify"],
    ["audit", "show"],
    ["purge", "--pin-stdin"],
    ["void", "--pin-stdin"],
    ["db", "check"],
]
OPTIONS = ["--operator", "--from", "--to", "--entity", "--id", "--limit", "--older-than", "--staff-no",
           "--reason", "--dry-run", "--lang", "--bogus"]


@settings(FUZZ, max_examples=max(20, FUZZ.max_examples // 3))
@given(command=st.sampled_from(COMMANDS),
       args=st.lists(st.tuples(st.sampled_from(OPTIONS), values), max_size=4).map(
           lambda pairs: [part for pair in pairs for part in pair]),
       pin=st.sampled_from(["135790\n", "", "abc\n", "\x1b[2J\n"]))
def test_the_reliability_commands_never_crash_on_generated_arguments(monkeypatch, capsys, command, args, pin):
    CASES["cli"] += 1
    code, out, err = run_cli(monkeypatch, capsys, *command, *args, stdin=pin)
    assert code in (0, 2), err
    assert "Traceback" not in err
    assert not RAW.search((out + err).replace("\n", "")), (out + err)[-300:]
