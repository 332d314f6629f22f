"""The start-of-shift self-check (DOMAIN §5): grooming and readiness, offered right after
sign-on once per shift. Enter passes an item and moves on, so a clean check is one key per
item and Ctrl+S; Esc skips, and the skip is recorded (the supervisor sees it)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from deskconsole.services import etiquette
from deskconsole.services.errors import DeskError
from deskconsole.services.text import strip_controls
from deskconsole.ui.modals.base import DeskModal
from deskconsole.ui.store_work import save
from deskconsole.ui.text import DataTable, Input, Label, Static
from deskconsole.ui.widgets.checklist import ChecklistTable, detail, legend
from deskconsole.ui.widgets.footer import DeskFooter
from deskconsole.ui.widgets.form import FieldRow

CHECK_CSS = """
CheckModal { align: center middle; }
CheckModal > #check-box { width: 100%; height: 100%; border: thick $accent; background: $surface; padding: 0 1; }
CheckModal .check-title { text-style: bold; }
CheckModal .check-hint, CheckModal .check-legend { color: $text-muted; }
CheckModal ChecklistTable { height: 1fr; }
CheckModal #check-detail { height: 6; border-top: solid $primary; }
CheckModal #row-note { display: none; }
CheckModal #row-note.-open { display: block; }
CheckModal #check-error { color: $error; height: auto; }
"""


class CheckModal(DeskModal):
    """What the self-check and the inspection share: the table, the item in full, notes."""

    DEFAULT_CSS = CHECK_CSS
    HELP = "etiquette.help_check"

    def __init__(self, checklist: etiquette.Checklist, items: list[etiquette.Item], scale: str) -> None:
        super().__init__()
        self.checklist = checklist
        self.items = items
        self.scale = scale
        self.facts: dict[str, int] = {}
        self.results: dict[str, str] = {}
        self.notes: dict[str, str] = {}
        self._note_item: etiquette.Item | None = None

    def checklist_widgets(self) -> ComposeResult:
        width = max(20, self.app.size.width - 33)
        yield Label(legend(self.app, self.checklist), classes="check-legend")
        yield ChecklistTable(self.items, self.scale, evidence=self.facts, text_width=width,
                             results=self.results, notes=self.notes, id="checklist")
        yield Static("", id="check-detail")
        yield FieldRow("note", self.app.t("etiquette.note_label"), Input(id="note", max_length=500))
        yield Label("", id="check-error")

    @property
    def table(self) -> ChecklistTable:
        return self.query_one(ChecklistTable)

    def on_mount(self) -> None:
        self.table.focus()
        self._show_detail()

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        table = self.table
        if table.items:
            item = table.current
            self.query_one("#check-detail", Static).update(
                detail(self.app, self.checklist, item, table.notes.get(item.id), self.facts))

    @on(ChecklistTable.Changed)
    def _changed(self) -> None:
        self.query_one("#check-error", Label).update("")

    @on(ChecklistTable.NoteRequested)
    def _open_note(self, event: ChecklistTable.NoteRequested) -> None:
        self._note_item = event.item
        row = self.query_one("#row-note", FieldRow)
        row.add_class("-open")
        note = self.query_one("#note", Input)
        note.value = self.table.notes.get(event.item.id, "")
        note.focus()

    @on(Input.Submitted, "#note")
    def _note_done(self, event: Input.Submitted) -> None:
        if self._note_item is not None:
            self.table.set_note(self._note_item, strip_controls(event.value).strip())
        self._close_note()
        self._show_detail()

    def _close_note(self) -> None:
        self._note_item = None
        self.query_one("#row-note", FieldRow).remove_class("-open")
        self.table.focus()

    def note_open(self) -> bool:
        return self._note_item is not None

    def refuse(self, error: DeskError) -> None:
        """A refusal at the item it concerns (field "item-<id>"), else under the table."""
        if error.field and error.field.startswith("item-"):
            self.table.go_to(error.field[5:])
        self.query_one("#check-error", Label).update(error.message(self.app.t))

    def complete_or_refuse(self) -> bool:
        missing = self.table.first_unanswered()
        if missing is not None:
            self.refuse(DeskError("etiquette.error.unanswered", field=f"item-{missing.id}", item=missing.id))
            return False
        return True

    def has_unsaved(self) -> bool:
        return bool(self.table.results or self.table.notes)


class SelfCheckModal(CheckModal):
    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="self_check.save"),
        Binding("escape", "escape", "etiquette.key.skip", id="self_check.skip"),
    ]

    def __init__(self, checklist: etiquette.Checklist, *, offer: bool = True) -> None:
        super().__init__(checklist, checklist.self_items(), checklist.self_scale)
        self.offer = offer  # True after sign-on: Esc records a skip; False from F5: Esc closes

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical(id="check-box"):
            yield Label(t("etiquette.self_title", version=self.checklist.version), classes="check-title")
            yield Static(t("etiquette.self_hint_offer" if self.offer else "etiquette.self_hint"), classes="check-hint")
            yield from self.checklist_widgets()
        yield DeskFooter()

    def action_escape(self) -> None:
        if self.note_open():
            self._close_note()
            return
        from deskconsole.ui.modals.confirm import ConfirmModal

        if self.offer:
            self.app.push_screen(ConfirmModal(self.app.t("etiquette.confirm_skip")),
                                 lambda yes: self._skip() if yes else None)
        elif self.has_unsaved():
            self.app.push_screen(ConfirmModal(self.app.t("etiquette.confirm_discard")),
                                 lambda yes: self.dismiss(None) if yes else None)
        else:
            self.dismiss(None)

    def action_save(self) -> None:
        if self.note_open() or not self.complete_or_refuse():
            return
        self._write(dict(self.table.results), dict(self.table.notes), skipped=False)

    def _skip(self) -> None:
        self._write({}, {}, skipped=True)

    def _write(self, results: dict, notes: dict, skipped: bool) -> None:
        actor, checklist = self.app.actor, self.checklist
        fails = sum(1 for v in results.values() if v == "fail")
        if skipped:
            fn = lambda s: etiquette.skip_self_check(s, actor, checklist)  # noqa: E731
        else:
            fn = lambda s: etiquette.save_self_check(s, actor, checklist, results, notes)  # noqa: E731
        save(self, fn, lambda _result: self._done(skipped, fails), self.refuse,
             note_in=self.query_one("#check-box"))

    def _done(self, skipped: bool, fails: int) -> None:
        t = self.app.t
        if skipped:
            self.app.say(t("etiquette.self_skipped"))
        elif fails:
            self.app.say(t("etiquette.self_saved_fails", n=fails), severity="warning")
        else:
            self.app.say(t("etiquette.self_saved"))
        self.dismiss(not skipped)


def offer_after_sign_on(app) -> SelfCheckModal | None:
    """Sign-on step: the self-check, unless this shift already has one (done or skipped)."""
    if app.actor is None:
        return None
    with app.store.read() as s:
        if etiquette.has_self_check(s, app.actor.shift_id):
            return None
    try:
        checklist = etiquette.load_checklist(app.config)
    except etiquette.ChecklistError as error:
        app.say(str(error), severity="error")
        return None
    return SelfCheckModal(checklist, offer=True)
