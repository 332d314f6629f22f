"""Form rows: a label, the input and an error line under it, so a refusal is shown at the
place it was typed. Every form in the console is built from these."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget

from deskconsole.services.errors import DeskError
from deskconsole.ui.text import Input, Label


class FormInput(Input):
    """An Input whose Enter moves to the next field. DeskApp moves the focus while it handles
    the key, in order, so what a fast typist (or a badge scanner) types after Enter lands in
    the next field, not this one."""

    advance_on_enter = True


class FieldRow(Vertical):
    DEFAULT_CSS = """
    FieldRow { height: auto; margin-bottom: 0; }
    FieldRow > .field-label { color: $text-muted; }
    FieldRow > .field-error { color: $error; height: auto; display: none; }
    FieldRow.-invalid > .field-error { display: block; }
    FieldRow.-invalid > Input { border: tall $error; }
    """

    def __init__(self, field: str, label: str, widget: Widget) -> None:
        super().__init__(id=f"row-{field}")
        self.field = field
        self.label = label
        self.widget = widget

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="field-label")
        yield self.widget
        yield Label("", classes="field-error", id=f"error-{self.field}")

    refused_value: object = None  # the value the refusal was about

    def show_error(self, message: str) -> None:
        self.query_one(".field-error", Label).update(message)
        self.refused_value = getattr(self.widget, "value", None)
        self.add_class("-invalid")

    def on_input_changed(self, event: Input.Changed) -> None:
        # A refusal is about what was typed then: once the field changes, it no longer stands.
        if event.input is self.widget and event.value != self.refused_value:
            self.clear_error()

    def clear_error(self) -> None:
        self.remove_class("-invalid")


def clear_errors(root: Widget) -> None:
    for row in root.query(FieldRow):
        row.clear_error()


def show_desk_error(root: Widget, error: DeskError) -> None:
    """Put the message under its field and focus it; without a field, a notification."""
    message = error.message(root.app.t)
    if error.field:
        rows = [r for r in root.query(FieldRow) if r.field == error.field]
        if rows:
            rows[0].show_error(message)
            rows[0].widget.focus()
            return
    root.app.say(message, severity="error")
