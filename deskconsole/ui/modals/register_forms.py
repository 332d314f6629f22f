"""The registers' small forms (F10): lend a key (against a repair ticket, picked by its number),
issue a goods release, lend a loan item, and check a release number for the gate. The forms are
the ticket actions' form (ticket_action_form.py): fields as data, a refusal under its field,
Enter moves on, Ctrl+S saves, Esc goes back."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from deskconsole.models.registers import APPLICANT_KINDS, BORROWER_KINDS
from deskconsole.services.errors import DeskError
from deskconsole.services.registers import (
    ItemLendForm,
    KeyLendForm,
    ReleaseForm,
    check_release,
    issue_release,
    lend_item,
    lend_key,
    rules,
)
from deskconsole.ui.modals.base import DeskModal
from deskconsole.ui.modals.ticket_action_form import Field, TicketActionModal
from deskconsole.ui.store_work import save
from deskconsole.ui.text import Input, Label, Static
from deskconsole.ui.widgets.form import clear_errors, show_desk_error


class RegisterFormModal(TicketActionModal):
    """A ticket action's form that says what was saved (`said(result)`) when it closes."""

    def __init__(self, title: str, fields: list[Field], submit, said: Callable[[object], str]) -> None:
        super().__init__(title, fields, submit)
        self.said = said

    def action_save(self) -> None:
        clear_errors(self)
        app, actor = self.app, self.app.actor
        try:
            fn = self.submit(self.values())
        except DeskError as error:
            show_desk_error(self, error)
            return

        def done(result) -> None:
            app.say(self.said(result))
            self.dismiss(True)

        save(self, lambda s: fn(s, actor), done, note_in=self.query_one(".ticket-modal"))


def _options(t, codes) -> list[tuple[str, str]]:
    return [(c, t(f"registers.kind.{c}")) for c in codes]


def key_form(app, key_code: str = "") -> RegisterFormModal:
    from deskconsole.services import reception_query as rq

    t, tz = app.t, app.config.tz
    fields = [
        Field("key", t("field.key"), value=key_code, max_length=32),
        Field("name", t("registers.col.name"), max_length=64),
        Field("borrower_kind", t("field.borrower_kind"), _options(t, BORROWER_KINDS), "staff"),
        Field("company", t("field.company"), max_length=64),
        Field("phone", t("registers.col.phone"), max_length=32),
        Field("purpose", t("field.purpose"), max_length=200),
        Field("ticket", t("field.ticket"), max_length=13),
        Field("due", t("field.due") + " (14:30)", max_length=16),
    ]

    def submit(v: dict):
        due = None
        if v["due"].strip():
            try:
                due = rq.parse_when(v["due"], now=app.clock.now(), tz=tz)
            except DeskError:
                raise DeskError("reception.error.when", field="due") from None
        form = KeyLendForm(key_code=v["key"], name=v["name"], purpose=v["purpose"], company=v["company"],
                           phone=v["phone"], borrower_kind=v["borrower_kind"], ticket=v["ticket"] or None, due_at=due)
        return lambda s, actor: lend_key(s, actor, form)

    return RegisterFormModal(t("registers.lend_key_title"), fields, submit, lambda r: t(
        "registers.key_lent", code=r.key_code, name=r.name, due=f"{r.due_at.astimezone(tz):%m-%d %H:%M}"))


def release_form(app) -> RegisterFormModal:
    t, tz = app.t, app.config.tz
    methods = rules.rules().confirm_methods
    fields = [
        Field("unit", t("registers.col.unit"), max_length=64),
        Field("name", t("registers.col.name"), max_length=64),
        Field("applicant_kind", t("field.applicant_kind"), _options(t, APPLICANT_KINDS), "owner"),
        Field("phone", t("registers.col.phone"), max_length=32),
        Field("confirmed_by", t("field.confirmed_by"), max_length=64),
        Field("confirmed_how", t("field.confirmed_how"), [("", t("registers.kind.none")), *_options(t, methods)], ""),
        Field("items", t("field.items"), max_length=1000),
        Field("vehicle_plate", t("field.vehicle_plate"), max_length=16),
        Field("valid_on", t("field.valid_on") + " (YYYY-MM-DD)", max_length=10),
    ]

    def submit(v: dict):
        form = ReleaseForm(unit=v["unit"], name=v["name"], items=v["items"], applicant_kind=v["applicant_kind"],
                           phone=v["phone"], confirmed_by=v["confirmed_by"], confirmed_how=v["confirmed_how"],
                           vehicle_plate=v["vehicle_plate"], valid_on=v["valid_on"] or None)
        return lambda s, actor: issue_release(s, actor, form, tz=tz)

    return RegisterFormModal(t("registers.release_title"), fields, submit, lambda r: t(
        "registers.released", number=r.number, unit=r.unit, until=f"{r.expires_at.astimezone(tz):%m-%d %H:%M}"))


def item_form(app) -> RegisterFormModal:
    t = app.t
    items = rules.items()
    fields = [
        Field("item", t("field.item"), [(c, s.label(app.language)) for c, s in items.items()],
              next(iter(items), "")),
        Field("name", t("registers.col.name"), max_length=64),
        Field("unit", t("registers.col.unit"), max_length=64),
        Field("phone", t("registers.col.phone"), max_length=32),
        Field("deposit", t("field.deposit"), max_length=12),
        Field("id_note", t("field.id_note"), max_length=100),
    ]

    def submit(v: dict):
        # A blank deposit is the item's usual one, unless an ID note is taken instead.
        deposit = v["deposit"] if v["deposit"].strip() else ("" if v["id_note"].strip() else None)
        form = ItemLendForm(item_code=v["item"], name=v["name"], unit=v["unit"], phone=v["phone"],
                            deposit=deposit, id_note=v["id_note"])
        return lambda s, actor: lend_item(s, actor, form)

    return RegisterFormModal(t("registers.lend_item_title"), fields, submit, lambda r: t(
        "registers.item_lent", item=items[r.item_code].label(app.language) if r.item_code in items else r.item_code,
        name=r.name, id=r.id))


class ReleaseCheckModal(DeskModal[None]):
    """Security reads a release number out at the gate: valid, or why not (DOMAIN §3)."""
    BINDINGS = [Binding("escape", "close", "key.close", id="registers.check_close")]

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical(classes="ticket-modal"):
            yield Label(t("registers.check_title"), classes="modal-title")
            yield Input(id="release-number", max_length=24, placeholder="GR261203-001")
            yield Static("", id="release-check-result")
            yield Label(t("registers.check_hint"), classes="modal-keys")

    def on_mount(self) -> None:
        self.query_one("#release-number", Input).focus()

    @on(Input.Submitted, "#release-number")
    def _check(self, event: Input.Submitted) -> None:
        app, t = self.app, self.app.t
        with app.store.read() as s:  # one indexed row (ux_goods_release_number)
            result = check_release(s, event.value, now=app.clock.now(), viewer=app.actor)
        r = result.release
        if result.valid:
            line = Text(t("registers.check.valid", number=r.number, unit=r.unit, items=r.items.replace("\n", "; "),
                          plate=r.vehicle_plate or "-", until=f"{r.expires_at.astimezone(app.config.tz):%m-%d %H:%M}"),
                        style="bold green")
        else:
            line = Text(t(f"registers.check.{result.reason}", number=result.number), style="bold red")
        self.query_one("#release-check-result", Static).update(line)

    def action_close(self) -> None:
        self.dismiss(None)
