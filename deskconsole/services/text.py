"""Cleaning what people type before it is stored.

Control characters and terminal escape sequences are removed: a record can never carry
raw escapes to another terminal's screen. Over-long text is refused with the limit named.
"""

from __future__ import annotations

import re
import unicodedata

from deskconsole.services.errors import DeskError

# CSI / OSC / other ESC sequences, then any remaining C0/C1 control character except tab/newline.
_ESCAPES = re.compile(
    r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])"
    # The 8-bit forms: CSI (0x9b) with its parameters, OSC (0x9d) up to its terminator.
    r"|\x9b[0-?]*[ -/]*[@-~]|\x9d[^\x07\x1b\x9c]*(\x07|\x9c|\x1b\\)?"
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def strip_controls(value: str, *, multiline: bool = False) -> str:
    value = _ESCAPES.sub("", value)
    if not multiline:
        value = value.replace("\t", " ").replace("\r", " ").replace("\n", " ")
    else:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROLS.sub("", value)
    return unicodedata.normalize("NFC", value)


def clean(value: object, *, field: str, limit: int, required: bool = False,
          multiline: bool = False) -> str:
    """Strip, remove controls, enforce the length limit (in characters)."""
    text = strip_controls("" if value is None else str(value), multiline=multiline).strip()
    if required and not text:
        raise DeskError("error.required", field=field, label=f"field.{field}")
    if len(text) > limit:
        raise DeskError("error.too_long", field=field, label=f"field.{field}", limit=limit)
    return text


def clean_optional(value: object, *, field: str, limit: int, multiline: bool = False) -> str | None:
    text = clean(value, field=field, limit=limit, multiline=multiline)
    return text or None
