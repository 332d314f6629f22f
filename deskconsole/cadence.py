"""Telephone ring cadences. DOMAIN §2: 'a ring is a telephone ring cycle'; the cadence is a
setting, not a constant (China 1 s on / 4 s off; other countries differ)."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Cadence:
    name: str
    pattern: tuple[float, ...]  # on, off, on, off ... seconds; one full pattern is one ring

    @property
    def period(self) -> float:
        return sum(self.pattern)

    def ring_number(self, elapsed: float) -> int:
        """The ring under way `elapsed` seconds after the first ring began (1-based).

        Ring n starts at (n-1) * period: on the China cadence ring 4 starts at 15.0 s.
        """
        if elapsed < 0:
            return 1
        # A tiny epsilon keeps 14.999999 (float noise from subtraction) inside ring 3.
        return int(math.floor(elapsed / self.period + 1e-9)) + 1

    def ring_starts_at(self, n: int) -> float:
        return (n - 1) * self.period


PRESETS: dict[str, Cadence] = {
    "cn": Cadence("cn", (1.0, 4.0)),
    "us": Cadence("us", (2.0, 4.0)),
    "uk": Cadence("uk", (0.4, 0.2, 0.4, 2.0)),
}


def parse_cadence(value: str) -> Cadence:
    """'cn' | 'us' | 'uk' | 'custom:1,4' (on,off,... seconds). Raises ValueError with a reason."""
    value = value.strip().lower()
    if value in PRESETS:
        return PRESETS[value]
    if value.startswith("custom:"):
        parts = [p.strip() for p in value[7:].split(",") if p.strip()]
        try:
            nums = tuple(float(p) for p in parts)
        except ValueError:
            raise ValueError("custom cadence must be numbers, e.g. custom:1,4") from None
        if len(nums) < 2 or len(nums) % 2 or any(n <= 0 or n > 60 for n in nums):
            raise ValueError("custom cadence needs on/off pairs of 0-60 seconds, e.g. custom:1,4")
        return Cadence(value, nums)
    raise ValueError("expected cn, us, uk or custom:ON,OFF[,ON,OFF...]")
