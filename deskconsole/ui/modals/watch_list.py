"""The watch list as a supervisor keeps it (F6, W): the entries in force with their reasons;
N adds, E changes, X removes the highlighted one. Every change is signed with the
supervisor's PIN and audited (services/watch.keep_signed)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from deskconsole.models.watch import WATCH_ACTIONS
from deskconsole.services import watch
from deskconsole.services.errors import DeskError
from deskconsole.ui.modals.base import DeskModal
from deskconsole.ui.modals.inspection import SignModal
from deskconsole.ui.text import DataTable, Input, Label
from deskconsole.ui.widgets.choice import ChoiceInput
from deskconsole.ui.widgets.form import FieldRow, FormInput, clear_errors, show_desk_error

COLUMNS = ("id", "name", "phone", "action", "reason", "until")


def _signed(app, change, done) -> None:
    """Ask the supervisor's PIN; on success run `change` and call `done(result)`."""
    actor = app.actor

    def signed(result) -> None:
        if isinstance(result, DeskError):
            app.say(app.t(result.key, **result.params), severity="error")
        elif result is not None:
            done(result)

    app.push_screen(SignModal(lambda pin: watch.keep_signed(app.store, actor, pin, change),
                              app.t("watch.pin_prompt")), signed)


class WatchListModal(DeskModal[None]):
    HELP = "watch.help"
    DEFAULT_CSS = """
    WatchListModal { align: center middle; }
    WatchListModal > Vertical { width: 100%; height: 100%; border: thick $error; padding: 0 1; background: $surface; }
    WatchListModal DataTable { height: 1fr; }
    WatchListModal .keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("n", "new", "watch.key.new", id="watch.new"),
        Binding("e", "change", "watch.key.change", id="watch.change"),
        Binding("x", "remove", "watch.key.remove", id="watch.remove"),
        Binding("escape", "close", "watch.key.close", id="watch.close"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list = []

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical():
            yield Label(t("watch.title"), classes="heading")
            yield DataTable(id="watch-entries", cursor_type="row")
            yield Label(t("watch.help"), classes="keys")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*(self.app.t(f"watch.col.{c}") for c in COLUMNS))
        self.reload()
        table.focus()

    def reload(self) -> None:
        app, t = self.app, self.app.t
        with app.store.read() as s:
            self.rows = watch.entries(s, app.actor, app.clock.now())
        table = self.query_one(DataTable)
        table.clear()
        for e in self.rows:
            table.add_row(str(e.id), e.name, e.phone or "", t(f"watch.action.{e.action}"), e.reason,
                          f"{e.valid_until.astimezone(app.config.tz):%Y-%m-%d}")

    def _current(self):
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row is None or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def _saved(self, key: str):
        def done(entry) -> None:
            self.app.say(self.app.t(key, id=entry.id))
            self.reload()
        return done

    def action_new(self) -> None:
        self.app.push_screen(WatchEntryModal(None), lambda ok: self.reload())

    def action_change(self) -> None:
        entry = self._current()
        if entry is not None:
            self.app.push_screen(WatchEntryModal(entry), lambda ok: self.reload())

    def action_remove(self) -> None:
        entry = self._current()
        if entry is None:
            return
        actor, entry_id = self.app.actor, entry.id
        _signed(self.app, lambda s: watch.remove(s, actor, entry_id), self._saved("watch.removed"))

    def action_close(self) -> None:
        self.dismiss(None)


class WatchEntryModal(DeskModal[bool]):
    DEFAULT_CSS = """
    WatchEntryModal { align: center middle; }
    WatchEntryModal > Vertical { width: 80; max-width: 100%; height: auto; border: thick $error; padding: 0 1;
        background: $surface; }
    WatchEntryModal FieldRow > Input { height: 1; border: none; padding: 0 1; background: $boost; }
    WatchEntryModal FieldRow > Input:focus { border: none; background: $primary 30%; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "watch.key.save", id="watch_entry.save", priority=True),
        Binding("escape", "back", "watch.key.back", id="watch_entry.back"),
    ]

    def __init__(self, entry) -> None:
        super().__init__()
        self.entry = entry  # None: a new entry

    def compose(self) -> ComposeResult:
        t, e = self.app.t, self.entry
        until = f"{e.valid_until.astimezone(self.app.config.tz):%Y-%m-%d}" if e else ""
        actions = [(a, t(f"watch.action.{a}")) for a in WATCH_ACTIONS]
        with Vertical():
            yield Label(t("watch.title"), classes="heading")
            yield FieldRow("name", t("watch.field.name"), FormInput(e.name if e else "", id="name", max_length=64))
            yield FieldRow("phone", t("watch.field.phone"),
                           FormInput((e.phone or "") if e else "", id="watch_phone", max_length=32))
            yield FieldRow("reason", t("watch.field.reason"), FormInput(e.reason if e else "", id="reason",
                                                                        max_length=200))
            yield FieldRow("action", t("watch.field.action"),
                           ChoiceInput(actions, e.action if e else WATCH_ACTIONS[0], id="action"))
            yield FieldRow("valid_until", t("watch.field.until"),
                           FormInput(until, id="valid_until", max_length=10, placeholder="2026-12-31"))

    def on_mount(self) -> None:
        self.query_one("#name").focus()

    def action_save(self) -> None:
        clear_errors(self)
        app, actor = self.app, self.app.actor
        v = {f: self.query_one(f"#{w}", Input).value for f, w in
             (("name", "name"), ("phone", "watch_phone"), ("reason", "reason"), ("valid_until", "valid_until"))}
        v["action"] = self.query_one("#action", ChoiceInput).value
        try:
            v["valid_until"] = watch.parse_until(v["valid_until"], app.config.tz)
            watch.check_entry(actor, **v)  # refused here, under its field, before the PIN is asked
        except DeskError as error:
            show_desk_error(self, error)
            return
        entry_id = self.entry.id if self.entry else None

        def change(s):
            return watch.change(s, actor, entry_id, **v) if entry_id else watch.add(s, actor, **v)

        def done(entry) -> None:
            app.say(app.t("watch.changed" if entry_id else "watch.added", id=entry.id))
            self.dismiss(True)

        _signed(app, change, done)

    def action_back(self) -> None:
        self.dismiss(False)
