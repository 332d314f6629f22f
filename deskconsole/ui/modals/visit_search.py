"""Find past visits (DOMAIN §1: who came, when, to see whom): one field for a name, phone, unit, date
(2026-11-25) or visit number (#12). Results come a page at a time, newest first
(keyset: the query never loads more rows than one page)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from deskconsole.services import reception_query as rq
from deskconsole.services.errors import DeskError
from deskconsole.services.people import address
from deskconsole.services.phone_numbers import mask_for
from deskconsole.ui.modals.base import DeskModal
from deskconsole.ui.text import DataTable, Input, Label
from deskconsole.ui.widgets.form import FieldRow, clear_errors, show_desk_error


class VisitSearchModal(DeskModal[None]):
    DEFAULT_CSS = """
    VisitSearchModal { align: center middle; }
    VisitSearchModal > Vertical { width: 96%; height: 90%; border: thick $primary; padding: 0 1; background: $surface; }
    VisitSearchModal FieldRow > Input { height: 1; border: none; padding: 0 1; background: $boost; }
    VisitSearchModal FieldRow > Input:focus { border: none; background: $primary 30%; }
    VisitSearchModal DataTable { height: 1fr; }
    VisitSearchModal .keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "close", "key.close", id="visit_search.close"),
        Binding("pagedown", "more", "reception.key.more", id="visit_search.more", priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.cursor: rq.Cursor | None = None
        self.query_text = ""

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical():
            yield Label(t("reception.search.title"), classes="heading")
            yield FieldRow("search", t("reception.search.hint"), Input(id="search", max_length=64))
            yield DataTable(id="results", cursor_type="row")
            yield Label("", id="search-status", classes="keys")

    def on_mount(self) -> None:
        t = self.app.t
        self.query_one(DataTable).add_columns(
            t("reception.col.number"), t("reception.col.arrived"), t("reception.col.visitor"),
            t("reception.col.host"), t("reception.col.phone"), t("reception.col.status"))
        self.query_one("#search").focus()

    @on(Input.Submitted, "#search")
    def _search(self, event: Input.Submitted) -> None:
        self.query_text = event.value
        self.cursor = None
        self.query_one(DataTable).clear()
        self._load()

    def action_more(self) -> None:
        if self.cursor is not None:
            self._load()

    def _load(self) -> None:
        app = self.app
        t = app.t
        clear_errors(self)
        try:
            with app.store.read() as s:
                rows, self.cursor = rq.search(s, self.query_text, tz=app.config.tz, after=self.cursor)
        except DeskError as error:
            show_desk_error(self, error)
            return
        table = self.query_one(DataTable)
        for v in rows:
            table.add_row(str(v.id), f"{v.arrived_at.astimezone(app.config.tz):%Y-%m-%d %H:%M}",
                          address(v.name, v.honorific, t.language),
                          " ".join(x for x in (v.unit, v.host) if x), mask_for(v.phone, app.actor),
                          t(f"reception.status.{v.status}"))
        key = "reception.search.more" if self.cursor else "reception.search.end"
        self.query_one("#search-status", Label).update(t(key, count=table.row_count))
        if rows:
            table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
