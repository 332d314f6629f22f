"""New ticket (DOMAIN §3): whoever receives a request records it at once and owns it (首问负责).

Pushed from the tickets queue (N) and from the reception and phone screens with a prefill
(kind, customer, source and the visit or call it came from). The result is the new ticket's
id, or None when the receptionist backs out.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll

from deskconsole.services.phone_numbers import Held, hold, resolve, shown
from deskconsole.ui.modals.base import DeskModal
from deskconsole.ui.store_work import save
from deskconsole.ui.text import Input, Label, Static
from deskconsole.ui.widgets.choice import ChoiceInput
from deskconsole.ui.widgets.form import FieldRow, FormInput, clear_errors
from deskconsole.ui.widgets.ticket_labels import (
    category_options,
    department_options,
    honorific_options,
    kind_options,
    linked_record_line,
    priority_options,
    source_options,
)
from deskconsole.ui.widgets.unit_input import UnitInput

PREFILL_KEYS = ("kind", "customer_name", "honorific", "phone", "unit", "source", "visit_id",
                "call_id", "description")


class TicketFormModal(DeskModal[int | None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "tickets.key.save", id="ticket_form.save"),
        Binding("escape", "back", "key.back", id="ticket_form.back"),
    ]

    def __init__(self, prefill: dict | None = None) -> None:
        super().__init__()
        prefill = dict(prefill or {})
        unknown = set(prefill) - set(PREFILL_KEYS)
        if unknown:
            raise ValueError(f"unknown ticket prefill keys: {sorted(unknown)}")
        self.prefill = prefill
        self._dept_touched = False
        self.held: Held | None = None  # a prefilled number, shown as the actor may see it

    def compose(self) -> ComposeResult:
        t = self.app.t
        p = self.prefill
        kind = p.get("kind") or "repair"
        self.held = hold(p.get("phone"), self.app.actor)
        with Vertical(id="ticket-form", classes="ticket-modal"):
            yield Label(t("tickets.form.title"), classes="modal-title")
            yield Static(linked_record_line(self.app, p.get("visit_id"), p.get("call_id")), id="ticket-linked")
            with VerticalScroll(id="ticket-form-fields"):
                yield FieldRow("ticket_kind", t("field.ticket_kind"),
                               ChoiceInput(kind_options(t), kind, id="ticket_kind"))
                yield FieldRow("ticket_priority", t("field.ticket_priority"),
                               ChoiceInput(priority_options(t), "normal", id="ticket_priority"))
                yield FieldRow("ticket_customer_name", t("field.ticket_customer_name"),
                               FormInput(p.get("customer_name", ""), id="ticket_customer_name", max_length=64))
                yield FieldRow("ticket_honorific", t("field.ticket_honorific"),
                               ChoiceInput(honorific_options(t), p.get("honorific", ""), id="ticket_honorific"))
                yield FieldRow("ticket_phone", t("field.ticket_phone"),
                               FormInput(shown(p.get("phone"), self.held), id="ticket_phone", max_length=24))
                yield FieldRow("ticket_unit", t("field.ticket_unit"),
                               UnitInput(self.app.store, value=p.get("unit", ""), id="ticket_unit", max_length=64))
                yield FieldRow("ticket_description", t("field.ticket_description"),
                               FormInput(p.get("description", ""), id="ticket_description", max_length=2000))
                yield FieldRow("ticket_category", t("field.ticket_category"),
                               ChoiceInput(category_options(t, kind), None, id="ticket_category"))
                yield FieldRow("ticket_department", t("field.ticket_department"),
                               ChoiceInput(department_options(t), None, id="ticket_department"))
                yield FieldRow("ticket_source", t("field.ticket_source"),
                               ChoiceInput(source_options(t), p.get("source") or _default_source(p),
                                           id="ticket_source"))
            yield Label(t("tickets.form.keys"), classes="modal-keys")

    def on_mount(self) -> None:
        first = "#ticket_description" if self.prefill.get("kind") else "#ticket_kind"
        self.query_one(first).focus()

    @on(ChoiceInput.Changed, "#ticket_kind")
    def _kind_changed(self, event: ChoiceInput.Changed) -> None:
        self.query_one("#ticket_category", ChoiceInput).set_options(category_options(self.app.t, event.value))

    @on(ChoiceInput.Changed, "#ticket_department")
    def _department_changed(self) -> None:
        self._dept_touched = True

    @on(ChoiceInput.Changed, "#ticket_category")
    def _category_changed(self, event: ChoiceInput.Changed) -> None:
        # The category suggests the department, until the receptionist picks one herself.
        from deskconsole.services.tickets import categories

        if self._dept_touched:
            return
        dept = next((c.get("department") for c in categories() if c["code"] == event.value), None)
        field = self.query_one("#ticket_department", ChoiceInput)
        field.value = dept or ""
        self._dept_touched = False

    def _values(self) -> dict:
        def val(name):
            return self.query_one(f"#ticket_{name}").value

        return {
            "kind": val("kind"), "priority": val("priority"), "customer_name": val("customer_name"),
            "honorific": val("honorific"), "phone": resolve(val("phone"), self.held), "unit": val("unit"),
            "description": val("description"), "category": val("category") or None,
            "department": val("department") or None, "source": val("source"),
            "visit_id": self.prefill.get("visit_id"), "call_id": self.prefill.get("call_id"),
        }

    def action_save(self) -> None:
        from deskconsole.services.tickets import create_ticket

        clear_errors(self)
        values = self._values()
        rules, actor = self.app.sla_rules, self.app.actor
        save(self, lambda s: create_ticket(s, actor, rules=rules, **values), self._saved,
             note_in=self.query_one("#ticket-form"))

    def _saved(self, ticket) -> None:
        self.app.say(self.app.t("tickets.form.saved", id=ticket.id))
        self.dismiss(ticket.id)

    def has_unsaved(self) -> bool:
        return any(self.query_one(f"#ticket_{n}", Input).value.strip() != shown(self.prefill.get(n), self.held)
                   for n in ("customer_name", "phone", "unit", "description"))

    def handed_over(self) -> bool:
        """A request handed over from a call or a visit: its owner must not lose it with one
        key (DOMAIN §3: first-contact ownership), typed in or not."""
        return bool(self.prefill.get("call_id") or self.prefill.get("visit_id"))

    def action_back(self) -> None:
        if not self.has_unsaved() and not self.handed_over():
            self.dismiss(None)
            return
        from deskconsole.ui.modals.confirm import ConfirmModal

        def done(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        message = "tickets.form.discard_request" if self.handed_over() else "tickets.form.discard"
        self.app.push_screen(ConfirmModal(self.app.t(message)), done)


def _default_source(prefill: dict) -> str:
    if prefill.get("call_id"):
        return "call"
    if prefill.get("visit_id"):
        return "visit"
    return "walk_in"
