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


async def build_screens_in_advance(app) -> None:
    """Build the F-key screens not shown yet, one at a time, while the receptionist reads the
    sign-on steps: the first F3 of a shift then costs what every later one does (issue 8:
    a screen's first build is 0.2-0.4 s of CPU; showing a built one ~10-20 ms). A key pressed
    meanwhile is handled between the steps of the build."""
    import asyncio
    import gc

    built = []
    for spec in app.mode_specs:
        if app.actor is None:
            return
        if spec.key and spec.name not in app._screen_stacks:
            await app._init_mode(spec.name)
            built.append(app._screen_stacks[spec.name][0])
            await asyncio.sleep(0.05)  # let keys and the visible screen's work go first
    # Textual restyles a screen on its first show when the stylesheet grew after it was built
    # (each screen brings its own .tcss); do it now, for those not shown yet, and lay them out.
    for screen in built:
        if screen is not app.screen and screen.is_attached:
            app.stylesheet.update(screen, animate=False)
            screen._css_update_count = app._css_update_count
            screen._refresh_layout(app.size)  # widgets learn their size: no layout on first show
            await asyncio.sleep(0.02)
    # What exists now (screens, catalogs, SQLAlchemy's mappers: ~200k objects) lives as long as
    # the console. Freezing it keeps the collector's full passes, ~100 ms each, from walking it
    # in the middle of a key press; garbage made later is collected as before. Once: a later
    # sign-on would freeze the shift's passing data too.
    if not gc.get_freeze_count():
        gc.collect()
        gc.freeze()
