"""The checklist under the keyboard (DOMAIN §4-§5): one row per item, grouped by element.

Keys: arrows move; space cycles the result (pass / fail / n.a., or 2 / 1 / 0 / n.a.); Enter
gives full marks and moves to the next item (a clean self-check is one Enter per item);
1-5 jump to an element; n asks the screen for a note on the item.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message

from deskconsole.services.etiquette import ELEMENTS, SCALES, Item
from deskconsole.ui.text import DataTable

RESULT_STYLE = {"pass": "green", "2": "green", "1": "yellow", "fail": "bold red", "0": "bold red", "na": "dim"}


class ChecklistTable(DataTable):
    """Holds the results (item id -> result) and notes while the check is being done."""

    BINDINGS = [
        Binding("space", "cycle", "etiquette.key.cycle", id="checklist.cycle"),
        Binding("enter", "full_and_next", "etiquette.key.full_next", id="checklist.full_next"),
        Binding("n", "note", "etiquette.key.note", id="checklist.note"),
        *[Binding(str(n), f"jump('{el}')", "etiquette.key.jump", id=f"checklist.jump_{el.lower()}",
                  show=n == 1, key_display="1-5") for n, el in enumerate(ELEMENTS, 1)],
    ]

    class NoteRequested(Message):
        def __init__(self, item: Item) -> None:
            super().__init__()
            self.item = item

    class Changed(Message):
        """A result changed (the screen updates its totals)."""

    def __init__(self, items: list[Item], scale: str, *, evidence: dict[str, int] | None = None,
                 text_width: int = 40, results: dict[str, str] | None = None,
                 notes: dict[str, str] | None = None, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.items = items
        self.scale = scale
        self.cycle_order = [v for v in SCALES[scale]]
        # Owned by the screen, so marks survive a recompose (a language switch).
        self.results: dict[str, str] = {} if results is None else results
        self.notes: dict[str, str] = {} if notes is None else notes
        self.evidence = evidence or {}
        self.text_width = text_width

    def on_mount(self) -> None:
        t = self.app.t
        lang = self.app.t.language
        self.add_column("", key="element", width=1)
        self.add_column(t("etiquette.col.item"), key="item", width=4)
        self.add_column(t("etiquette.col.result"), key="result", width=9)
        self.add_column(t("etiquette.col.text"), key="text", width=self.text_width)
        self.add_column("", key="mark", width=3)
        for item in self.items:
            self.add_row(item.element, item.id, self._result_cell(self.results.get(item.id)), Text(item.text(lang), no_wrap=True, overflow="ellipsis"),
                         self._mark(item), key=item.id)

    # -- display ---------------------------------------------------------------------------
    def _result_cell(self, value: str | None) -> Text:
        if value is None:
            return Text("-", style="dim")
        return Text(self.app.t(f"etiquette.result.{value}"), style=RESULT_STYLE.get(value, ""))

    def _mark(self, item: Item) -> Text:
        """'*' a note is written; '!' the console measured something for this item."""
        measured = sum(self.evidence.get(k, 0) for k in item.evidence)
        mark = ("*" if item.id in self.notes else " ") + ("!" if measured else " ")
        return Text(mark, style="bold yellow")

    @property
    def current(self) -> Item:
        return self.items[self.cursor_row]

    def set_result(self, item: Item, value: str | None) -> None:
        if value is None:
            self.results.pop(item.id, None)
        else:
            self.results[item.id] = value
        self.update_cell(item.id, "result", self._result_cell(value))
        self.post_message(self.Changed())

    def set_note(self, item: Item, note: str) -> None:
        if note:
            self.notes[item.id] = note
        else:
            self.notes.pop(item.id, None)
        self.update_cell(item.id, "mark", self._mark(item))

    def set_evidence(self, evidence: dict[str, int]) -> None:
        self.evidence = evidence
        for item in self.items:
            self.update_cell(item.id, "mark", self._mark(item))

    def go_to(self, item_id: str) -> None:
        index = next((n for n, i in enumerate(self.items) if i.id == item_id), None)
        if index is not None:
            self.move_cursor(row=index)
            self.focus()

    def first_unanswered(self) -> Item | None:
        return next((i for i in self.items if i.id not in self.results), None)

    # -- keys ------------------------------------------------------------------------------
    def action_cycle(self) -> None:
        if not self.items:
            return
        item = self.current
        value = self.results.get(item.id)
        nxt = self.cycle_order[0] if value is None else self.cycle_order[
            (self.cycle_order.index(value) + 1) % len(self.cycle_order)]
        self.set_result(item, nxt)

    def action_full_and_next(self) -> None:
        if not self.items:
            return
        self.set_result(self.current, self.cycle_order[0])
        if self.cursor_row < len(self.items) - 1:
            self.move_cursor(row=self.cursor_row + 1)

    def action_jump(self, element: str) -> None:
        index = next((n for n, i in enumerate(self.items) if i.element == element), None)
        if index is not None:
            self.move_cursor(row=index)

    def action_note(self) -> None:
        if self.items:
            self.post_message(self.NoteRequested(self.current))


def legend(app, checklist) -> str:
    """'1 A 主动  2 B 亲切 ...': the jump keys, in the current language."""
    lang = app.t.language
    return "  ".join(f"{n} {e.id} {e.name(lang)}" for n, e in enumerate(checklist.elements, 1))


def detail(app, checklist, item: Item, note: str | None, facts: dict[str, int] | None = None) -> Text:
    """The highlighted item in full: element and motto, the rule, its source, the note, and
    what the console measured for it (a prompt for judgement, not a verdict)."""
    t, lang = app.t, app.t.language
    el = checklist.element(item.element)
    out = Text()
    out.append(f"{el.id} {el.name(lang)}", style="bold")
    out.append(f"  {el.motto(lang)}\n", style="dim")
    out.append(item.text(lang) + "\n")
    out.append(t("etiquette.source", source=item.source), style="dim")
    if note:
        out.append("\n" + t("etiquette.note_shown", note=note), style="italic")
    measured = [(k, (facts or {}).get(k, 0)) for k in item.evidence]
    if measured:
        parts = "; ".join(t(f"etiquette.evidence.{k}", n=n) for k, n in measured)
        out.append("\n" + t("etiquette.measured", facts=parts),
                   style="bold yellow" if any(n for _, n in measured) else "dim")
    return out
