"""Check a visitor out by visit number (badge or slip), without finding the row first."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from deskconsole.ui.modals.base import DeskModal
from deskconsole.ui.text import Input, Label
from deskconsole.ui.widgets.form import FieldRow


class VisitNumberModal(DeskModal[int | None]):
    DEFAULT_CSS = """
    VisitNumberModal { align: center middle; }
    VisitNumberModal > Vertical { width: 50; height: auto; border: thick $primary; padding: 1 2; background: $surface; }
    VisitNumberModal .keys { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", "key.back", id="visit_number.back")]

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical():
            yield Label(t("reception.checkout_title"), classes="heading")
            yield FieldRow("visit_number", t("reception.field.visit_number"),
                           Input(id="visit_number", max_length=12, restrict=r"#?[0-9]*"))
            yield Label(t("reception.checkout_keys"), classes="keys")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip().lstrip("#")
        if not text.isdigit():
            self.query_one(FieldRow).show_error(self.app.t("reception.error.visit_number"))
            return
        self.dismiss(int(text))

    def action_cancel(self) -> None:
        self.dismiss(None)
