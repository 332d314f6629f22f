"""The console's screens (Textual MODES), one F-key each. A feature issue registers its mode
here when the screen is real; F7 (phone ringing / answer) and F8 (caller hung up) are
reserved for the phone screen, on every screen."""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class ModeSpec:
    name: str  # mode name, and the catalog key mode.<name>
    key: str | None  # F-key, or None (reached from the palette)
    target: str  # "module:ScreenClass", imported when the mode is first shown

    def factory(self):
        module, _, cls = self.target.partition(":")

        def make():
            return getattr(importlib.import_module(module), cls)()

        return make


MODES: tuple[ModeSpec, ...] = (
    # Reception first: where a receptionist lands after sign-on (reception issue).
    ModeSpec("reception", "f2", "deskconsole.ui.screens.reception:ReceptionScreen"),
    ModeSpec("phone", "f3", "deskconsole.ui.screens.phone:PhoneScreen"),
    ModeSpec("tickets", "f4", "deskconsole.ui.screens.tickets:TicketsScreen"),
    ModeSpec("etiquette", "f5", "deskconsole.ui.screens.etiquette:EtiquetteScreen"),
    ModeSpec("shift", "f6", "deskconsole.ui.screens.shift:ShiftScreen"),
    ModeSpec("home", None, "deskconsole.ui.screens.home:HomeScreen"),
)


# Screens offered right after sign-on, in order: each is "module:function"; the function takes
# the app and returns a Screen to show (the next step runs when it is dismissed) or None to
# skip. The shift feature adds the handover acknowledgement, etiquette the self-check offer.
SIGN_ON_STEPS: tuple[str, ...] = (
    "deskconsole.ui.modals.handover:ack_after_sign_on",  # DOMAIN §6: read the handover first
    "deskconsole.ui.modals.self_check:offer_after_sign_on",  # DOMAIN §5: start-of-shift self-check
    "deskconsole.ui.retention:purge_after_sign_on",  # reliability §7: retention, supervisors only
    "deskconsole.ui.phone_keys:restore_after_sign_on",  # DOMAIN §2: lines live when the console stopped
)
