"""PIN hashes that carry their own cost: `$scrypt$ln=14,r=8,p=1$<salt>$<hash>` (PHC string
format, salt and hash in unpadded base64), so the cost can be raised later and an operator's
hash is rewritten at the next successful sign-on.

Hashes written before this format are 64 hex digits with the salt in the operator's
`pin_salt` column and the cost fixed at ln=14, r=8, p=1; they still verify.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class ScryptCost:
    ln: int  # log2 of N
    r: int
    p: int


# Raise `ln` here when hardware allows; stored hashes move up at their next sign-on.
CURRENT = ScryptCost(ln=14, r=8, p=1)
LEGACY = ScryptCost(ln=14, r=8, p=1)
SALT_BYTES = 16
HASH_BYTES = 32
# Limits on what a stored string may ask for, so a damaged row cannot make a sign-on
# allocate gigabytes or run for minutes (today's cost uses 16 MiB).
_MAX = ScryptCost(ln=20, r=32, p=16)
_MAX_MEMORY = 2**28
_PHC = re.compile(r"^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{11,88})\$([A-Za-z0-9+/]{22,88})$")
_LEGACY_HEX = re.compile(r"^[0-9a-f]{64}$")


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


def _scrypt(pin: str, salt: bytes, cost: ScryptCost, dklen: int) -> bytes:
    n = 2 ** cost.ln
    return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=cost.r, p=cost.p, dklen=dklen,
                          maxmem=128 * cost.r * (n + cost.p + 2) + 2**20)


def make(pin: str, *, cost: ScryptCost | None = None, salt: bytes | None = None) -> str:
    """A new hash at today's cost with a fresh random salt (pass `salt` only to reproduce a
    known value)."""
    cost = CURRENT if cost is None else cost
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    digest = _scrypt(pin, salt, cost, HASH_BYTES)
    return f"$scrypt$ln={cost.ln},r={cost.r},p={cost.p}${_b64(salt)}${_b64(digest)}"


def _parse(stored: str) -> tuple[ScryptCost, bytes, bytes] | None:
    m = _PHC.match(stored or "")
    if m is None:
        return None
    cost = ScryptCost(int(m[1]), int(m[2]), int(m[3]))
    if not (1 <= cost.ln <= _MAX.ln and 1 <= cost.r <= _MAX.r and 1 <= cost.p <= _MAX.p) \
            or 128 * cost.r * 2 ** cost.ln > _MAX_MEMORY:
        return None
    try:
        return cost, _unb64(m[4]), _unb64(m[5])
    except (binascii.Error, ValueError):
        return None


def verify(pin: str, stored: str, legacy_salt: str = "") -> bool:
    """True when `pin` matches; a damaged or unknown hash never matches."""
    parsed = _parse(stored)
    if parsed is not None:
        cost, salt, digest = parsed
        return hmac.compare_digest(_scrypt(pin, salt, cost, len(digest)), digest)
    if _LEGACY_HEX.match(stored or ""):
        try:
            salt = bytes.fromhex(legacy_salt)
        except ValueError:
            return False
        return hmac.compare_digest(_scrypt(pin, salt, LEGACY, HASH_BYTES).hex(), stored)
    return False


def needs_update(stored: str) -> bool:
    """A hash in the old format, or at another cost than today's, is rewritten at sign-on."""
    parsed = _parse(stored)
    return parsed is None or parsed[0] != CURRENT or len(parsed[1]) < SALT_BYTES
