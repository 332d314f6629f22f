"""The reception script panel shows its whole phrase at every step: with `height: auto` and a
change of step only repainted, a phrase one line longer lost its last line (the "unsure"
phrase while a name was typed) and a shorter one left a blank row (found at 80x24 with Tab
into the queue and Ctrl+N). It is now as tall as the tallest phrase at its width, so a change of
step moves nothing; a visitor's name that makes a phrase longer still grows it."""

import pytest

from deskconsole.ui.widgets.script_panel import STEPS, ScriptPanel
from tests.ui.helpers import build_app, seed_operator, settle
from tests.ui.test_reception import open_reception


def _lines(panel: ScriptPanel) -> int:
    return len(panel.render().wrap(panel.app.console, panel.content_region.width))


@pytest.mark.parametrize(("language", "size"), [("zh-CN", (100, 30)), ("en", (100, 30)), ("zh-CN", (80, 24))])
async def test_the_script_panel_shows_every_phrase_whole_and_keeps_its_height(
        sqlite_store, clock, tmp_path, language, size):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language=language)
    async with app.run_test(size=size) as pilot:
        await open_reception(pilot)
        panel = app.screen.query_one(ScriptPanel)
        # The test sets the steps itself: the screen's own following of the focus is turned off,
        # or a focus arriving late on a loaded machine (the form's name field) set "greet" back.
        panel.follow = lambda *args, **kwargs: None
        heights, seen = set(), set()
        for step in (*STEPS, *reversed(STEPS)):
            panel.show(step, "")
            await settle(pilot)
            assert panel.step == step
            seen.add(_lines(panel))
            heights.add(panel.outer_size.height)
            assert panel.size.height >= _lines(panel), step  # nothing cut off
        assert len(seen) > 1 and len(heights) == 1  # phrases of different lengths, one height
        panel.show("apology", "欧阳娜娜女士" * 8)  # a name long enough to take more lines
        await settle(pilot)
        assert panel.size.height >= _lines(panel) > max(seen)
