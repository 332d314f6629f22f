"""After F8 (the caller hung up before anyone answered): the number on the phone's display,
typed in one field, so the callback task has a number to call (DOMAIN §2). Optional: Enter on
an empty field or Esc skips it, and the call stays "number unknown"."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from deskconsole.services import calls as phone_service
from deskconsole.ui.modals.base import DeskModal
from deskconsole.ui.store_work import save
from deskconsole.ui.text import Input, Label
from deskconsole.ui.widgets.form import FieldRow, clear_errors


class MissedNumberModal(DeskModal[None]):
    DEFAULT_CSS = """
    MissedNumberModal { align: center middle; }
    MissedNumberModal > Vertical { width: 56; max-width: 100%; height: auto; border: thick $warning;
        padding: 1 2; background: $surface; }
    MissedNumberModal .keys { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "skip", "phone.key.skip", id="phone.missed_number_skip")]

    def __init__(self, call_id: int) -> None:
        super().__init__()
        self.call_id = call_id

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical():
            yield Label(t("phone.missed_number.title"), classes="heading")
            yield FieldRow("phone", t("phone.missed_number.field"),
                           Input(id="phone", max_length=32, restrict=r"[0-9+\- ()]*"))
            yield Label(t("phone.missed_number.keys"), classes="keys")

    def on_mount(self) -> None:
        self.query_one("#phone", Input).focus()

    @on(Input.Submitted, "#phone")
    def _submitted(self, event: Input.Submitted) -> None:
        number = event.value.strip()
        if not number:
            self.dismiss(None)
            return
        clear_errors(self)
        actor, call_id = self.app.actor, self.call_id
        save(self, lambda s: phone_service.record_missed_number(s, actor, call_id, number), self._saved)

    def _saved(self, _call) -> None:
        self.app.say(self.app.t("phone.missed_number.saved"))
        self.dismiss(None)

    def action_skip(self) -> None:
        self.dismiss(None)
