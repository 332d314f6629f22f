"""A unit/host field that completes from the directory as you type: the best match shows in
the field (Right or End accepts it, as in any Textual Input) and a short list of matches shows
under it; Down / Up walk the list, putting the highlighted entry in the field. Free text is
still allowed."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.suggester import Suggester

from deskconsole.ui.text import Static
from deskconsole.ui.widgets.form import FormInput

SHOWN = 5  # a short list: enough to tell neighbours apart, small enough to fit under the form


def completion(hit, typed: str) -> str:
    return hit.unit if hit.unit.startswith(typed) else hit.name


class DirectorySuggester(Suggester):
    def __init__(self, store, field: UnitInput) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.store = store
        self.field = field

    async def get_suggestion(self, value: str) -> str | None:
        if self.field.picking(value):
            return None  # the value is an entry picked from the list: keep the list as it is
        hits = []
        if value.strip() and self.store.is_open:
            from deskconsole.services.directory import suggest

            with self.store.read() as s:
                hits = suggest(s, value, limit=SHOWN)
        self.field.offer(value, hits)
        return completion(hits[0], value) if hits else None


class SuggestionList(Static):
    DEFAULT_CSS = """
    SuggestionList { column-span: 2; height: auto; color: $text-muted; display: none; padding: 0 0 0 2; }
    SuggestionList.-shown { display: block; }
    """


class UnitInput(FormInput):
    BINDINGS = [
        Binding("down", "pick(1)", "form.key.next_match", id="unit.next_match", show=False),
        Binding("up", "pick(-1)", "form.key.previous_match", id="unit.previous_match", show=False),
    ]

    def __init__(self, store, **kw) -> None:
        super().__init__(suggester=DirectorySuggester(store, self), **kw)
        self.hits: list = []
        self.typed = ""  # what the receptionist typed, before walking the list
        self.index = -1  # the entry in the field; -1: what was typed
        self.matches = SuggestionList()

    def on_mount(self) -> None:
        if self.parent is not None:
            self.parent.mount(self.matches, after=self)

    def picking(self, value: str) -> bool:
        return 0 <= self.index < len(self.hits) and value == completion(self.hits[self.index], self.typed)

    def offer(self, typed: str, hits: list) -> None:
        self.typed, self.hits, self.index = typed, hits, -1
        self._show()

    def _show(self) -> None:
        shown = len(self.hits) > 1 and self.has_focus
        self.matches.set_class(shown, "-shown")
        if shown:
            text = Text()
            for i, hit in enumerate(self.hits):
                text.append(("> " if i == self.index else "  ") + hit.label + ("\n" if i < len(self.hits) - 1 else ""),
                            style="bold reverse" if i == self.index else "")
            self.matches.update(text)

    def action_pick(self, step: int) -> None:
        if not self.hits:
            return
        self.index = max(-1, min(len(self.hits) - 1, self.index + step))
        self.value = self.typed if self.index < 0 else completion(self.hits[self.index], self.typed)
        self.cursor_position = len(self.value)
        self._show()

    def on_focus(self) -> None:
        self._show()

    def on_blur(self) -> None:
        self._show()
