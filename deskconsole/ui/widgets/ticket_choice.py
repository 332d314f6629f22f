"""A one-line choice for keyboard-only forms: Left/Right (or Space) step through the options,
a digit picks one directly, Enter moves on like any form field. No pop-up to open and close,
so a receptionist can fill a ticket without looking away from the customer."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from deskconsole.ui.widgets.visit_choice import OptionChoice


class ChoiceField(OptionChoice, Widget, can_focus=True):
    DEFAULT_CSS = """
    ChoiceField { height: 1; width: 1fr; background: $boost; padding: 0 1; }
    ChoiceField:focus { background: $accent 30%; text-style: bold; }
    """
    advance_on_enter = True
    index: reactive[int] = reactive(0)

    class Changed(Message):
        def __init__(self, field: ChoiceField, value: str) -> None:
            super().__init__()
            self.field = field
            self.value = value

        @property
        def control(self) -> ChoiceField:
            return self.field

    def __init__(self, options: list[tuple[str, str]], value: str | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.options = list(options)
        self.index = self._index_of(value)

    def set_options(self, options: list[tuple[str, str]], value: str | None = None) -> None:
        keep = self.value if value is None else value
        self.options = list(options)
        self.index = self._index_of(keep)
        self.refresh()

    def render(self) -> Text:
        if not self.options:
            return Text("")
        label = self.options[self.index][1]
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("< ", style="dim")
        text.append(label)
        text.append(" >", style="dim")
        text.append(f"  {self.index + 1}/{len(self.options)}", style="dim")
        return text

    def watch_index(self, old: int, new: int) -> None:
        if old != new and self.is_mounted:
            self.post_message(self.Changed(self, self.value))

    def action_step(self, delta: int) -> None:
        if self.options:
            self.index = (self.index + delta) % len(self.options)

    # Handled by the widget itself, not as bindings: DeskApp moves the focus on Enter while
    # the key is read, so a fast "Right Enter" must change *this* field, wherever focus went.
    _STEPS = {"right": 1, "space": 1, "left": -1}

    def on_key(self, event) -> None:
        step = self._STEPS.get(event.key)
        if step is not None:
            self.action_step(step)
            event.stop()
            event.prevent_default()
        elif event.character and event.character in "123456789":
            # A digit picks the n-th option directly (1 = first).
            n = int(event.character) - 1
            if n < len(self.options):
                self.index = n
            event.stop()
            event.prevent_default()
