"""The one-line choice every form uses for a short fixed list (honorific, purpose, level,
kind, priority, department, hand-off method ...): Left/Right, Up/Down or Space step through
the options, a digit picks one directly, Enter moves on like any form field. Faster than a
drop-down for a receptionist who knows the list, and the same keys in every form."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class ChoiceInput(Widget, can_focus=True):
    """`options` are (code, label) pairs; `value` is the chosen code (an unknown code picks
    the first option). Posts `Changed` when the receptionist changes the choice."""

    DEFAULT_CSS = """
    ChoiceInput { height: 1; width: 1fr; padding: 0 1; background: $boost; }
    ChoiceInput:focus { background: $primary 40%; text-style: bold; }
    """
    BINDINGS = [
        Binding("right,space,down", "step(1)", "key.choice_next", show=False, id="choice.next"),
        Binding("left,up", "step(-1)", "key.choice_prev", show=False, id="choice.prev"),
    ]
    advance_on_enter = True
    index: reactive[int] = reactive(0, init=False)

    class Changed(Message):
        def __init__(self, choice: ChoiceInput, value: str) -> None:
            super().__init__()
            self.choice = choice
            self.value = value

        @property
        def control(self) -> ChoiceInput:
            return self.choice

    def __init__(self, options: list[tuple[str, str]], value: str | None = None, *,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.options = list(options)
        self.set_reactive(ChoiceInput.index, self._index_of(value))

    def _index_of(self, code: str | None) -> int:
        for i, (c, _) in enumerate(self.options):
            if c == code:
                return i
        return 0

    @property
    def value(self) -> str:
        return self.options[self.index][0] if self.options else ""

    @value.setter
    def value(self, code: str) -> None:
        self.index = self._index_of(code)

    @property
    def label(self) -> str:
        return self.options[self.index][1] if self.options else ""

    def set_options(self, options: list[tuple[str, str]], value: str | None = None) -> None:
        """New options (a kind's categories); keeps the chosen code when it is still offered."""
        keep = self.value if value is None else value
        self.options = list(options)
        self.index = self._index_of(keep)
        self.refresh()

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        if not self.options:
            return text
        text.append("< ", style="dim")
        # The number before the label is the digit that picks it.
        text.append(f"{self.index + 1}.{self.label}")
        text.append(" >", style="dim")
        return text

    def watch_index(self, old: int, new: int) -> None:
        if old != new and self.is_mounted:
            self.post_message(self.Changed(self, self.value))

    def action_step(self, delta: int) -> None:
        if self.options:
            self.index = (self.index + delta) % len(self.options)

    _STEPS = {"right": 1, "space": 1, "down": 1, "left": -1, "up": -1}

    def on_key(self, event) -> None:
        # Handled here, on the widget, rather than only by the bindings above: the app moves
        # the focus on Enter at once (type-ahead), and a binding is looked up against the focus
        # of the moment the key bubbles back, so in a fast burst (Enter, Right, Right, Enter)
        # the arrows would land on the next field. The bindings stay for F1 help.
        if event.key in self._STEPS:
            self.action_step(self._STEPS[event.key])
        elif event.character and event.character.isdigit() and 1 <= int(event.character) <= len(self.options):
            # A digit picks the option with that number (shown before each label).
            self.index = int(event.character) - 1
        else:
            return
        event.stop()
        event.prevent_default()
