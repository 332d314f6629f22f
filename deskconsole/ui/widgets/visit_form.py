"""The check-in form (DOMAIN §1): name, honorific, phone, unit, host, purpose, party
size, reception level, note. One line per field so the whole form fits at 80x24; Enter moves
to the next field; a refusal appears under its field (FieldRow)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll

from deskconsole import catalogs
from deskconsole.models.visits import RECEPTION_LEVELS
from deskconsole.services.people import HONORIFICS, honorific_label
from deskconsole.services.phone_numbers import Held, hold, resolve
from deskconsole.services.reception import CheckInForm
from deskconsole.ui.text import Input
from deskconsole.ui.widgets.caller_context import CallerContext, follow
from deskconsole.ui.widgets.choice import ChoiceInput
from deskconsole.ui.widgets.form import FieldRow, FormInput
from deskconsole.ui.widgets.unit_input import UnitInput

TEXT_FIELDS = ("name", "phone", "unit", "host", "party_size", "note")
CHOICE_DEFAULTS = {"honorific": "", "purpose": "consultation", "level": "ordinary"}


def honorific_options(t) -> list[tuple[str, str]]:
    lang = t.language
    return [("", t("reception.honorific_none"))] + [
        (code, honorific_label(code, lang) or t("reception.honorific_child")) for code in HONORIFICS]


def purpose_options(t) -> list[tuple[str, str]]:
    return catalogs.codes_with_labels("purposes.toml", "purpose", t.language)


def level_options(t) -> list[tuple[str, str]]:
    labels = {"ordinary": t("reception.level_ordinary"), "senior": t("reception.level_senior"),
              "special": t("reception.level_special")}
    return [(code, labels[code]) for code in RECEPTION_LEVELS]



def visitor_rows(t, store, *, purpose: str, place: str):
    """Who the visitor is and whom they visit: the rows the check-in form and the
    expected-visitor form share (same ids, so the same services read them). Above them, what
    the desk must know as soon as a name, number or unit is typed (watch list, open tickets)."""
    yield CallerContext(place, id="caller-context")
    yield FieldRow("name", t("reception.field.name"), FormInput(id="name", max_length=64))
    yield FieldRow("honorific", t("reception.field.honorific"),
                   ChoiceInput(honorific_options(t), "", id="honorific"))
    yield FieldRow("phone", t("reception.field.phone"), FormInput(id="phone", max_length=32))
    yield FieldRow("unit", t("reception.field.unit"), UnitInput(store, id="unit", max_length=64))
    yield FieldRow("host", t("reception.field.host"), UnitInput(store, id="host", max_length=64))
    yield FieldRow("purpose", t("reception.field.purpose"),
                   ChoiceInput(purpose_options(t), purpose, id="purpose"))


class VisitForm(VerticalScroll, can_focus=False):
    DEFAULT_CSS = """
    VisitForm { height: auto; max-height: 100%; }
    VisitForm FieldRow { layout: grid; grid-size: 2; grid-columns: 10 1fr; grid-rows: auto; height: auto; }
    VisitForm FieldRow > .field-label { height: 1; }
    VisitForm FieldRow > .field-error { column-span: 2; }
    VisitForm FieldRow > Input { height: 1; border: none; padding: 0 1; background: $boost; }
    VisitForm FieldRow > Input:focus { border: none; background: $primary 30%; }
    VisitForm FieldRow.-invalid > Input { border: none; background: $error 30%; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.expected_id: int | None = None
        self.held: Held | None = None  # a recalled number, shown masked (DOMAIN §1: privacy)
        self.taken_held: dict[str, Held] = {}  # recalled numbers of check-ins taken for saving

    def compose(self) -> ComposeResult:
        t = self.app.t
        store = self.app.store
        yield from visitor_rows(t, store, purpose="consultation", place="check_in")
        yield FieldRow("party_size", t("reception.field.party_size"),
                       FormInput("1", id="party_size", max_length=2, restrict=r"[0-9]*"))
        yield FieldRow("level", t("reception.field.level"),
                       ChoiceInput(level_options(t), "ordinary", id="level"))
        # The last field: Enter saves (Input.Submitted), like Ctrl+S.
        yield FieldRow("note", t("reception.field.note"), Input(id="note", max_length=500))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id in ("name", "phone", "unit"):
            follow(self)

    def take(self, then) -> None:
        """Hand the form as typed up to now to `then(CheckInForm)` and leave it blank for the
        next visitor. A key waits in its field's queue while Ctrl+S is acted on as soon as it is
        read: each field gives its value up once it has handled the keys typed before, so keys
        typed after Ctrl+S go into the blank form."""
        rows = list(self.query(FieldRow))
        taken: dict[str, str] = {}
        expected_id, self.expected_id = self.expected_id, None
        held, self.held = self.held, None  # a recalled number goes with the visitor it belongs to
        if held is not None:
            self.taken_held[held.number] = held

        def take_one(row: FieldRow) -> None:
            widget = row.widget
            taken[row.field] = resolve(widget.value, held) if row.field == "phone" else widget.value
            widget.value = "1" if row.field == "party_size" else CHOICE_DEFAULTS.get(row.field, "")
            if len(taken) == len(rows):
                then(CheckInForm(expected_id=expected_id, **taken))

        for row in rows:
            row.widget.call_later(take_one, row)

    def give_back(self, form: CheckInForm) -> None:
        """A check-in that was not saved returns to the form; what was typed since is kept."""
        # A recalled number comes back masked, as it was shown (DOMAIN §1: privacy).
        self.fill(vars(form), only_empty=True, hide_phone=form.phone in self.taken_held)
        self.expected_id = self.expected_id or form.expected_id
        for widget in self.query(Input):
            widget.cursor_position = len(widget.value)  # as it was while typing

    def read(self) -> CheckInForm:
        values = {f: self.query_one(f"#{f}", Input).value for f in TEXT_FIELDS}
        values["phone"] = resolve(values["phone"], self.held)
        values.update({f: self.query_one(f"#{f}", ChoiceInput).value for f in CHOICE_DEFAULTS})
        return CheckInForm(expected_id=self.expected_id, **values)

    def is_filled(self) -> bool:
        """Anything typed or chosen that a discard would lose."""
        form = self.read()
        return any(getattr(form, f) for f in ("name", "phone", "unit", "host", "note")) \
            or str(form.party_size) not in ("", "1") \
            or any(getattr(form, f) != d for f, d in CHOICE_DEFAULTS.items()) \
            or self.expected_id is not None

    def clear(self) -> None:
        self.fill({"party_size": "1", **CHOICE_DEFAULTS}, only_empty=False)
        for f in ("name", "phone", "unit", "host", "note"):
            self.query_one(f"#{f}", Input).value = ""
        self.expected_id = None
        self.held = None

    def fill(self, values: dict, *, only_empty: bool = False, hide_phone: bool = False) -> None:
        """Put values in the fields (recall, expected arrival). With only_empty, what the
        receptionist already typed is kept. With hide_phone, a stored number is shown as the
        actor may see it and carried behind its mask."""
        for f in TEXT_FIELDS:
            if f in values and values[f] is not None:
                widget = self.query_one(f"#{f}", Input)
                if not (only_empty and widget.value.strip() and f != "party_size"):
                    value = str(values[f])
                    if f == "phone":
                        self.held = hold(value, self.app.actor) if hide_phone else None
                        value = self.held.shown if self.held else value
                    widget.value = value
        for f in CHOICE_DEFAULTS:
            if values.get(f) is not None:
                self.query_one(f"#{f}", ChoiceInput).value = values[f]

    def fill_from(self, record, *, only_empty: bool = False) -> None:
        """Fill from a past visit (returning visitor) or an expected visit (arrival)."""
        self.fill({"name": record.name, "honorific": record.honorific, "phone": record.phone or "",
                   "unit": record.unit, "host": record.host, "purpose": record.purpose,
                   "party_size": str(record.party_size), "level": getattr(record, "level", None),
                   "note": getattr(record, "note", None) if not only_empty else None},
                  only_empty=only_empty, hide_phone=True)
