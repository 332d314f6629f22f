"""F5 and F6 reload what they show whenever they are shown after a write or 30 s away, and the
live shift every 30 s. A reload that finds the same figures and checks must neither lay the
screen out nor repaint what it shows: it drew and laid out the whole summary (sections, charts,
the handover table) and refilled the etiquette history, 25-30 ms of every such F5 and F6."""

from __future__ import annotations

import pytest

from deskconsole.ui.widgets.footer import DeskFooter
from deskconsole.ui.widgets.message_line import MessageLine
from deskconsole.ui.widgets.status_bar import StatusBar
from tests.ui.helpers import build_app, count_layouts, seed_operator, settle, sign_on
from tests.ui.screen_text import screen_lines
from tests.ui.test_shift import open_items_for


def count_repaints(monkeypatch, screen) -> list:
    """From now on, the widgets of `screen` that asked to be drawn again (the status bar's
    clock, the footer and the message line are not what a reload shows)."""
    from textual.widget import Widget

    asked = []
    real = Widget.refresh
    skip = (StatusBar, DeskFooter, MessageLine)

    def spying(self, *args, **kw):
        if self is not screen and screen in self.ancestors and not any(
                isinstance(node, skip) for node in (self, *self.ancestors)):
            asked.append(f"{type(self).__name__}#{self.id}")
        return real(self, *args, **kw)

    monkeypatch.setattr(Widget, "refresh", spying)
    return asked


@pytest.mark.parametrize("key", ["f5", "f6"])
async def test_a_reload_that_finds_nothing_new_draws_and_lays_out_nothing(sqlite_store, clock, tmp_path,
                                                                         monkeypatch, key):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        open_items_for(sqlite_store, app.actor, clock)  # figures, handover rows, a history
        await pilot.press(key)
        await settle(pilot)
        screen = app.screen
        shown = [str(w.render()) for w in screen.query("Static, Label") if w.display]
        laid = count_layouts(monkeypatch)
        asked = count_repaints(monkeypatch, screen)
        screen.refresh_view()
        await settle(pilot)
        assert (laid[0], asked) == (0, [])
        assert [str(w.render()) for w in screen.query("Static, Label") if w.display] == shown


async def test_a_reload_with_a_new_figure_shows_it(sqlite_store, clock, tmp_path):
    """The other half: what changed is drawn."""
    from deskconsole.models import Call

    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await pilot.press("f6")
        await settle(pilot)
        calls = app.screen.query_one("#section-calls")
        before = list(calls.lines)
        st = app.actor.stamps()
        sqlite_store.write(lambda s: s.add(Call(started_at=clock.now(), status="missed", ended_at=clock.now(),
                                                phone="13800138000", **st)))
        app.screen.refresh_view()
        await settle(pilot)
        assert calls.lines != before
        assert any(line.startswith("│ ! Missed") and line.split("│")[1].split()[-1] == "1"
                   for line in screen_lines(app))
