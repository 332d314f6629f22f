"""Desk overview, reached from the command palette (it has no F-key): the shift, the previous
shift's handover note, what is open at this desk now, and the keys to every screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from deskconsole.ui.screens.base import DeskScreen
from deskconsole.ui.text import DataTable, Label, Static
from deskconsole.ui.widgets.footer import DeskFooter
from deskconsole.ui.widgets.message_line import MessageLine
from deskconsole.ui.widgets.status_bar import StatusBar, fmt_elapsed


class HomeScreen(DeskScreen):
    HELP = "home.help"
    TITLE_KEY = "mode.home"
    BINDINGS: list[Binding] = []

    def compose(self) -> ComposeResult:
        t = self.app.t
        yield StatusBar()
        with Vertical(id="home-body"):
            yield Label(t("home.title"), classes="heading")
            yield Static("", id="home-shift")
            yield Static("", id="home-handover")
            yield Label(t("home.counters"), classes="heading")
            yield DataTable(id="home-counters", show_cursor=False, cursor_type="none")
            yield Label(t("home.keys_title"), classes="heading")
            yield DataTable(id="home-keys", show_cursor=False, cursor_type="none")
        yield MessageLine()
        yield DeskFooter()

    def prepare_widgets(self) -> None:
        t = self.app.t
        counters = self.query_one("#home-counters", DataTable)
        counters.add_columns("", "")
        keys = self.query_one("#home-keys", DataTable)
        keys.add_columns("", "")
        for spec in self.app.mode_specs:
            if spec.key:
                keys.add_row(spec.key.upper(), t(f"mode.{spec.name}"))
        keys.add_row("F1", t("key.help"))
        keys.add_row("Ctrl+P", t("key.palette"))
        keys.add_row("Ctrl+L", t("key.lock"))
        keys.add_row("Ctrl+Q", t("key.quit"))

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_view()

    def refresh_view(self) -> None:
        app = self.app
        t = app.t
        if app.actor is None or app.shift_started is None:
            return
        start = app.shift_started.astimezone(app.config.tz)
        elapsed = (app.clock.now() - app.shift_started).total_seconds()
        self.query_one("#home-shift", Static).update(
            t("home.shift", start=f"{start:%Y-%m-%d %H:%M}", elapsed=fmt_elapsed(elapsed)))
        self.query_one("#home-handover", Static).update(app.handover_note or t("home.handover_none"))
        table = self.query_one("#home-counters", DataTable)
        table.clear()
        for key, value in app.counters.items():
            table.add_row(t(f"counter.{key}"), str(value))
