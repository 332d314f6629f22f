"""F12: what the console said this session, newest first (the message line shows only the
last one). The text is shown as it was said: data, not markup (STYLE §14)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from deskconsole.ui.modals.base import DeskModal
from deskconsole.ui.text import DataTable, Label
from deskconsole.ui.widgets.message_line import one_line

SEVERITY_STYLE = {"information": "", "warning": "bold yellow", "error": "bold red"}


class MessagesModal(DeskModal[None]):
    CLOSED_BY_SCREEN_KEYS = True  # shows only: an F-key closes it and goes on (DeskApp)
    DEFAULT_CSS = """
    MessagesModal { align: center middle; }
    MessagesModal > Vertical { width: 96%; height: 80%; border: thick $primary; padding: 0 1; background: $surface; }
    MessagesModal DataTable { height: 1fr; }
    MessagesModal .keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape,f12", "close", "key.close", id="messages.close"),
    ]

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical():
            yield Label(t("messages.title"), classes="heading")
            yield DataTable(id="messages", cursor_type="row", zebra_stripes=True)
            yield Label(t("messages.keys"), classes="keys")

    def on_mount(self) -> None:
        app = self.app
        t = app.t
        table = self.query_one(DataTable)
        table.add_columns(t("messages.col.time"), t("messages.col.severity"), t("messages.col.text"))
        entries = app.messages.newest_first()
        for m in entries:
            style = SEVERITY_STYLE.get(m.severity, "")
            table.add_row(f"{m.at.astimezone(app.config.tz):%H:%M:%S}",
                          Text(t(f"messages.severity.{m.severity}"), style=style),
                          Text(one_line(m.text).plain, no_wrap=True, overflow="ellipsis"))
        if not entries:
            table.add_row("", "", t("messages.none"))
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
