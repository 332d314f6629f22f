"""Lock: a lobby terminal faces the public (DOMAIN §1: never leak customer information).
Hides everything; only the signed-on operator's PIN resumes."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.screen import Screen

from deskconsole.services.errors import DeskError
from deskconsole.ui.text import Input, Label
from deskconsole.ui.widgets.form import FieldRow, clear_errors, show_desk_error


class LockScreen(Screen[None]):
    HELP = "lock.title"

    def __init__(self, reason: str = "") -> None:
        super().__init__()
        self.reason = reason

    def compose(self) -> ComposeResult:
        t = self.app.t
        actor = self.app.actor
        with Center(), Vertical(id="signon-box"):
            yield Label(t("lock.title"), id="signon-title")
            yield Label(self.reason, id="signon-subtitle")
            yield Label(t("lock.body", name=actor.name, staff_no=actor.staff_no), id="signon-help")
            yield FieldRow("pin", t("signon.pin_hint"),
                           Input(id="pin", password=True, max_length=8, restrict=r"[0-9]*"))

    def on_mount(self) -> None:
        self.query_one("#pin", Input).focus()

    @on(Input.Submitted, "#pin")
    def _submit(self, event: Input.Submitted) -> None:
        clear_errors(self)
        self._unlock(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="unlock")
    def _unlock(self, pin: str) -> None:
        try:
            self.app.session.check_pin(pin)
        except DeskError as error:
            self.app.call_from_thread(self._refused, error)
            return
        self.app.call_from_thread(self.app.session.unlocked, self)

    def _refused(self, error: DeskError) -> None:
        if error.key == "error.bad_credentials":  # only the PIN is asked here
            error = DeskError("lock.bad_pin", field="pin")
        self.query_one("#pin", Input).value = ""
        show_desk_error(self, error)
