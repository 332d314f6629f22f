"""Building and driving the console in Pilot tests: keys only (STYLE §9)."""

from __future__ import annotations

import asyncio

from deskconsole.services import operators
from deskconsole.ui.app import DeskApp
from tests.conftest import make_config


def seed_operator(store, clock, staff_no="101", name="李娜", role="receptionist", pin="2468"):
    return store.write(lambda s: operators.create_operator(
        s, staff_no=staff_no, name=name, role=role, pin=pin, now=clock.now()))


def build_app(store, clock, tmp_path, language="en", **config) -> DeskApp:
    app = DeskApp(config=make_config(tmp_path, language=language, **config), store=store, clock=clock)
    app.animation_level = "none"
    app.cursor_blink = False  # snapshots must not depend on the blink phase
    app.prepare_screens = False  # ~1 s of CPU per sign-on; tests/ui/test_shell.py covers it
    return app


async def settle(pilot) -> None:
    """Let workers finish and the screen catch up (no sleeping)."""
    from textual.worker import WorkerCancelled

    await pilot.pause()
    for _ in range(5):
        try:
            await pilot.app.workers.wait_for_complete()
            break
        except WorkerCancelled:
            # An exclusive worker (the 2 s counters poll) was replaced by a newer one while
            # we waited: on a loaded machine this is normal; wait for the newer one.
            await pilot.pause()
    await pilot.pause()


async def type_text(pilot, text: str) -> None:
    """Type text key by key (CJK included): what a keyboard or IME delivers."""
    for ch in text:
        await pilot.press(ch)


async def sign_on(pilot, staff_no="101", pin="2468", self_check: str = "skip") -> None:
    """Sign on by keys. The start-of-shift self-check offered after sign-on (etiquette,
    DOMAIN §5) is skipped by keys (Esc, y) unless self_check="keep" leaves it open."""
    await settle(pilot)
    await type_text(pilot, staff_no)
    await pilot.press("enter")
    await type_text(pilot, pin)
    await pilot.press("enter")
    await settle(pilot)
    if self_check == "skip":
        await skip_self_check(pilot)
    else:
        await wait_for_self_check(pilot)


async def wait_for_self_check(pilot, rounds: int = 200):
    """The self-check offer is pushed after sign-on once the screen has refreshed (a sign-on
    step), so under load it can come a moment after `settle`. Wait for it while it is due
    (signed on, no other modal showing, this shift has no self-check yet); return the offer
    screen, or None when none is coming."""
    from textual.screen import ModalScreen

    from deskconsole.services import etiquette
    from deskconsole.ui.modals.self_check import SelfCheckModal

    app = pilot.app
    for _ in range(rounds):
        if isinstance(app.screen, SelfCheckModal):
            return app.screen
        if app.actor is None or isinstance(app.screen, ModalScreen):
            return None
        with app.store.read() as s:
            if etiquette.has_self_check(s, app.actor.shift_id):
                return None
        await pilot.pause()
    return None


async def skip_self_check(pilot) -> None:
    """If the self-check offer is showing (or about to), skip it by keys: Esc, then y (recorded)."""
    if await wait_for_self_check(pilot) is not None:
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)


def count_layouts(monkeypatch) -> list[int]:
    """From now on, [how many times a screen was laid out] (Screen._refresh_layout: the layout of
    every widget of the screen that a key should not cost)."""
    from textual.screen import Screen

    laid = [0]
    real = Screen._refresh_layout

    def counting(self, *args, **kw):
        laid[0] += 1
        return real(self, *args, **kw)

    monkeypatch.setattr(Screen, "_refresh_layout", counting)
    return laid


def on_frames(app, note) -> list:
    """From now on, `note()` at every frame the app draws (after it is drawn): what the screen
    showed, frame by frame."""
    seen: list = []
    display = app._display

    def noting(screen, renderable) -> None:
        display(screen, renderable)
        if renderable is not None:
            seen.append(note())

    app._display = noting
    return seen


def slow_palette_search(monkeypatch) -> asyncio.Event:
    """The command palette's search for typed text waits until the returned event is set: a
    busy machine, where the keys after it are read before the search has ended."""
    from textual.command import CommandPalette

    searched = asyncio.Event()
    search_for = CommandPalette._search_for

    async def slow_search(self, value):
        if value:
            await searched.wait()
        async for hit in search_for(self, value):
            yield hit

    monkeypatch.setattr(CommandPalette, "_search_for", slow_search)
    return searched
