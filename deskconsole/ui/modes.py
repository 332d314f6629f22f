"""The console's screens (Textual MODES), one F-key each, and the steps shown after sign-on.
F7 (phone ringing / answer) and F8 (caller hung up) are not modes: they work on every screen
(ui/controllers/phone.py).

Screens and steps are named by small functions that import their module when first called:
as lazy as an import string (the sign-on screen shows before any of them is imported), and a
misspelt name fails when this module is imported, not when a receptionist presses the key."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.screen import Screen

from deskconsole.keymap import DEFAULT_KEYS
from deskconsole.ui import textual_compat


@dataclass(frozen=True)
class ModeSpec:
    name: str  # mode name, and the catalog key mode.<name>
    key: str | None  # F-key, or None (reached from the palette)
    build: Callable[[], Screen]  # makes the mode's screen when it is first needed


def reception_screen() -> Screen:
    from deskconsole.ui.screens.reception import ReceptionScreen

    return ReceptionScreen()


def phone_screen() -> Screen:
    from deskconsole.ui.screens.phone import PhoneScreen

    return PhoneScreen()


def tickets_screen() -> Screen:
    from deskconsole.ui.screens.tickets import TicketsScreen

    return TicketsScreen()


def etiquette_screen() -> Screen:
    from deskconsole.ui.screens.etiquette import EtiquetteScreen

    return EtiquetteScreen()


def shift_screen() -> Screen:
    from deskconsole.ui.screens.shift import ShiftScreen

    return ShiftScreen()


def registers_screen() -> Screen:
    from deskconsole.ui.screens.registers import RegistersScreen

    return RegistersScreen()


def home_screen() -> Screen:
    from deskconsole.ui.screens.home import HomeScreen

    return HomeScreen()


MODES: tuple[ModeSpec, ...] = (
    # The first mode is where an operator lands after sign-on: most of a desk's work is visitors.
    ModeSpec("reception", DEFAULT_KEYS["mode.reception"], reception_screen),
    ModeSpec("phone", DEFAULT_KEYS["mode.phone"], phone_screen),
    ModeSpec("tickets", DEFAULT_KEYS["mode.tickets"], tickets_screen),
    ModeSpec("etiquette", DEFAULT_KEYS["mode.etiquette"], etiquette_screen),
    ModeSpec("shift", DEFAULT_KEYS["mode.shift"], shift_screen),
    # F9 is the call form's hang-up key, so the registers take F10.
    ModeSpec("registers", DEFAULT_KEYS["mode.registers"], registers_screen),
    ModeSpec("home", None, home_screen),
)


# Screens offered right after sign-on, in order: each step takes the app and returns a Screen to
# show (the next step runs when it is dismissed) or None to skip.
def handover_ack(app) -> Screen | None:
    """DOMAIN §6: read the previous shift's handover first."""
    from deskconsole.ui.modals.handover import ack_after_sign_on

    return ack_after_sign_on(app)


def self_check_offer(app) -> Screen | None:
    """DOMAIN §5: the start-of-shift self-check."""
    from deskconsole.ui.modals.self_check import offer_after_sign_on

    return offer_after_sign_on(app)


def retention_purge(app) -> None:
    """Records past the retention period are anonymised at a supervisor's sign-on."""
    from deskconsole.ui.retention import purge_after_sign_on

    return purge_after_sign_on(app)


def phone_lines_restore(app) -> None:
    """DOMAIN §2: lines live when the console stopped show their bar at once."""
    app.phone_controller.restore()


SIGN_ON_STEPS: tuple[Callable[..., Screen | None], ...] = (
    handover_ack, self_check_offer, retention_purge, phone_lines_restore)


async def build_screens_in_advance(app) -> None:
    """Build the F-key screens not shown yet, one at a time, while the receptionist reads the
    sign-on steps: the first F3 of a shift then costs what every later one does (a screen's
    first build is 0.2-0.4 s of CPU; showing a built one ~10-20 ms). A key pressed meanwhile is
    handled between the steps of the build."""
    import asyncio
    import contextlib
    import gc

    from textual.worker import get_current_worker

    built = []
    for spec in app.mode_specs:
        if app.actor is None:
            return
        if spec.key and not textual_compat.is_mode_built(app, spec.name):
            built.append(await textual_compat.build_mode(app, spec.name))
            await asyncio.sleep(0.05)  # let keys and the visible screen's work go first
    from deskconsole.ui.screens.ticket_view import build_in_advance as ticket_view

    if app.actor is not None and (view := await ticket_view(app)) is not None:
        built.append(view)
    # A screen built before another has not met the default CSS of the widget classes that one
    # mounted first: style those not shown yet with the whole stylesheet now (Textual no longer
    # does it on their first show: textual_compat.styled_as_built), and lay them out so their
    # widgets know their size and the first show needs no layout either.
    # Each is drawn too, once what it loads as it is mounted has come (F5's checks, F6's
    # figures), so its first show draws no cell for the first time.
    for screen in built:
        loads = [worker for worker in app.workers if worker.node is screen]
        if loads:
            with contextlib.suppress(Exception):  # a load that failed was said where it failed
                await app.workers.wait_for_complete(loads)
            if get_current_worker().is_cancelled:  # (Textual's wait turns our cancel into an error)
                return
            await asyncio.sleep(0)  # the widgets take what was loaded
        for step in (textual_compat.style_and_lay_out_unshown, textual_compat.draw_unshown):
            # Between the steps, its widgets take their new sizes (scrollbars come); a sign-off,
            # or the screen shown meanwhile, ends its preparing.
            if app.actor is None or screen is app.screen or not screen.is_attached:
                break
            step(app, screen)
            await asyncio.sleep(0.02)
    # What exists now (screens, catalogs, SQLAlchemy's mappers: ~200k objects) lives as long as
    # the console. Freezing it keeps the collector's full passes, ~100 ms each, from walking it
    # in the middle of a key press; garbage made later is collected as before. Once: a later
    # sign-on would freeze the shift's passing data too.
    if not gc.get_freeze_count():
        gc.collect()
        gc.freeze()
