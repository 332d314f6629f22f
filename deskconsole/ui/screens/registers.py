"""Registers (F10): the desk's other paper forms (DOMAIN §3, seed 003 §6.54, §6.13, §6.47).
1 keys (every catalogue key, in or out; overdue keys red), 2 goods releases (newest first),
3 the lending counter (items out first). L lends a key or an item, or issues a release, in a
small form; R takes back the selected key or item; C checks a release number for the gate."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding

from deskconsole.ui.modals import register_forms
from deskconsole.ui.screens.base import DeskScreen
from deskconsole.ui.store_work import save
from deskconsole.ui.text import DataTable, Static
from deskconsole.ui.widgets.fit_columns import fit
from deskconsole.ui.widgets.footer import DeskFooter
from deskconsole.ui.widgets.message_line import MessageLine
from deskconsole.ui.widgets.status_bar import StatusBar

TABS = ("keys", "goods", "loans")
PAGE = 100
OVERDUE = "bold red"


class RegistersScreen(DeskScreen):
    HELP = "registers.help"
    TITLE_KEY = "mode.registers"
    BINDINGS = [
        Binding("1", "tab('keys')", "registers.key.tab_keys", id="registers.tab_keys"),
        Binding("2", "tab('goods')", "registers.key.tab_goods", id="registers.tab_goods"),
        Binding("3", "tab('loans')", "registers.key.tab_loans", id="registers.tab_loans"),
        Binding("l", "lend", "registers.key.lend", id="registers.lend"),
        Binding("r", "take_back", "registers.key.return", id="registers.return"),
        Binding("c", "check", "registers.key.check", id="registers.check"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.tab = "keys"
        self.rows: list = []

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("", id="registers-tabs")
        yield DataTable(id="registers-table", cursor_type="row", zebra_stripes=True, cell_padding=1)
        yield Static("", id="registers-info")
        yield MessageLine()
        yield DeskFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_view()

    def prepare_widgets(self) -> None:
        self.query_one("#registers-table", DataTable).focus()

    def action_tab(self, tab: str) -> None:
        self.tab = tab
        self.refresh_view()

    # -- loading -------------------------------------------------------------------------
    def refresh_view(self) -> None:
        if self.app.actor is None or not self.app.store.is_open:
            return
        self._render_tabs()
        self._load(self.tab)

    @work(thread=True, exclusive=True, exit_on_error=False, group="registers-load")
    def _load(self, tab: str) -> None:
        from deskconsole.services.registers import goods, keys, loans

        app = self.app
        now, actor = app.clock.now(), app.actor
        with app.store.read() as s:
            if tab == "keys":
                rows = keys.key_board(s, now, viewer=actor)
                extra = keys.overdue_count(s, now)
            elif tab == "goods":
                rows = goods.list_releases(s, now=now, limit=PAGE, viewer=actor)
                extra = 0
            else:
                rows = loans.out_items(s, limit=PAGE, viewer=actor)
                rows += [r for r in loans.list_loans(s, limit=PAGE, viewer=actor) if r.returned_at or r.voided]
                extra = 0
        app.call_from_thread(self._loaded, tab, rows[:PAGE], extra)

    def _loaded(self, tab: str, rows: list, extra: int) -> None:
        if tab != self.tab or not self.is_mounted:
            return
        self.rows = rows
        t, tz, now = self.app.t, self.app.config.tz, self.app.clock.now()
        table = self.query_one("#registers-table", DataTable)
        keep = table.cursor_row

        def when(dt) -> str:
            return f"{dt.astimezone(tz):%m-%d %H:%M}" if dt else ""

        lines: list[tuple[str, tuple[str, ...], str]] = []  # (row key, cells, style)
        if tab == "keys":
            columns, free = ("key_code", "label", "status", "due_at", "ticket_id", "purpose"), 5
            for spec, loan in rows:
                style = OVERDUE if loan is not None and loan.overdue else ""
                if loan is None:
                    cells = (spec.code, spec.label(self.app.language), t("registers.free"), "", "", "")
                else:
                    cells = (spec.code, spec.label(self.app.language), t("registers.out_to", name=loan.name),
                             when(loan.due_at), f"#{loan.ticket_id}" if loan.ticket_id else "", loan.purpose)
                lines.append((spec.code, cells, style))
            out = sum(1 for _, loan in rows if loan is not None)
            info = t("registers.info_keys", out=out, overdue=extra)
        elif tab == "goods":
            columns, free = ("number", "unit", "name", "items", "vehicle_plate", "expires_at"), 3
            for r in rows:
                gone = r.voided or r.expires_at <= now
                cells = (r.number, r.unit, r.name, r.items.replace("\n", "; "), r.vehicle_plate,
                         t("registers.check.void", number="").strip() if r.voided else when(r.expires_at))
                lines.append((str(r.id), cells, "dim" if gone else ""))
            info = t("registers.info_goods", count=len(rows))
        else:
            columns, free = ("id", "item_code", "name", "unit", "deposit", "lent_at", "returned_at"), 4
            for r in rows:
                cells = (str(r.id), self._item_label(r.item_code), r.name, r.unit,
                         str(r.deposit) if r.deposit is not None else r.id_note, when(r.lent_at), when(r.returned_at))
                lines.append((str(r.id), cells, "dim" if r.returned_at or r.voided else ""))
            info = t("registers.info_loans", out=sum(1 for r in rows if not (r.returned_at or r.voided)))
        headers = [t(f"registers.col.{c}") for c in columns]
        # The table fits the screen: no sideways scroll at 80x24, whatever was typed.
        widths, cut = fit(headers, [cells for _, cells, _ in lines], table.size.width or self.app.size.width, free)
        table.clear(columns=True)
        for header, width in zip(headers, widths, strict=True):
            table.add_column(header, width=width)
        for (key, _, style), cells in zip(lines, cut, strict=True):
            table.add_row(*(Text(c, style=style) for c in cells), key=key)
        if rows:
            table.move_cursor(row=min(max(keep, 0), len(rows) - 1))
        else:
            info = t("registers.nothing")
        self.query_one("#registers-info", Static).update(info)

    def _item_label(self, code: str) -> str:
        from deskconsole.services.registers import rules

        spec = rules.items().get(code)
        return spec.label(self.app.language) if spec else code

    def _render_tabs(self) -> None:
        t = self.app.t
        text = Text(no_wrap=True, overflow="ellipsis")
        for name in TABS:
            text.append(f" {t(f'registers.tab_{name}')} ", style="bold reverse" if name == self.tab else "")
            text.append(" ")
        self.query_one("#registers-tabs", Static).update(text)

    def _selected(self):
        table = self.query_one("#registers-table", DataTable)
        if not self.rows or table.cursor_row < 0 or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    # -- actions -------------------------------------------------------------------------
    def action_lend(self) -> None:
        selected = self._selected()
        if self.tab == "keys":
            code = selected[0].code if selected and selected[1] is None else ""
            modal = register_forms.key_form(self.app, code)
        elif self.tab == "goods":
            modal = register_forms.release_form(self.app)
        else:
            modal = register_forms.item_form(self.app)
        self.app.push_screen(modal, self._after_form)

    def _after_form(self, saved: bool | None) -> None:
        if saved:
            self.app.store_watch.poll(force=True)
            self.refresh_view()

    def action_take_back(self) -> None:
        from deskconsole.services.registers import return_item, return_key

        app, actor, t = self.app, self.app.actor, self.app.t
        selected = self._selected()
        if self.tab == "keys":
            if not selected or selected[1] is None:
                app.say(t("registers.pick_key"), severity="warning")
                return
            code = selected[0].code
            save(self, lambda s: return_key(s, actor, code),
                 lambda v: self._done(t("registers.key_returned", code=v.key_code)), self._refused)
        elif self.tab == "loans":
            if not selected or selected.returned_at or selected.voided:
                app.say(t("registers.pick_loan"), severity="warning")
                return
            loan_id = selected.id
            save(self, lambda s: return_item(s, actor, loan_id),
                 lambda v: self._done(t("registers.item_returned", item=self._item_label(v.item_code), id=v.id)),
                 self._refused)

    def _done(self, message: str) -> None:
        self.app.say(message)
        self._after_form(True)

    def _refused(self, error) -> None:
        self.app.say(error.message(self.app.t), severity="warning")

    def action_check(self) -> None:
        self.app.push_screen(register_forms.ReleaseCheckModal())
