"""Ctrl+P and a command typed after it in one burst, Enter included: the command typed runs,
not whatever was first in the palette's list before it had filtered."""


from textual import events
from textual.command import CommandPalette
from textual.widgets import Input

from deskconsole.ui.screens.lock import LockScreen
from tests.ui.helpers import build_app, seed_operator, settle, sign_on, slow_palette_search


async def test_a_command_typed_in_a_burst_after_ctrl_p_runs_that_command(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        home = app.screen
        for key, char in [("ctrl+p", None), *((c, c) for c in "lock"), ("enter", "\r")]:
            app.post_message(events.Key(key, char))  # all read before the palette is up
        # The palette closes, then runs the command from the app's queue: on a loaded machine
        # (the whole suite on every core) that came after two settles, with the palette gone
        # and the desk not yet locked. Waited for, a few frames at most; a command that never
        # runs, or the wrong one, still fails here.
        for _ in range(100):
            await settle(pilot)
            if isinstance(app.screen, LockScreen) or app.screen is not home and not isinstance(app.screen, CommandPalette):
                break
            await pilot.pause(0.01)
        assert isinstance(app.screen, LockScreen), type(app.screen).__name__


async def test_enter_read_before_the_search_has_ended_acts_on_what_was_typed(
        sqlite_store, clock, tmp_path, monkeypatch):
    """What a busy lobby PC does to the burst above, made certain: the palette's search for
    "lock" has not ended when Enter is read. Enter picked the first line still shown (the
    commands offered before anything was typed: Home) and closed the palette; it now waits for
    the search and locks the desk."""
    seed_operator(sqlite_store, clock)
    searched = slow_palette_search(monkeypatch)
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        went = []
        app.action_go = went.append
        for key, char in [("ctrl+p", None), *((c, c) for c in "lock"), ("enter", "\r")]:
            app.post_message(events.Key(key, char))
        for _ in range(20):  # every key read, Enter included; the search still going
            await pilot.pause()
        assert isinstance(app.screen, CommandPalette) and went == []
        searched.set()
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, LockScreen) and went == []


async def test_keys_typed_after_a_waiting_enter_go_to_what_the_command_opens(
        sqlite_store, clock, tmp_path, monkeypatch):
    """Ctrl+P, lock, Enter, then the PIN and Enter, in one burst on a busy machine: the PIN went
    into the palette's field ("lock2468", no match, the PIN in clear on screen). It now waits
    for the lock screen and unlocks the desk."""
    seed_operator(sqlite_store, clock)
    searched = slow_palette_search(monkeypatch)
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        locked = []
        lock = app.action_lock
        app.action_lock = lambda: (locked.append(True), lock())[1]
        burst = [("ctrl+p", None), *((c, c) for c in "lock"), ("enter", "\r"), *((c, c) for c in "2468"),
                 ("enter", "\r")]
        for key, char in burst:
            app.post_message(events.Key(key, char))
        for _ in range(20):
            await pilot.pause()
        palette = app.screen
        assert isinstance(palette, CommandPalette) and palette.query_one(Input).value == "lock"
        searched.set()
        for _ in range(10):
            await settle(pilot)
            if locked and not app.locked:
                break
        assert locked == [True] and not app.locked and not isinstance(app.screen, (CommandPalette, LockScreen))


async def test_a_second_enter_once_a_command_is_chosen_does_not_stop_the_console(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await pilot.press("ctrl+p", *"lock")
        await settle(pilot)
        app.post_message(events.Key("enter", "\r"))
        app.post_message(events.Key("enter", "\r"))
        for _ in range(5):
            await settle(pilot)
        assert isinstance(app.screen, LockScreen) and app.return_code is None
