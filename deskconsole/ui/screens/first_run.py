"""First run with no operator: create the first supervisor here (or with
`deskconsole operator add`), then sign on."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical

from deskconsole.services.errors import DeskError
from deskconsole.ui.screens.signon import RebuiltInLanguage, StyledAsMounted
from deskconsole.ui.text import Input, Label, Static
from deskconsole.ui.textual_compat import DrawsNoBatchedFrame
from deskconsole.ui.widgets.footer import DeskFooter
from deskconsole.ui.widgets.form import FieldRow, FormInput, clear_errors, show_desk_error
from deskconsole.ui.widgets.message_line import MessageLine

FIELDS = ("staff_no", "name", "pin", "pin_again")


class FirstRunScreen(StyledAsMounted, RebuiltInLanguage, DrawsNoBatchedFrame):
    HELP = "firstrun.intro"
    BINDINGS = [Binding("ctrl+s", "submit", "key.save", id="firstrun.save")]

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Center(), Vertical(id="signon-box"):
            yield Label(t("firstrun.title"), id="signon-title")
            yield Static(t("firstrun.intro"), id="signon-help")
            yield FieldRow("staff_no", t("field.staff_no"),
                           FormInput(id="staff_no", max_length=16, restrict=r"[A-Za-z0-9-]*"))
            yield FieldRow("name", t("field.name"), FormInput(id="name", max_length=64,
                                                          placeholder=t("firstrun.name_hint")))
            yield FieldRow("pin", t("firstrun.pin_hint"),
                           FormInput(id="pin", password=True, max_length=8, restrict=r"[0-9]*"))
            yield FieldRow("pin_again", t("field.pin_again"),
                           Input(id="pin_again", password=True, max_length=8, restrict=r"[0-9]*"))
        yield MessageLine()
        yield DeskFooter()

    def has_unsaved(self) -> bool:
        return any(self.query_one(f"#{f}", Input).value for f in FIELDS)

    @on(Input.Submitted, "#pin_again")
    def _last_field(self) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        clear_errors(self)
        values = {f: self.query_one(f"#{f}", Input).value for f in FIELDS}
        if values["pin"] != values["pin_again"]:
            row = self.query_one("#row-pin_again", FieldRow)
            row.show_error(self.app.t("firstrun.pin_mismatch"))
            self.query_one("#pin_again", Input).focus()
            return
        self._create(values)

    @work(thread=True, exclusive=True, exit_on_error=False, group="firstrun")
    def _create(self, values: dict) -> None:
        try:
            info = self.app.session.create_first_supervisor(values["staff_no"], values["name"], values["pin"])
        except DeskError as error:
            self.app.call_from_thread(show_desk_error, self, error)
            return
        self.app.call_from_thread(self._created, info.staff_no)

    def _created(self, staff_no: str) -> None:
        self.app.say(self.app.t("firstrun.created", staff_no=staff_no))
        self.app.session.show_sign_on(staff_no=staff_no)
