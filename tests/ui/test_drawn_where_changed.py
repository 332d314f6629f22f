"""A frame that changes a few widgets draws those widgets (textual_compat.DrawsWhatChanged),
and a layout held at Textual's frame step is drawn as the regions it changed, not as the whole
screen. What reaches the terminal is checked against Textual's own compositor at every partial
frame of a tour of the console."""

from __future__ import annotations

import shutil
from collections import Counter

from textual import events
from textual._compositor import Compositor
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Label

from deskconsole.clock import FakeClock
from deskconsole.db.store import Store
from deskconsole.ui import textual_compat
from deskconsole.ui.textual_compat.compositor import DrawsWhatChanged
from tests.ui.helpers import build_app, on_frames
from tests.ui.test_drawing import Screens
from tests.ui.test_no_repaint_while_drawing import NOW, tour, week  # noqa: F401 - the fixture


class Three(Screen):
    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("top", id="top")
            for i in range(8):
                yield Label(f"between {i}", classes="between")
            yield Label("bottom", id="bottom")


class DeskThree(textual_compat.DrawsPendingRepaints, Three):
    pass


def _asked_for_lines(monkeypatch) -> Counter:
    asked: Counter = Counter()
    render_lines = Label.render_lines

    def noted(self, crop):
        asked[self.id or "between"] += 1
        return render_lines(self, crop)

    monkeypatch.setattr(Label, "render_lines", noted)
    return asked


async def test_a_frame_asks_only_the_widgets_that_changed_for_their_lines(monkeypatch):
    """The top and the bottom line change: Textual asked every widget between them too (the
    box around both changes is the screen); the console's screen asks the two."""
    for screen_class, between in ((Three, True), (DeskThree, False)):
        app = Screens(screen_class)
        async with app.run_test(size=(40, 12)) as pilot:
            await pilot.pause()
            top, bottom = app.screen.query_one("#top", Label), app.screen.query_one("#bottom", Label)
            asked = _asked_for_lines(monkeypatch)
            drawn = on_frames(app, lambda top=top, bottom=bottom: (str(top.render()), str(bottom.render())))
            top.update("TOP", layout=False)
            bottom.update("BOTTOM", layout=False)
            await pilot.pause()
            monkeypatch.undo()
            assert drawn[-1] == ("TOP", "BOTTOM")
            assert asked["top"] and asked["bottom"]
            assert bool(asked["between"]) is between, screen_class


async def test_a_layout_held_at_the_frame_step_is_drawn_as_its_regions_not_the_whole_screen(monkeypatch):
    """A frame held at Textual's frame step (the screen still had messages queued) kept the
    layout's regions as a repaint of the whole screen: after each check-in whose row scrolled
    the queue, every widget of the reception screen was drawn again."""
    app = Screens(DeskThree)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        screen = app.screen
        top = screen.query_one("#top", Label)
        drawn = on_frames(app, lambda: str(top.render()))
        top.update("top, and longer")  # a layout
        top._repaint_required = top._layout_required = False  # as if handled by the screen:
        screen._dirty_widgets.add(top)
        screen._layout_required = True
        screen.post_message(events.Callback(callback=lambda: None))  # still queued at the tick
        screen._drawn_at = 0.0
        screen._on_timer_update()  # Textual's frame step: lays out, the frame is held
        assert drawn == [] and not screen._repaint_required
        asked = _asked_for_lines(monkeypatch)
        await pilot._wait_for_screen()
        monkeypatch.undo()
        assert drawn == ["top, and longer"]
        assert asked["top"] and not asked["between"] and not asked["bottom"]


async def test_a_frame_waits_for_the_repaints_and_layouts_queued_for_the_screen_however_many():
    """Opening a ticket queued five messages for its screen at Textual's frame tick (the
    header's, steps' and follow-ups' new sizes, two repaints): more than the few a frame waits
    for, so the frame was drawn before them and the screen laid out and drawn again after."""
    from textual import messages

    app = Screens(DeskThree)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        screen = app.screen
        top = screen.query_one("#top", Label)
        drawn = on_frames(app, lambda: str(top.render()))
        top.update("TOP", layout=False)
        top._repaint_required = False
        screen._dirty_widgets.add(top)
        between = list(screen.query(".between"))
        for label in between[:3]:
            screen.post_message(messages.Layout(label))
        for label in between[3:6]:
            screen.post_message(messages.Update(label))
        screen._drawn_at = 0.0
        screen._on_timer_update()  # Textual's frame tick, six repaints and layouts queued
        assert drawn == []
        await pilot._wait_for_screen()
        assert drawn == ["TOP"]


class Longer(Screen):
    def compose(self) -> ComposeResult:
        from deskconsole.ui.text import Label as DeskLabel

        with Vertical():
            yield Label("textual's", id="theirs")
            yield DeskLabel("the console's", id="ours")


async def test_a_label_resized_by_a_layout_asks_for_no_second_layout(monkeypatch):
    """Textual's layout tells a resized widget its new size through a reactive that lays the
    whole screen out again: each layout that resized a label (an opened ticket's header, the
    footer's keys) was followed by a second one and a frame of its own."""
    from tests.ui.helpers import count_layouts

    app = Screens(Longer)
    async with app.run_test(size=(60, 8)) as pilot:
        await pilot.pause()
        laid = {}
        for name in ("theirs", "ours"):
            label = app.screen.query_one(f"#{name}", Label)
            layouts = count_layouts(monkeypatch)
            label.update(f"{name}, and a good deal longer than before")
            await pilot.pause()
            await pilot.pause()
            monkeypatch.undo()
            laid[name] = layouts[0]
            assert label.size.width == len(f"{name}, and a good deal longer than before")
        assert laid == {"theirs": 2, "ours": 1}


def _compared_with_textuals(monkeypatch) -> list:
    """At every partial frame, what Textual's own compositor would write for the same changed
    regions, against what the console's writes: a list of the frames that differ."""
    differ: list = []
    ours = DrawsWhatChanged.render_partial_update
    frames = [0]

    def both(self):
        regions = set(self._dirty_regions)
        update = ours(self)
        self._dirty_regions = set(regions)
        self.__class__ = Compositor
        try:
            theirs = Compositor.render_partial_update(self)
        finally:
            self.__class__ = DrawsWhatChanged
        frames[0] += 1
        console = self_console[0]
        written = [] if update is None else list(update.__rich_console__(console, console.options))
        expected = [] if theirs is None else list(theirs.__rich_console__(console, console.options))
        if written != expected:
            differ.append((sorted(regions), len(written), len(expected)))
        return update

    self_console: list = [None]
    monkeypatch.setattr(DrawsWhatChanged, "render_partial_update", both)
    return differ, frames, self_console


async def test_every_partial_frame_writes_what_textuals_compositor_writes(week, tmp_path, monkeypatch):  # noqa: F811
    work = tmp_path / "desk.db"
    shutil.copy(week, work)
    store = Store(f"sqlite:///{work}")
    app = build_app(store, FakeClock(NOW), tmp_path, language="zh-CN", desk_name="desk-1", idle_lock_minutes=0)
    differ, frames, console = _compared_with_textuals(monkeypatch)
    async with app.run_test(size=(100, 30)) as pilot:
        console[0] = app.console
        await tour(pilot, store)
        assert app.actor is not None
    assert frames[0] > 20  # the tour drew partial frames
    assert differ == []
