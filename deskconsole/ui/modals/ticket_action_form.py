"""The small form behind a ticket action (assign, escalate, resolve, follow up, note ...).

The fields are data (ui/modals/ticket_action_specs.py says which for each action);
`submit(values)` returns the service call `fn(session, actor)`, which is saved off the event
loop (ui/store_work.py). A refusal is shown under the field it names, with everything typed
kept. Enter moves on; Enter in the last field (or Ctrl+S) saves; Esc goes back without saving.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll

from deskconsole.services import audit
from deskconsole.services.errors import DeskError
from deskconsole.services.phone_numbers import Held
from deskconsole.ui.modals.base import DeskModal
from deskconsole.ui.store_work import save
from deskconsole.ui.text import Input, Label, Static
from deskconsole.ui.widgets.choice import ChoiceInput
from deskconsole.ui.widgets.form import FieldRow, FormInput, clear_errors, show_desk_error


@dataclass(frozen=True)
class Field:
    name: str  # the service's field name (DeskError.field), e.g. "ticket_reason"
    label: str  # translated label
    options: list[tuple[str, str]] | None = None  # a choice; None = text
    value: str = ""
    max_length: int = 500


@dataclass(frozen=True)
class Dial:
    """A customer's number the form shows masked, and whole on Ctrl+D to dial it (the reveal is
    recorded in the audit trail first; DOMAIN §1: privacy). `hint(number)`: the hint with it."""
    held: Held
    entity: str
    entity_id: int
    hint: Callable[[str], str]


class TicketActionModal(DeskModal[bool]):
    BINDINGS = [
        Binding("ctrl+s", "save", "tickets.key.save", id="ticket_action.save"),
        Binding("escape", "back", "key.back", id="ticket_action.back"),
        Binding("ctrl+d", "reveal_phone", "phone.key.reveal", id="ticket_action.reveal", priority=True),
    ]

    def __init__(self, title: str, fields: list[Field], submit: Callable[[dict], Callable[[Any, Any], object]],
                 *, hint: str = "", dial: Dial | None = None) -> None:
        super().__init__()
        self.dial = dial
        self.revealed = False
        self.title_text = title
        self.fields = fields
        self.submit = submit
        self.hint = hint

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical(classes="ticket-modal"):
            yield Label(self.title_text, classes="modal-title")
            if self.hint:
                yield Static(self.hint, id="ticket-action-hint")
            if self.dial is not None:
                yield Static(t("phone.reveal_hint"), id="ticket-action-reveal")
            with VerticalScroll(id="ticket-form-fields"):
                last = len(self.fields) - 1
                for i, f in enumerate(self.fields):
                    if f.options is not None:
                        widget = ChoiceInput(f.options, f.value, id=f.name)
                    elif i == last:  # Enter here saves
                        widget = Input(f.value, id=f.name, max_length=f.max_length)
                    else:
                        widget = FormInput(f.value, id=f.name, max_length=f.max_length)
                    yield FieldRow(f.name, f.label, widget)
            yield Label(t("tickets.action_keys"), classes="modal-keys")

    def on_mount(self) -> None:
        if self.fields:
            self.query_one(f"#{self.fields[0].name}").focus()

    def values(self) -> dict:
        return {f.name: self.query_one(f"#{f.name}").value for f in self.fields}

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        clear_errors(self)
        actor = self.app.actor
        try:
            fn = self.submit(self.values())
        except DeskError as error:
            show_desk_error(self, error)
            return
        save(self, lambda s: fn(s, actor), lambda _result: self.dismiss(True),
             note_in=self.query_one(".ticket-modal"))

    def action_back(self) -> None:
        self.dismiss(False)

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "reveal_phone":
            return self.dial is not None and not self.revealed
        return True

    def action_reveal_phone(self) -> None:
        dial, actor = self.dial, self.app.actor
        if dial is None or self.revealed:
            return

        def revealed(_result) -> None:
            self.revealed = True
            self.query_one("#ticket-action-hint", Static).update(dial.hint(dial.held.number))
            self.query_one("#ticket-action-reveal", Static).display = False
            self.refresh_bindings()

        save(self, lambda s: audit.record_phone_reveal(s, actor, dial.entity, dial.entity_id), revealed,
             show_saving=False)
