"""Hostile input, pure functions: text cleaning and phone numbers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deskconsole.services import phone_numbers as phones
from deskconsole.services.text import clean
from tests.reliability import fuzz
from tests.reliability.fuzz import FUZZ, RAW, hostile_text, phone_like, run

pytestmark = pytest.mark.usefixtures("fuzz_report")
fuzz_report = fuzz.fuzz_report

MANY = settings(FUZZ, max_examples=FUZZ.max_examples * 10)  # pure functions: ten times the cases


@MANY
@given(value=hostile_text, limit=st.integers(1, 2000), required=st.booleans(), multiline=st.booleans())
def test_clean_returns_text_without_controls_within_the_limit_or_refuses_with_a_message(
        value, limit, required, multiline):
    out = run("text.clean", lambda: clean(value, field="name", limit=limit, required=required,
                                          multiline=multiline))
    if out is not None:
        assert len(out) <= limit and not RAW.search(out.replace("\n", ""))
        assert multiline or "\n" not in out
        assert out == out.strip()


@MANY
@given(raw=phone_like)
def test_a_phone_is_stored_as_digits_or_refused_with_a_message(raw):
    out = run("phones.normalise", lambda: phones.normalise(raw))
    if out is not None:
        assert out.lstrip("+").isdigit() and len(out) <= 16
        assert "*" in phones.mask(out) and phones.mask(out, unmasked=True) == out
