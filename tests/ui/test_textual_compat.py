"""Each assumption deskconsole makes about Textual's internals (ui/textual_compat/) and the
one about handler order (DeskScreen.on_screen_resume), pinned on a bare App: when a Textual
upgrade moves one, the failure names it here instead of the F-keys quietly slowing down."""

from __future__ import annotations

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.command import CommandPalette
from textual.events import ScreenResume
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label

from deskconsole.ui import textual_compat
from tests.ui.helpers import count_layouts, on_frames, slow_palette_search
from tests.ui.screen_text import screen_lines


class Plain(Screen):
    CSS = "Plain Label { height: 3; }"

    def compose(self) -> ComposeResult:
        yield Label("plain", id="label")
        yield Footer()


class KeepsStyles(Plain):
    async def on_screen_resume(self, event: ScreenResume) -> None:
        event.refresh_styles = False


class TwoModes(App):
    MODES = {"one": Plain, "two": Plain}
    DEFAULT_MODE = "one"


async def test_all_screens_sees_every_mode_and_is_mode_built_only_those_built():
    app = TwoModes()
    async with app.run_test(size=(60, 10)) as pilot:
        assert textual_compat.is_mode_built(app, "one")
        assert not textual_compat.is_mode_built(app, "two")
        await app.switch_mode("two")
        await pilot.pause()
        await app.switch_mode("one")
        await pilot.pause()
        assert textual_compat.is_mode_built(app, "two")
        assert len([s for s in textual_compat.all_screens(app) if isinstance(s, Plain)]) == 2


class Typing(Screen):
    BINDINGS = [("f5", "app.bell", "bell")]

    def compose(self) -> ComposeResult:
        from textual.widgets import Input

        yield Input(id="field")


class Asking(Screen):
    @property
    def is_modal(self) -> bool:
        return True


class WithKeys(App):
    BINDINGS = [("f4", "go", "go"), ("a", "go", "go"), ("f5", "go", "go"),
                Binding("f7", "go", "go", priority=True)]
    SCREENS = {"typing": Typing}

    def action_go(self) -> None:
        pass


async def test_bindings_for_key_are_the_bindings_textual_would_run_for_a_key_not_typed_as_text():
    """ui/key_order.py decides on these which keys wait (Screen._binding_chain)."""
    app = WithKeys()
    async with app.run_test(size=(40, 6)) as pilot:
        await app.push_screen("typing")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "field"
        priority, (namespace, binding) = textual_compat.bindings_for_key(app, "f4")
        assert priority is None and namespace is app and binding.action == "go"
        assert textual_compat.bindings_for_key(app, "a") == (None, None)  # the field takes it as text
        _, (namespace, binding) = textual_compat.bindings_for_key(app, "f5")
        assert namespace is app.screen and binding.action == "app.bell"  # the nearer binding wins
        await app.push_screen(Asking())
        await pilot.pause()
        assert textual_compat.bindings_for_key(app, "f4") == (None, None)  # a modal stops the chain
        (namespace, binding), plain = textual_compat.bindings_for_key(app, "f7")
        assert namespace is app and binding.priority and plain is None  # priority: past the modal


class CountsStops(events.Key):
    stops = 0

    def stop(self, stop: bool = True) -> None:
        super().stop(stop)
        CountsStops.stops += 1


CountsStops.handler_name = events.Key.handler_name


@pytest.mark.parametrize("from_terminal, stops", [(False, 1), (True, 0)])
async def test_a_key_the_app_makes_reaches_it_unstopped_only_as_from_terminal(from_terminal, stops):
    """ui/key_order.py reads a stop of an awaited key as "a widget took it"."""
    app = TwoModes()
    async with app.run_test(size=(40, 6)) as pilot:
        CountsStops.stops = 0

        def make() -> None:  # in the app's context, as DeskApp.on_event makes it
            key = CountsStops("f9", None)
            if from_terminal:
                textual_compat.as_from_terminal(key)
            app.screen.post_message(key)

        app.call_later(make)
        await pilot.pause()
        await pilot.pause()
        assert CountsStops.stops == stops


async def test_build_mode_mounts_a_screen_without_showing_it():
    app = TwoModes()
    async with app.run_test(size=(60, 10)) as pilot:
        shown = app.screen
        screen = await textual_compat.build_mode(app, "two")
        await pilot.pause()
        assert isinstance(screen, Plain) and screen.is_attached and screen.query_one("#label")
        assert app.screen is shown and app.current_mode == "one"
        assert screen in textual_compat.all_screens(app)


class StyledAsBuilt(Plain):
    def __init__(self) -> None:
        super().__init__()
        textual_compat.styled_as_built(self)


class NewModes(App):
    MODES = {"one": Plain, "plain": Plain, "styled": StyledAsBuilt}
    DEFAULT_MODE = "one"


async def test_a_new_mode_screen_restyles_the_app_unless_it_counts_as_styled_as_built():
    """What styled_as_built saves: a screen Textual builds for a mode restyles the whole app
    (App.refresh_css) when first shown; one made styled does not, and is styled all the same."""
    app = NewModes()
    async with app.run_test(size=(60, 10)) as pilot:
        restyled = []
        real = app.refresh_css

        def counting(animate=True):
            restyled.append(app.current_mode)
            real(animate)

        app.refresh_css = counting
        await app.switch_mode("plain")
        await pilot.pause()
        assert restyled  # Textual's own behaviour, which the console avoids
        restyled.clear()
        await app.switch_mode("styled")
        await pilot.pause()
        assert restyled == []
        assert app.screen.query_one("#label").size.height == 3  # its CSS applied
    assert StyledAsBuilt()._css_update_count == -1  # made outside a running app: left alone


async def test_a_screen_styled_in_advance_is_shown_without_restyling_the_app():
    app = TwoModes()
    async with app.run_test(size=(60, 10)) as pilot:
        screen = await textual_compat.build_mode(app, "two")
        await pilot.pause()
        app.stylesheet.add_source("Label { color: red; }", read_from=("test", "grown"))
        app.refresh_css()  # the stylesheet grew after the screen was built, as a screen's .tcss does
        await pilot.pause()
        assert not textual_compat.is_styled_for_current_css(app, screen)
        textual_compat.style_and_lay_out_unshown(app, screen)
        assert textual_compat.is_styled_for_current_css(app, screen)
        assert screen.query_one("#label").size.height == 3  # laid out before it was ever shown
        restyled = []
        app.refresh_css = lambda animate=True: restyled.append(1)
        await app.switch_mode("two")
        await pilot.pause()
        assert app.screen is screen and restyled == []


async def test_on_crash_gets_the_error_instead_of_a_traceback():
    class Crashes(App):
        def on_mount(self) -> None:
            self.set_timer(0.01, self.boom)

        def boom(self) -> None:
            raise ValueError("boom")

    app = Crashes()
    reported = []
    textual_compat.on_crash(app, lambda error: (reported.append(error), app.exit(return_code=1)))
    with pytest.raises(ValueError):
        async with app.run_test() as pilot:
            for _ in range(50):
                if reported:
                    break
                await pilot.pause(0.01)
    assert [str(e) for e in reported] == ["boom"] and app.return_code == 1


def test_footer_key_takes_what_deskfooter_gives_it():
    key = textual_compat.FooterKey("f2", "F2", "Reception", "go('reception')", disabled=True, tooltip="tip",
                                   classes="-command-palette")
    assert (key.key, key.key_display, key.description, key.action) == ("f2", "F2", "Reception", "go('reception')")
    assert key.has_class("-disabled") and key.has_class("-command-palette")


async def test_footer_draws_its_keys_with_footer_key():
    class WithKey(App):
        BINDINGS = [("f2", "bell", "Ring")]

        def compose(self) -> ComposeResult:
            yield Footer()

    app = WithKey()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        keys = list(app.screen.query(textual_compat.FooterKey))
        assert [k.description for k in keys if k.key == "f2"] == ["Ring"]


async def test_the_palette_searches_in_the_worker_group_its_enter_waits_for(monkeypatch):
    """PaletteWaitsForItsSearch reads CommandPalette._GATHER_COMMANDS_GROUP and calls
    _select_or_command once that worker has ended."""
    searched = slow_palette_search(monkeypatch)
    app = App()
    async with app.run_test() as pilot:
        quits = []
        app.action_quit = lambda: quits.append(True)
        app.push_screen(textual_compat.PaletteWaitsForItsSearch())
        await pilot.press("q", "u", "i", "t", "enter")
        palette = app.screen
        assert palette._searching() and palette._enter_waiting
        searched.set()
        for _ in range(10):
            await pilot.pause()
        assert quits == [True] and not isinstance(app.screen, CommandPalette)


@pytest.mark.parametrize(("screen_class", "restyled"), [(Plain, True), (KeepsStyles, False)])
async def test_a_screen_handler_clearing_refresh_styles_runs_before_textuals_restyle(screen_class, restyled):
    class Modes(App):
        MODES = {"one": screen_class, "two": Plain}
        DEFAULT_MODE = "one"

    app = Modes()
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        screen = app.screen
        calls = []
        screen.update_node_styles = lambda animate=True: calls.append(1)
        await app.switch_mode("two")
        await pilot.pause()
        await app.switch_mode("one")  # shown again, as an F-key does
        await pilot.pause()
        assert app.screen is screen and bool(calls) is restyled


def test_no_module_but_textual_compat_touches_textual_or_app_private_names():
    """Private Textual names, Textual's private modules and the App's underscore names are used
    only in ui/textual_compat/ (the App's own module may use its own)."""
    import re
    from pathlib import Path

    import deskconsole.ui

    textual_private = re.compile(
        r"textual\.[a-z_.]*\._[a-z]|_screen_stacks|_init_mode|_css_update_count|_refresh_layout"
        r"|_bindings_ready|_fatal_error|_on_screen_resume|\._exception\b|\._thread_id\b|_compositor|_repaint_required")
    app_private = re.compile(r"\bapp\._[a-z]")
    root = Path(deskconsole.ui.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        if "textual_compat" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if textual_private.search(line) or app_private.search(line):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert found == []


class Typed(App):
    CSS = "#auto { width: auto; }"

    def __init__(self, kind) -> None:
        super().__init__()
        self.kind = kind

    def compose(self) -> ComposeResult:
        yield self.kind(id="field")
        yield self.kind(id="auto")
        yield Label("below")


@pytest.mark.parametrize("quiet", [False, True])
async def test_typing_into_a_field_lays_out_the_screen_only_with_textuals_own_input(monkeypatch, quiet):
    """Textual's Input lays out the whole screen at every key (Input._watch_value sets the
    layout-reactive virtual_size): 15-30 ms a key on the reception screen. The console's Input
    (TypingWithoutLayout) repaints the field only, still scrolls to keep the cursor in view, and
    a field sized by its text still grows."""
    from textual.widgets import Input as TextualInput

    from deskconsole.ui.text import Input

    laid = count_layouts(monkeypatch)
    app = Typed(Input if quiet else TextualInput)
    async with app.run_test(size=(40, 10)) as pilot:
        field = app.query_one("#field")
        await pilot.pause()
        laid[0] = 0
        await pilot.press(*"abc")
        await pilot.pause()
        assert (laid[0] == 0) is quiet
        await pilot.press(*"x" * 60)  # past the field's width: it scrolls
        await pilot.pause()
        assert field.scroll_x > 0 and field.value.endswith("x" * 60)
        field.value = ""  # a form cleared for the next visitor
        await pilot.pause()
        assert field.scroll_x == 0 and (laid[0] == 0) is quiet
        auto = app.query_one("#auto")
        auto.focus()
        width = auto.size.width
        await pilot.press(*"yyyyyyyy")
        await pilot.pause()
        assert auto.size.width > width  # grown with its text: that layout is still asked for
        assert app.screen.get_widget_at(1, 1)[0] is field  # drawn where it was


class Rows(App):
    CSS = "DataTable { height: 8; }"

    def __init__(self, screen_class) -> None:
        super().__init__()
        self.screen_class = screen_class

    def get_default_screen(self) -> Screen:
        return self.screen_class()


class RowsScreen(Screen):
    def compose(self) -> ComposeResult:
        from textual.widgets import DataTable

        yield DataTable()
        yield Label("below")


class RowsDeskScreen(textual_compat.DrawsPendingRepaints, RowsScreen):
    pass


async def _rows_past_its_height(app, pilot):
    """The screen's table with 20 rows, more than it shows: it has its scrollbar."""
    from textual.widgets import DataTable

    table = app.screen.query_one(DataTable)
    table.add_column("name")
    for i in range(20):
        table.add_row(f"row {i}")
    await pilot.pause()
    await pilot.pause()
    return table


@pytest.mark.parametrize(("screen_class", "frames"), [(RowsScreen, 2), (RowsDeskScreen, 1)])
async def test_a_row_added_to_a_scrolled_table_is_one_frame_only_when_pending_repaints_are_drawn(
        screen_class, frames):
    """Textual draws a table's new row in the layout's frame and the scrollbar the layout told of
    the new size in a frame of its own; DrawsPendingRepaints draws both in one."""

    app = Rows(screen_class)
    async with app.run_test(size=(40, 12)) as pilot:
        table = await _rows_past_its_height(app, pilot)
        drawn = []
        display = app._display
        app._display = lambda screen, update: (display(screen, update), update is not None and drawn.append(1))
        table.add_row("one more")
        for _ in range(6):
            await pilot.pause()
        assert len(drawn) == frames


class QuietRows(textual_compat.RowsWithoutLayout, DataTable):
    pass


class QuietRowsScreen(Screen):
    def compose(self) -> ComposeResult:
        yield QuietRows()
        yield Label("below")


@pytest.mark.parametrize("quiet", [False, True])
async def test_rows_added_or_removed_lay_out_the_screen_only_with_textuals_own_table(monkeypatch, quiet):
    """Textual's DataTable lays out the whole screen when its number of rows changes (it sets
    the layout-reactive virtual_size); RowsWithoutLayout repaints the table only while it needs
    no scrollbar, and still draws the rows. Pins that Reactive._set calls the watcher
    (watch_virtual_size) before the refresh it asks for."""
    from textual.widgets import DataTable

    laid = count_layouts(monkeypatch)
    app = Rows(QuietRowsScreen if quiet else RowsScreen)
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.screen.query_one(DataTable)
        table.add_column("name")
        table.add_row("first")
        await pilot.pause()
        await pilot.pause()
        laid[0] = 0
        drawn = on_frames(app, lambda: None)
        for i in range(4):
            table.add_row(f"row {i}")
        await pilot.pause()
        await pilot.pause()
        assert (laid[0] == 0) is quiet
        assert drawn  # repainted: a frame drew the table with its new rows
        assert "row 3" in "\n".join(screen_lines(app))
        laid[0] = 0
        table.remove_row(next(iter(table.rows)))
        await pilot.pause()
        assert (laid[0] == 0) is quiet
        for i in range(20):  # past the table's height (8): its scrollbar comes, with its layout
            table.add_row(f"more {i}")
        await pilot.pause()
        await pilot.pause()
        assert laid[0] > 0 and table.show_vertical_scrollbar


@pytest.mark.parametrize("quiet", [False, True])
async def test_rows_added_to_a_table_that_scrolls_move_its_scrollbar_without_a_layout(monkeypatch, quiet):
    """Once the table has its scrollbar, a row added (a check-in to a long queue) laid out the
    whole screen; the table's own scrollbar is brought up to date instead (Widget._scroll_update),
    as the layout would, and the rows are drawn. Pins Widget._scroll_update."""

    laid = count_layouts(monkeypatch)
    app = Rows(QuietRowsScreen if quiet else RowsScreen)
    async with app.run_test(size=(40, 12)) as pilot:
        table = await _rows_past_its_height(app, pilot)
        assert table.show_vertical_scrollbar
        laid[0] = 0
        for i in range(5):
            table.add_row(f"more {i}")
        await pilot.pause()
        await pilot.pause()
        assert (laid[0] == 0) is quiet
        bar = table.vertical_scrollbar
        assert bar.window_virtual_size == table.virtual_size.height == 26  # a header and 25 rows
        table.move_cursor(row=24)
        await pilot.pause()
        await pilot.pause()
        assert "more 4" in "\n".join(screen_lines(app))
