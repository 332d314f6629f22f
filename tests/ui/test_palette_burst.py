"""Ctrl+P and a command typed after it in one burst, Enter included: the command typed runs,
not whatever was first in the palette's list before it had filtered."""

from textual import events

from deskconsole.ui.screens.lock import LockScreen
from tests.ui.helpers import build_app, seed_operator, settle, sign_on


async def test_a_command_typed_in_a_burst_after_ctrl_p_runs_that_command(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        for key, char in [("ctrl+p", None), *((c, c) for c in "lock"), ("enter", "\r")]:
            app.post_message(events.Key(key, char))  # all read before the palette is up
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, LockScreen), type(app.screen).__name__
