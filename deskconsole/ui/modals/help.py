"""F1: generated from the bindings active on the screen below (STYLE §3), plus that screen's
own help text (a catalog key in its HELP attribute)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll

from deskconsole.ui.modals.base import DeskModal
from deskconsole.ui.text import DataTable, Label, Static


class HelpModal(DeskModal[None]):
    CLOSED_BY_SCREEN_KEYS = True  # shows only: an F-key closes it and goes on (DeskApp)
    DEFAULT_CSS = """
    HelpModal { align: center middle; }
    HelpModal > VerticalScroll { width: 90%; max-width: 96; height: 90%; border: thick $accent; padding: 0 1; background: $surface; }
    HelpModal .title { text-style: bold; margin-bottom: 1; }
    HelpModal .section { text-style: bold; margin-top: 1; }
    HelpModal DataTable { height: auto; }
    """
    BINDINGS = [
        Binding("escape", "close", "key.close", id="help.close"),
        Binding("f1", "close", "key.close", id="help.close_f1", show=False),
    ]

    def __init__(self, screen_title: str, help_text: str, bindings: list[tuple[str, str, bool]]) -> None:
        super().__init__()
        self.screen_title = screen_title
        self.help_text = help_text
        self.rows = bindings  # (key display, description, is global)

    def compose(self) -> ComposeResult:
        t = self.app.t
        with VerticalScroll():
            yield Label(t("help.title", screen=self.screen_title), classes="title")
            if self.help_text:
                yield Static(self.help_text, id="help-text")
            for is_global, heading in ((False, "help.keys"), (True, "help.global")):
                rows = [(k, d) for k, d, g in self.rows if g == is_global]
                if not rows:
                    continue
                yield Label(t(heading), classes="section")
                table = DataTable(show_cursor=False, zebra_stripes=True)
                table.add_columns("", "")
                table.add_rows(rows)
                yield table
            yield Label(t("help.palette"), classes="section")
            yield Label(t("help.close"))

    def action_close(self) -> None:
        self.dismiss(None)
