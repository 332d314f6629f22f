"""Phone numbers: validated when typed, stored normalised, shown masked (138****1234)
except to a supervisor.

A form filled from a record (a returning visitor, an expected arrival, a callback) shows the
stored number masked and keeps it behind the mask (`hold` / `resolve`): saved untouched, the
form saves the stored number, never the mask; typed over, it saves what was typed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from deskconsole.services.errors import DeskError

_CN_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_CN_LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}$")  # area code + number
_LOCAL = re.compile(r"^[2-9]\d{6,7}$")  # a landline without area code
_INTL = re.compile(r"^\+\d{7,15}$")
_EXTENSION = re.compile(r"^\d{3,6}$")  # an in-building extension


def normalise(raw: str | None, *, field: str = "phone") -> str | None:
    """'138 0013 8000' -> '13800138000'; '+86 138-0013-8000' -> '13800138000';
    '010-6552 8888' -> '01065528888'; '+44 20 7946 0958' -> '+442079460958'.
    Empty -> None. Anything else raises DeskError('error.phone')."""
    if raw is None:
        return None
    text = raw.strip()
    if not text:
        return None
    compact = re.sub(r"[\s\-().]", "", text)
    if compact.startswith("0086"):
        compact = "+86" + compact[4:]
    if compact.startswith("+86"):
        compact = compact[3:]
        if _CN_MOBILE.match(compact):
            return compact
        if re.match(r"^[1-9]\d{8,10}$", compact):  # landline without the trunk 0
            return "0" + compact
        raise DeskError("error.phone", field=field)
    if _CN_MOBILE.match(compact) or _CN_LANDLINE.match(compact) or _LOCAL.match(compact) \
            or _EXTENSION.match(compact) or _INTL.match(compact):
        return compact
    raise DeskError("error.phone", field=field)


def mask(phone: str | None, *, unmasked: bool = False) -> str:
    """138****8000 for a mobile, keep the first 3 and last 4 otherwise; short numbers keep
    their last 2. A supervisor sees the number whole (`unmasked=True`)."""
    if not phone:
        return ""
    if unmasked:
        return phone
    if len(phone) >= 11:
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    if len(phone) >= 7:
        return phone[:2] + "*" * (len(phone) - 4) + phone[-2:]
    return "*" * (len(phone) - 2) + phone[-2:]


# A run of digits as long as a phone number (an id, a date or an amount is shorter).
_NUMBER_IN_TEXT = re.compile(r"(?<![\d.])\+?\d{7,15}(?![\d.])")


def mask_in_text(text: str) -> str:
    """Every phone-number-like run of digits in free text masked: for text that may hold a
    number nobody knows is there (an audit event written by an older version)."""
    return _NUMBER_IN_TEXT.sub(lambda m: mask(m.group()), text)


def mask_for(phone: str | None, actor) -> str:
    return mask(phone, unmasked=bool(actor and actor.is_supervisor))


@dataclass(frozen=True)
class Held:
    """A stored number a form carries without showing it: `shown` is what the field displays."""
    shown: str
    number: str


def hold(phone: str | None, actor) -> Held | None:
    """The number `phone` as a form filled for `actor` carries it; None when it may be shown
    whole (a supervisor, or no number)."""
    if not phone:
        return None
    shown = mask_for(phone, actor)
    return None if shown == phone else Held(shown, phone)


def resolve(typed: str, held: Held | None) -> str:
    """What the form saves: the held number while the field still shows its mask."""
    if held is not None and typed.strip() == held.shown:
        return held.number
    return typed


def shown(value: str | None, held: Held | None) -> str:
    """What a field shows for `value` (the held number appears as its mask)."""
    if held is not None and value == held.number:
        return held.shown
    return value or ""
