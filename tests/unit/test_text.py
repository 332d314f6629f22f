"""Hostile input: escapes and controls never reach storage."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deskconsole.services.errors import DeskError
from deskconsole.services.text import clean, strip_controls


def test_terminal_escapes_are_removed():
    assert strip_controls("王\x1b[2J\x1b]0;pwned\x07芳\x00") == "王芳"


def test_newlines_are_kept_only_where_text_is_multiline():
    assert strip_controls("a\nb") == "a b"
    assert strip_controls("a\r\nb", multiline=True) == "a\nb"


def test_over_long_text_is_refused_with_the_limit_named():
    with pytest.raises(DeskError) as err:
        clean("x" * 65, field="name", limit=64)
    assert err.value.key == "error.too_long" and err.value.params["limit"] == 64


def test_required_field():
    with pytest.raises(DeskError) as err:
        clean("  \x1b[0m ", field="name", limit=64, required=True)
    assert err.value.key == "error.required" and err.value.field == "name"


@given(st.text(max_size=200))
def test_cleaned_text_never_contains_a_control_character(value):
    out = strip_controls(value)
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in out)


def test_a_refused_action_is_named_in_the_users_language():
    from deskconsole.i18n import Translator
    from deskconsole.services.errors import NotAllowed

    err = NotAllowed("error.supervisor_only", action="key.lock")
    assert err.message(Translator("zh-CN")) == "只有主管可以锁屏"
    assert err.message(Translator("en")) == "Only a supervisor may Lock"
