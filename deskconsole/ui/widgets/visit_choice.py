"""A one-line choice for a short fixed list (honorific, purpose, level, hand-off method):
Left/Right (or Space) step through the options, a digit picks one directly, Enter moves on
like any form field. Faster than a drop-down for a receptionist who knows the list."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class OptionChoice:
    """What every one-line choice shares: `options` as (code, label) pairs, the chosen
    `index`, and `value` as the chosen code (an unknown code picks the first option)."""

    options: list[tuple[str, str]]
    index: int

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


class ChoiceInput(OptionChoice, Widget, can_focus=True):
    DEFAULT_CSS = """
    ChoiceInput { height: 1; width: 1fr; padding: 0 1; background: $boost; }
    ChoiceInput:focus { background: $primary 40%; text-style: bold; }
    """
    BINDINGS = [
        Binding("right,space,down", "step(1)", "key.choice_next", show=False, id="choice.next"),
        Binding("left,up", "step(-1)", "key.choice_prev", show=False, id="choice.prev"),
    ]
    advance_on_enter = True
    index: reactive[int] = reactive(0)

    class Changed(Message):
        def __init__(self, choice: ChoiceInput) -> None:
            super().__init__()
            self.choice = choice

        @property
        def control(self) -> ChoiceInput:
            return self.choice

    def __init__(self, options: list[tuple[str, str]], value: str | None = None, *,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.options = options
        if value is not None:
            self.set_reactive(ChoiceInput.index, self._index_of(value))

    @property
    def label(self) -> str:
        return self.options[self.index][1] if self.options else ""

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("< ", style="dim")
        text.append(f"{self.index + 1}.{self.label}")
        text.append(" >", style="dim")
        return text

    def watch_index(self) -> None:
        self.post_message(self.Changed(self))

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
