"""Pre-register an expected visitor (DOMAIN §1), so the desk greets them ready: when, who, whom they visit. The
same service as `deskconsole visitor expect`. Ctrl+S or Enter on the last field saves."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from deskconsole.services import reception_query as rq
from deskconsole.services.errors import DeskError
from deskconsole.ui.modals.base import DeskModal
from deskconsole.ui.store_work import save
from deskconsole.ui.text import Input, Label
from deskconsole.ui.widgets.caller_context import follow
from deskconsole.ui.widgets.choice import ChoiceInput
from deskconsole.ui.widgets.form import FieldRow, FormInput, clear_errors, show_desk_error
from deskconsole.ui.widgets.visit_form import visitor_rows


class ExpectedModal(DeskModal[bool]):
    DEFAULT_CSS = """
    ExpectedModal { align: center middle; }
    ExpectedModal > Vertical { width: 64; max-width: 95%; height: auto; border: thick $primary;
                               padding: 0 1; background: $surface; }
    ExpectedModal FieldRow { layout: grid; grid-size: 2; grid-columns: 12 1fr; grid-rows: auto; height: auto; }
    ExpectedModal FieldRow > .field-error { column-span: 2; }
    ExpectedModal FieldRow > Input { height: 1; border: none; padding: 0 1; background: $boost; }
    ExpectedModal FieldRow > Input:focus { border: none; background: $primary 30%; }
    ExpectedModal .keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "reception.key.save", id="expected.save", priority=True),
        Binding("escape", "cancel", "key.back", id="expected.back"),
    ]

    def compose(self) -> ComposeResult:
        t = self.app.t
        store = self.app.store
        with Vertical():
            yield Label(t("reception.expected.new_title"), classes="heading")
            yield FieldRow("when", t("reception.field.when"), FormInput(id="when", max_length=16,
                                                                         placeholder="14:30 / 2026-11-26 14:30"))
            yield from visitor_rows(t, store, purpose="visit_resident", place="expected")
            yield FieldRow("note", t("reception.field.note"), Input(id="note", max_length=500))
            yield Label(t("reception.expected.keys"), classes="keys")

    def on_mount(self) -> None:
        self.query_one("#when").focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id in ("name", "phone", "unit"):
            follow(self)

    @on(Input.Submitted, "#note")
    def _last_field(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        clear_errors(self)
        app = self.app
        values = {f: self.query_one(f"#{f}", Input).value for f in ("when", "name", "phone", "unit", "host", "note")}
        choices = {f: self.query_one(f"#{f}", ChoiceInput).value for f in ("honorific", "purpose")}
        now, actor = app.clock.now(), app.actor
        try:
            when = rq.parse_when(values.pop("when"), now=now, tz=app.config.tz)
        except DeskError as error:
            show_desk_error(self, error)
            return

        def saved(_result) -> None:
            app.say(app.t("reception.expected.saved", visitor=values["name"].strip(),
                             when=f"{when.astimezone(app.config.tz):%m-%d %H:%M}"))
            self.dismiss(True)

        save(self, lambda s: rq.expect(s, actor, when=when, now=now, **values, **choices), saved,
             note_in=self.query_one(Vertical))

    def action_cancel(self) -> None:
        self.dismiss(False)
