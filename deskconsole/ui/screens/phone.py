"""Phone (F3): today's figures, the live lines, missed calls not yet returned (first: DOMAIN §2,
call them back), messages taken for me, and the call register with search, paged.

Phone numbers are masked except to a supervisor. The figures come from
services/summary/calls.call_figures, the function the end-of-shift summary uses."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.coordinate import Coordinate
from textual.widgets import Select

from deskconsole import catalogs
from deskconsole.services import calls as phone_service
from deskconsole.services.people import address
from deskconsole.services.phone_numbers import mask_for
from deskconsole.services.summary import render
from deskconsole.ui.screens.base import DeskScreen
from deskconsole.ui.text import DataTable, Input, Label, Static
from deskconsole.ui.widgets.footer import DeskFooter
from deskconsole.ui.widgets.message_line import MessageLine
from deskconsole.ui.widgets.ring_timer import fmt_talk
from deskconsole.ui.widgets.status_bar import StatusBar
from deskconsole.ui.widgets.tick_box import TickBox as Checkbox

PAGE = 20


class PhoneScreen(DeskScreen):
    HELP = "phone.help"
    TITLE_KEY = "mode.phone"
    BINDINGS = [
        Binding("c", "call_back", "phone.key.call_back", id="phone.call_back"),
        Binding("o", "outgoing", "phone.key.outgoing", id="phone.outgoing"),
        Binding("l", "focus_lines", "phone.key.lines", id="phone.lines"),
        Binding("x", "line_missed", "phone.key.line_missed", id="phone.line_missed"),
        Binding("m", "focus_missed", "phone.key.missed_list", id="phone.missed_list"),
        Binding("ctrl+f", "search", "phone.key.search", id="phone.search"),
        Binding("n", "page(1)", "phone.key.next_page", id="phone.next_page"),
        Binding("p", "page(-1)", "phone.key.prev_page", id="phone.prev_page"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.query_filter = phone_service.CallQuery()
        self.pages: list[tuple[datetime, int] | None] = [None]  # keyset of each page's start
        self.has_more = False
        self.missed_ids: list[int] = []
        self.line_ids: list[int] = []

    def compose(self) -> ComposeResult:
        t = self.app.t
        categories = [(label, code) for code, label in catalogs.codes_with_labels(
            phone_service.CATEGORIES_FILE, "category", t.language)]
        yield StatusBar()
        with Vertical(id="phone-body"):
            yield Static("", id="phone-figures")
            yield Label(t("phone.lines"), classes="heading", id="phone-lines-title")
            yield DataTable(id="phone-lines", cursor_type="row")
            yield Label(t("phone.missed_title"), classes="heading")
            yield DataTable(id="phone-missed", cursor_type="row")
            yield Label(t("phone.messages_title"), classes="heading", id="phone-messages-title")
            yield DataTable(id="phone-messages", cursor_type="row")
            with Horizontal(id="phone-search"):
                yield Input(placeholder=t("phone.search.day"), id="search-day", compact=True, max_length=10)
                yield Select(categories, prompt=t("phone.search.category"), id="search-category", compact=True)
                yield Input(placeholder=t("phone.search.unit"), id="search-unit", compact=True, max_length=64)
                yield Input(placeholder=t("phone.search.phone"), id="search-phone", compact=True, max_length=32)
                yield Checkbox(t("phone.search.unanswered"), id="search-unanswered", compact=True)
            yield Label("", id="search-error")
            yield Label("", classes="heading", id="phone-register-title")
            yield DataTable(id="phone-register", cursor_type="row", zebra_stripes=True)
        yield MessageLine()
        yield DeskFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_view()

    def prepare_widgets(self) -> None:
        """The tables' columns, and the register searched for today (as typed in its day field)."""
        t = self.app.t
        self.query_one("#phone-lines", DataTable).add_columns(
            t("phone.col.line"), t("phone.col.state"), t("phone.col.time"))
        self.query_one("#phone-missed", DataTable).add_columns(
            t("phone.col.time"), t("phone.col.line"), t("phone.col.rings"), t("phone.col.phone"), t("phone.col.caller"))
        self.query_one("#phone-messages", DataTable).add_columns(
            t("phone.col.time"), t("phone.col.caller"), t("phone.col.phone"), t("phone.col.summary"))
        self.query_one("#phone-register", DataTable).add_columns(
            t("phone.col.time"), t("phone.col.dir"), t("phone.col.rings"), t("phone.col.status"),
            t("phone.col.caller"), t("phone.col.phone"), t("phone.col.unit"), t("phone.col.category"),
            t("phone.col.outcome"))
        self.query_one("#phone-register", DataTable).focus()
        today = self.app.clock.now().astimezone(self.app.config.tz).date()
        self.query_one("#search-day", Input).value = today.isoformat()
        self.query_filter = phone_service.CallQuery(day=today)
        self.pages = [None]

    def phone_lines_changed(self) -> None:
        """Called by the app after a ring, answer, hang-up or missed call."""
        self.refresh_view()

    # -- loading -----------------------------------------------------------------------
    def refresh_view(self) -> None:
        if self.app.actor is None or not self.app.store.is_open:
            return
        self._show_lines()
        self._load(self.query_filter, self.pages[-1])

    @work(thread=True, exclusive=True, exit_on_error=False, group="phone")
    def _load(self, query: phone_service.CallQuery, after) -> None:
        from deskconsole.services.summary.calls import call_figures

        app = self.app
        actor, tz = app.actor, app.config.tz
        now = app.clock.now()
        start = datetime.combine(now.astimezone(tz).date(), datetime.min.time(), tz)
        with app.store.read() as s:
            figures = call_figures(s, start, now + timedelta(seconds=1), desk_id=actor.desk_id, tz=tz)
            missed = phone_service.unreturned_missed(s, now)
            messages = phone_service.messages_for(s, actor)
            rows = phone_service.search_calls(s, query, tz, after=after, limit=PAGE + 1)
        app.call_from_thread(self._loaded, figures, missed, messages, rows)

    def _loaded(self, figures, missed, messages, rows) -> None:
        app = self.app
        t, actor, tz = app.t, app.actor, app.config.tz
        if actor is None:
            return
        none = t("phone.figures.none")
        data = {"calls": figures.to_dict()}

        def percent(key: str) -> str:
            # The same "!" as the summary (F6): a figure that misses the standard stands out.
            value = data["calls"][key]
            mark = " !" if render.needs_attention(data, "calls", key) else ""
            return none if value is None else f"{value:.1f}%{mark}"

        self.query_one("#phone-figures", Static).update(t(
            "phone.figures.line", calls=figures.incoming, sl=percent("service_level_pct"),
            pct=percent("within_three_rings_pct"), abandon=percent("abandon_rate_pct"),
            asa=none if figures.avg_speed_of_answer_s is None else t("phone.figures.seconds", s=f"{figures.avg_speed_of_answer_s:.1f}"),
            longest=none if figures.longest_ring_s is None else t("phone.figures.seconds", s=f"{figures.longest_ring_s:.1f}"),
            missed=figures.missed_not_returned, limit=app.config.ring_limit))

        def when(dt: datetime) -> str:
            local = dt.astimezone(tz)
            return f"{local:%H:%M}" if local.date() == app.clock.now().astimezone(tz).date() else f"{local:%m-%d %H:%M}"

        def who(c) -> str:
            return address(c.caller_name, c.honorific, t.language)

        table = self.query_one("#phone-missed", DataTable)
        row = table.cursor_row
        table.clear()
        self.missed_ids = [c.id for c in missed]
        for c in missed:
            table.add_row(when(c.started_at), c.line, str(c.rings or "-"),
                          mask_for(c.phone, actor) or t("phone.number_unknown"), who(c))
        if not missed:
            table.add_row("", "", "", t("phone.missed_none"), "")
        table.move_cursor(row=min(row, max(len(missed) - 1, 0)))
        table = self.query_one("#phone-messages", DataTable)
        table.clear()
        for c in messages:
            table.add_row(when(c.started_at), who(c) or "-", mask_for(c.phone, actor), c.summary or "")
        self.query_one("#phone-messages").display = bool(messages)
        self.query_one("#phone-messages-title").display = bool(messages)
        self.has_more = len(rows) > PAGE
        rows = rows[:PAGE]
        self._page_rows = rows
        labels = dict(catalogs.codes_with_labels(phone_service.CATEGORIES_FILE, "category", t.language))
        table = self.query_one("#phone-register", DataTable)
        table.clear()
        for c in rows:
            rings = "-" if c.rings is None else str(c.rings)
            if c.answered_at is not None and c.rings is not None:
                rings += " " + (t("phone.ok") if c.within_limit else t("phone.late"))
            status = t("phone.status.out") if c.direction == "out" else t(f"phone.status.{c.status}")
            table.add_row(when(c.started_at), t(f"phone.dir.{c.direction}"), rings if c.direction == "in" else "",
                          status, who(c), mask_for(c.phone, actor), c.unit,
                          labels.get(c.category or "", ""), t(f"phone.outcome.{c.outcome}") if c.outcome else "")
        self.query_one("#phone-register-title", Label).update(
            t("phone.register_title", page=len(self.pages), more=t("phone.more") if self.has_more else ""))

    def phone_tick_view(self) -> None:
        """Called by the phone ticker: the times of the live lines follow the clock."""
        phone = self.app.phone
        lines = [*phone.ringing(), *phone.talking()]
        if [c.call_id for c in lines] != self.line_ids:
            self._show_lines()
            return
        table = self.query_one("#phone-lines", DataTable)
        for row, c in enumerate(lines):
            table.update_cell_at(Coordinate(row, 2), self._line_time(c), update_width=True)

    def _line_time(self, live) -> str:
        elapsed = self.app.phone.elapsed(live)
        return self.app.t("phone.figures.seconds", s=f"{elapsed:.1f}") if live.state == "ringing" else fmt_talk(elapsed)

    def _show_lines(self) -> None:
        phone = self.app.phone
        t = self.app.t
        lines = [*phone.ringing(), *phone.talking()]
        self.line_ids = [c.call_id for c in lines]
        table = self.query_one("#phone-lines", DataTable)
        row = table.cursor_row
        table.clear()
        for c in lines:
            state = t("phone.state.ringing") if c.state == "ringing" else t("phone.state.talking")
            table.add_row(c.line, state, self._line_time(c))
        table.move_cursor(row=min(row, max(len(lines) - 1, 0)))
        for node in (table, self.query_one("#phone-lines-title")):
            node.display = bool(lines)
        self.refresh_bindings()

    # -- keys --------------------------------------------------------------------------
    @on(DataTable.RowSelected, "#phone-lines")
    def _line_chosen(self, event: DataTable.RowSelected) -> None:
        """Enter on a ringing line answers that one; on a call under way, reopens its form."""
        if event.cursor_row >= len(self.line_ids):
            return
        call_id = self.line_ids[event.cursor_row]
        live = self.app.phone.live.get(call_id)
        if live is None:
            return
        if live.state == "ringing":
            self.app.phone_controller.answer(call_id)
        else:
            self.app.phone_controller.open_form(call_id)

    @on(DataTable.RowSelected, "#phone-missed")
    def _missed_chosen(self) -> None:
        self.action_call_back()

    def action_call_back(self) -> None:
        table = self.query_one("#phone-missed", DataTable)
        if not self.missed_ids or table.cursor_row >= len(self.missed_ids):
            self.app.say(self.app.t("phone.missed_none"))
            return
        call_id = self.missed_ids[table.cursor_row]
        from deskconsole.models import Call
        from deskconsole.ui.modals.call_form import CallFormModal

        missed = None  # stays None while the store is away: the key does nothing, the console goes on
        with self.app.store_watch.unless_away(), self.app.store.read() as s:
            missed = s.get(Call, call_id)
        if missed is None:
            return
        prefill = {"phone": missed.phone or "", "caller_name": missed.caller_name, "honorific": missed.honorific,
                   "unit": missed.unit, "category": missed.category}
        self.app.push_screen(CallFormModal(returns_call_id=call_id, prefill=prefill), lambda _r: self.refresh_view())

    def action_outgoing(self) -> None:
        from deskconsole.ui.modals.call_form import CallFormModal

        self.app.push_screen(CallFormModal(), lambda _r: self.refresh_view())

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "focus_lines":
            return bool(self.line_ids)
        if action == "line_missed":
            return self._highlighted_line() is not None
        return True

    def _highlighted_line(self):
        tables = self.query("#phone-lines").results(DataTable)
        table = next(tables, None)  # none while the screen is rebuilt (language switch)
        if table is None or not table.has_focus or table.cursor_row >= len(self.line_ids):
            return None
        live = self.app.phone.live.get(self.line_ids[table.cursor_row])
        return live if live is not None and live.state == "ringing" else None

    @on(DataTable.RowHighlighted, "#phone-lines")
    def _line_highlighted(self) -> None:
        """The highlighted ringing line is the one F7 answers and F8 marks missed, on any screen."""
        live = self._highlighted_line()
        if live is not None:
            self.app.phone.pick(live.call_id)
        self.refresh_bindings()

    def action_line_missed(self) -> None:
        live = self._highlighted_line()
        if live is not None:
            self.app.phone.pick(live.call_id)
            self.app.action_phone_missed()

    def action_focus_lines(self) -> None:
        """Start at the top: the longest-ringing line (ringing lines come first)."""
        table = self.query_one("#phone-lines", DataTable)
        table.focus()
        table.move_cursor(row=0)

    def action_focus_missed(self) -> None:
        self.query_one("#phone-missed", DataTable).focus()

    def action_search(self) -> None:
        self.query_one("#search-day", Input).focus()

    def action_page(self, step: int) -> None:
        if step > 0 and self.has_more and self._page_rows:
            last = self._page_rows[-1]
            self.pages.append((last.started_at, last.id))
            self.has_more = False  # known again once that page has loaded (a second key waits)
        elif step < 0 and len(self.pages) > 1:
            self.pages.pop()
        else:
            return
        self._load(self.query_filter, self.pages[-1])

    @on(Input.Submitted, "#phone-search Input")
    @on(Checkbox.Changed, "#search-unanswered")
    @on(Select.Changed, "#search-category")
    def _search(self) -> None:
        raw_day = self.query_one("#search-day", Input).value.strip()
        day = None
        if raw_day:
            try:
                day = date.fromisoformat(raw_day)
            except ValueError:
                error = self.query_one("#search-error", Label)
                error.update(self.app.t("phone.search.bad_day"))
                error.display = True  # said under the search bar, where it was typed
                self.query_one("#search-day", Input).focus()
                return
        self.query_one("#search-error", Label).display = False
        category = self.query_one("#search-category", Select).value
        self.query_filter = phone_service.CallQuery(
            day=day, category=None if category is Select.NULL else category,
            unit=self.query_one("#search-unit", Input).value, phone=self.query_one("#search-phone", Input).value,
            unanswered=self.query_one("#search-unanswered", Checkbox).value)
        self.pages = [None]
        self._load(self.query_filter, None)
        if isinstance(self.focused, Input):
            self.query_one("#phone-register", DataTable).focus()

    _page_rows: list = []
