"""What the console draws, and when (ui/textual_compat/): table cells drawn without Rich's
render pipeline, the focus moved without drawing the whole screen, a change drawn as soon as
it is ready, a column widened after its lines were drawn. Each against Textual's own, so a
Textual upgrade that changes what these lean on fails here by name."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.command import CommandPalette
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable as TextualTable
from textual.widgets import Input, Label

from deskconsole.ui import textual_compat
from deskconsole.ui.modals.base import DeskModal
from deskconsole.ui.text import DataTable
from deskconsole.ui.widgets.paged_table import PagedTable
from tests.ui.helpers import on_frames

CELLS = [
    "", "王", "张伟 Zhang Wei", "a[/b]", "[bold]x[/]", "🙂 ok", "e\u0301te", "１２３",
    Text("逾期 3h", style="bold red"), Text.assemble(("逾期", "red"), " 3h"),
    Text("span over base", style="italic", spans=[]), Text("abcdef"),
]


def _styled(text: Text) -> Text:
    text.stylize("reverse", 1, 3)
    text.stylize("underline", 2, 5)
    return text


CELLS += [_styled(Text("overlapping", style="green")), _styled(Text("王伟明先生"))]
WIDTH = 18


class OneTable(App):
    def __init__(self, table) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        yield self.table


async def test_a_cell_that_fits_is_drawn_as_textual_draws_it_without_rich_rendering_it(monkeypatch):
    table = DataTable()
    app = OneTable(table)
    async with app.run_test(size=(60, 20)) as pilot:
        for i in range(4):
            table.add_column(f"c{i}", width=WIDTH)
        for start in range(0, len(CELLS), 4):
            table.add_row(*(CELLS[start:start + 4] + ["", "", ""])[:4])
        await pilot.pause()
        rendered = []
        render_lines = app.console.render_lines
        monkeypatch.setattr(app.console, "render_lines", lambda *a, **k: (rendered.append(1), render_lines(*a, **k))[1])
        base = table.rich_style
        for row in range(table.row_count):
            for column in range(4):
                for cursor, hover in ((False, False), (True, False), (False, True), (True, True)):
                    table._cell_render_cache.clear()
                    rendered.clear()
                    ours = table._render_cell(row, column, base, WIDTH, cursor, hover)
                    assert not rendered  # drawn without Rich's pipeline
                    table._cell_render_cache.clear()
                    theirs = TextualTable._render_cell(table, row, column, base, WIDTH, cursor, hover)
                    assert rendered  # Textual's own, through it
                    assert ours == theirs, (row, column, cursor, hover)
        # What does not fit (or is not one line) goes through Textual: the same lines, by Rich.
        table.add_row("far too long for its column, really", "two\nlines", "", "")
        await pilot.pause()
        table._cell_render_cache.clear()
        row = table.row_count - 1
        assert table._render_cell(row, 0, base, WIDTH) == TextualTable._render_cell(table, row, 0, base, WIDTH)
        assert table._render_cell(row, 1, base, WIDTH) == TextualTable._render_cell(table, row, 1, base, WIDTH)
        assert rendered


def test_textual_console_justifies_nothing():
    """CellsDrawnDirectly leaves justification to Textual; it counts on none set for the console."""
    app = App()
    assert app.console_options.justify in (None, "default")


class TwoFields(Screen):
    def compose(self) -> ComposeResult:
        yield Input(id="one")
        yield Input(id="two")
        yield Label("a line that need not be drawn again")


class DeskFields(textual_compat.DrawsPendingRepaints, TwoFields):
    pass


class Screens(App):
    def __init__(self, screen_class) -> None:
        super().__init__()
        self.screen_class = screen_class

    def get_default_screen(self) -> Screen:
        return self.screen_class()


@pytest.mark.parametrize(("screen_class", "whole"), [(TwoFields, True), (DeskFields, False)])
async def test_moving_the_focus_draws_the_whole_screen_only_on_textuals_own_screen(screen_class, whole):
    app = Screens(screen_class)
    async with app.run_test(size=(40, 10)) as pilot:
        screen = app.screen
        screen.set_focus(screen.query_one("#one"))
        await pilot.pause()
        screen._repaint_required = False
        screen.set_focus(screen.query_one("#two"))
        assert screen._repaint_required is whole
        await pilot.pause()
        assert app.focused is screen.query_one("#two")


class Message(Screen):
    def compose(self) -> ComposeResult:
        yield Label("before", id="line")


class DeskMessage(textual_compat.DrawsPendingRepaints, Message):
    pass


@pytest.mark.parametrize(("screen_class", "at_once"), [(Message, False), (DeskMessage, True)])
async def test_a_change_is_drawn_once_ready_only_on_the_console_screen(screen_class, at_once):
    """With Textual's frame timer stopped, a change reaches the terminal only if the screen draws
    it as soon as it and its widgets are done with their messages."""
    app = Screens(screen_class)
    async with app.run_test(size=(40, 6)) as pilot:
        await pilot.pause()
        assert await _drawn_without_the_timer(app, pilot) is at_once


async def _drawn_without_the_timer(app, pilot) -> bool:
    """Whether a change of the current screen's #line reaches the terminal with Textual's frame
    timer stopped."""
    screen = app.screen
    screen._update_timer.pause()
    screen._update_timer.resume = lambda: None  # Textual's 60 fps frame tick never comes
    screen._drawn_at = 0.0
    drawn = on_frames(app, lambda: None)
    screen.query_one("#line", Label).update("after")
    for _ in range(4):
        await pilot._wait_for_screen()
    return bool(drawn)


async def test_a_change_ready_just_after_a_frame_is_drawn_a_gap_after_it_not_at_the_timers_tick(monkeypatch):
    app = Screens(DeskMessage)
    async with app.run_test(size=(40, 6)) as pilot:
        screen = app.screen
        await pilot.pause()
        screen._update_timer.pause()
        screen._update_timer.resume = lambda: None
        # The console's frame clock held still: a loaded machine takes longer than the gap
        # between two idle moments, which drew the change at once (a flaky failure).
        now = textual_compat.drawing._monotonic()
        monkeypatch.setattr(textual_compat.drawing, "_monotonic", lambda: now)
        screen._drawn_at = now  # a frame drawn just now
        due = []
        loop = asyncio.get_running_loop()
        call_later = loop.call_later

        def noting(delay, callback, *args, **kwargs):
            if getattr(callback, "__self__", None) is screen:  # the screen's draw: noted, not run
                due.append((delay, callback))
                return None
            return call_later(delay, callback, *args, **kwargs)

        loop.call_later = noting
        try:
            drawn = on_frames(app, lambda: None)
            screen.query_one("#line", Label).update("after")
            for _ in range(4):
                await pilot._wait_for_screen()
        finally:
            loop.call_later = call_later
        assert not drawn
        assert len(due) == 1  # one draw asked for, however many idle moments came before it
        delay, draw = due[0]
        assert 0 < delay <= textual_compat.drawing._GAP + 1e-9  # (now + gap) - now is not exactly the gap
        screen._drawn_at -= 2 * textual_compat.drawing._GAP  # the gap has passed
        draw()
        assert drawn


class DeskRows(textual_compat.DrawsPendingRepaints, Screen):
    def compose(self) -> ComposeResult:
        yield PagedTable(id="rows")


async def test_rows_are_drawn_once_the_table_has_measured_them_not_at_the_timers_tick():
    """A table measures new rows when it is idle, after the screen's own idle moment (not ready
    then: a widget shown still had messages); the screen asks again once that widget is done.
    An opened ticket's history waited up to two of Textual's frame periods for its frame."""
    app = Screens(DeskRows)
    async with app.run_test(size=(40, 8)) as pilot:
        screen = app.screen
        table = screen.query_one("#rows", PagedTable)
        table.add_column("what")
        await pilot.pause()
        screen._update_timer.pause()
        screen._update_timer.resume = lambda: None  # Textual's 60 fps frame tick never comes
        screen._drawn_at = 0.0
        drawn = on_frames(app, lambda: None)
        table.show_rows([["note 1"], ["note 2"]], cursor=1)
        for _ in range(4):
            await pilot._wait_for_screen()
        assert drawn and not table._require_update_dimensions


class Over(textual_compat.DrawsPendingRepaints, Screen):
    def compose(self) -> ComposeResult:
        yield Label("a ticket")


class Dialog(ModalScreen):
    def compose(self) -> ComposeResult:
        yield Label("a question")


@pytest.mark.parametrize(("cover", "drawn"), [(Over, False), (Dialog, True)])
async def test_a_change_under_an_opaque_screen_draws_no_frame_but_one_under_a_dialog_does(cover, drawn):
    """Textual hands a change on the screen beneath the top one to the top screen as a region
    to repaint, even when the top screen hides it: Enter on the ticket queue (Textual repaints
    the queue as it covers it) drew the opened ticket whole once more. Under a dialog, whose
    background lets the screen beneath show, it is drawn."""
    app = Screens(DeskMessage)
    async with app.run_test(size=(40, 6)) as pilot:
        under = app.screen
        await app.push_screen(cover())
        await pilot.pause()
        await pilot.pause()
        frames = on_frames(app, lambda: None)
        under.query_one("#line", Label).update("changed")
        await pilot.pause()
        await pilot.pause()
        assert bool(frames) is drawn


class Form(ModalScreen):
    def compose(self) -> ComposeResult:
        yield Label("before", id="line")


class DeskForm(DeskModal):
    def compose(self) -> ComposeResult:
        yield Label("before", id="line")


@pytest.mark.parametrize(("form_class", "at_once"), [(Form, False), (DeskForm, True)])
async def test_a_change_on_a_dialog_is_drawn_once_ready_only_on_the_consoles(form_class, at_once):
    """A form over a screen (the call form, the ticket form): a key typed into it is drawn as
    soon as the form is done with it, not at the frame timer's next tick."""
    app = Screens(DeskMessage)
    async with app.run_test(size=(40, 6)) as pilot:
        await app.push_screen(form_class())
        await pilot.pause()
        assert await _drawn_without_the_timer(app, pilot) is at_once


def test_every_dialog_of_the_console_draws_as_its_screens_do():
    import importlib
    import pkgutil

    import deskconsole.ui.modals as package

    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{info.name}")
    todo, dialogs = [ModalScreen], []
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            # Textual's command palette (lets the screen beneath show) draws as Textual draws
            # it; the console's subclass changes only what Enter does.
            if sub.__module__.startswith("deskconsole.") and not issubclass(sub, CommandPalette):
                dialogs.append(sub)
    assert len(dialogs) >= 20
    assert [d.__name__ for d in dialogs if not issubclass(d, textual_compat.DrawsPendingRepaints)] == []


class QuietTextualTable(textual_compat.RowsWithoutLayout, TextualTable):
    pass


class FixedTable(App):
    CSS = "DataTable { height: 5; }"

    def __init__(self, table) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        yield self.table


@pytest.mark.parametrize(("table_class", "widened"), [(QuietTextualTable, False), (PagedTable, True)])
async def test_a_row_drawn_before_its_column_was_measured_is_drawn_again_at_the_new_width(
        table_class, widened):
    """Textual measures a new row's cells when the table is idle and keeps the lines it drew
    before at the old width (a table of a fixed size that is not laid out again is not told to
    forget them); the console's table draws them again."""
    table = table_class()
    app = FixedTable(table)
    async with app.run_test(size=(60, 8)) as pilot:
        table.add_column("name")
        table.add_row("Li")
        await pilot.pause()
        table.add_row("Ouyang Xiaoming")
        for y in range(table.size.height):  # drawn now, before the table measured the new row
            table.render_line(y)
        await pilot.pause()
        await pilot.pause()
        text = "\n".join(table.render_line(y).text for y in range(3))
        assert ("Ouyang Xiaoming" in text) is widened


@asynccontextmanager
async def _a_line_drawn():
    """A console screen with one label: (pilot, screen, label, the label's text at each frame)."""
    app = Screens(DeskMessage)
    async with app.run_test(size=(40, 6)) as pilot:
        await pilot.pause()
        screen = app.screen
        label = screen.query_one("#line", Label)
        yield pilot, screen, label, on_frames(app, lambda: str(label.render()))


async def test_a_layout_held_at_the_timers_tick_is_drawn_once_the_queue_is_handled():
    """Textual's frame step lays the screen out, has the frame drawn, then clears the widgets it
    had to draw: a layout held there must survive that (it was lost, and the change stayed off
    the terminal until something else was drawn)."""
    from textual import events

    async with _a_line_drawn() as (pilot, screen, label, drawn):
        label.update("after, and longer")  # a layout
        label._repaint_required = label._layout_required = False  # as if handled by the screen:
        screen._dirty_widgets.add(label)
        screen._layout_required = True
        screen.post_message(events.Callback(callback=lambda: None))  # still queued at the tick
        screen._drawn_at = 0.0  # no frame drawn lately
        screen._on_timer_update()  # Textual's frame tick
        assert drawn == []
        await pilot._wait_for_screen()
        assert drawn == ["after, and longer"]


async def test_a_held_frame_is_drawn_a_frame_period_later_while_the_queue_stays_busy(monkeypatch):
    """Textual draws from its frame timer, and a switch draws its layout at once, while the
    screen may still hold repaints or its resume in its queue: drawn then, they took a frame of
    their own (an F-key drew its screen twice). The console's screen holds such a frame until
    its queue is handled, _HOLD at most: a queue that stays busy does not keep it off screen."""
    from textual import events

    from deskconsole.ui.textual_compat import drawing

    async with _a_line_drawn() as (_pilot, screen, label, drawn):
        now = drawing._monotonic()
        monkeypatch.setattr(drawing, "_monotonic", lambda: now)
        due = []
        loop = asyncio.get_running_loop()
        monkeypatch.setattr(loop, "call_later", lambda delay, callback, *a: due.append((delay, callback)))
        label.update("after", layout=False)
        label._repaint_required = False
        screen._dirty_widgets.add(label)
        screen.post_message(events.Callback(callback=lambda: None))  # the queue stays busy
        screen._on_timer_update()
        assert drawn == [] and [delay for delay, _ in due] == [drawing._HOLD]
        due[0][1]()  # a frame period later, the queue still not handled
        assert drawn == ["after"]
