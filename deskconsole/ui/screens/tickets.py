"""Tickets (F4): the queues every request waits in until someone has followed it to the end
(DOMAIN §3, first-contact ownership). Digits pick a queue, one field searches everything,
`[` and `]` page, and so do the cursor keys at the first or the last row. Only the rows that
fit the table are loaded (keyset pages, in a worker), and a new page reuses the table's rows."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.css.query import NoMatches

from deskconsole.models.tickets import TICKET_KINDS
from deskconsole.services.tickets.queues import QUEUES, Cursor, Page, QueueQuery
from deskconsole.services.tickets.workflow import OPEN
from deskconsole.ui.screens.base import DeskScreen
from deskconsole.ui.text import Input, Static
from deskconsole.ui.widgets.footer import DeskFooter
from deskconsole.ui.widgets.message_line import MessageLine
from deskconsole.ui.widgets.paged_table import PagedTable
from deskconsole.ui.widgets.status_bar import StatusBar
from deskconsole.ui.widgets.ticket_cells import queue_columns, queue_rows
from deskconsole.ui.widgets.ticket_labels import department_label, department_options

# Past this, a page still loading lets the tab line show the key by itself (one frame at 20 fps;
# the "saving..." note's threshold, ui/store_work.py).
TABS_ALONE_AFTER = 0.05


class TicketsScreen(DeskScreen):
    # The queue has the focus when the screen first shows (Textual would give it to the search
    # field, the first that takes it): a queue number typed at once picks the queue.
    AUTO_FOCUS = "#tickets-table"
    HELP = "tickets.help"
    TITLE_KEY = "mode.tickets"
    BINDINGS = [
        Binding("n", "new_ticket", "tickets.key.new", id="tickets.new"),
        # DOMAIN §3 (000 C): the progress call of the highlighted open ticket, from the worklist
        Binding("p", "progress_call", "tickets.do.progress_call", id="tickets.progress_call"),
        Binding("slash", "search", "tickets.key.search", id="tickets.search"),
        *[Binding(str(i + 1), f"queue('{q}')", f"tickets.queue.{q}", id=f"tickets.queue.{q}", show=False)
          for i, q in enumerate(QUEUES)],
        Binding("d", "next_department", "tickets.key.department", id="tickets.department", show=False),
        Binding("k", "next_kind", "tickets.key.kind", id="tickets.kind"),
        Binding("s", "toggle_sort", "tickets.key.sort", id="tickets.sort"),
        Binding("right_square_bracket", "page(1)", "tickets.key.next_page", id="tickets.next_page"),
        Binding("left_square_bracket", "page(-1)", "tickets.key.prev_page", id="tickets.prev_page"),
        Binding("escape", "clear_search", "tickets.key.clear", id="tickets.clear", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.query_state = QueueQuery()
        self._starts: list[Cursor | None] = [None]  # start cursor of each page shown so far
        self._next: Cursor | None = None
        self._rows = []
        self._limit = 0  # the page size the rows shown were loaded with
        self._cursor_to: int | None = None  # where the cursor goes on the next page (-1: last row)
        self._tabs_timer = None  # draws the tab line alone when a page is slower than a frame

    def compose(self) -> ComposeResult:
        t = self.app.t
        yield StatusBar()
        yield Static("", id="tickets-tabs")
        yield Input(placeholder=t("tickets.search_hint"), id="tickets-search", max_length=64)
        yield PagedTable(id="tickets-table", cursor_type="row", zebra_stripes=True, cell_padding=0)
        yield Static("", id="tickets-info")
        yield MessageLine()
        yield DeskFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_view()

    def prepare_widgets(self) -> None:
        self._columns()
        self.query_one("#tickets-table", PagedTable).focus()

    def on_resize(self) -> None:
        if self.is_mounted:
            if self._cursor_to is None:  # the columns are made again, and the table's cursor with them
                self._cursor_to = self.query_one("#tickets-table", PagedTable).cursor_row
            self._columns()
            self._fill()

    def _page_size(self) -> int:
        # Before the first layout: the screen's height less the six one-line bars and the header.
        return self.query_one("#tickets-table", PagedTable).visible_rows(max(5, (self.app.size.height or 30) - 7))

    def _check_page_size(self) -> None:
        """After a layout: load again if the table now shows more or fewer rows than a page."""
        if self.is_mounted and self._limit and self._page_size() != self._limit and self.is_current:
            self.refresh_view()

    def _columns(self) -> None:
        table = self.query_one("#tickets-table", PagedTable)
        table.clear(columns=True)
        for label, width in queue_columns(self.app.t, self.size.width or 100):
            table.add_column(label, width=width)

    # -- loading -------------------------------------------------------------------------
    def refresh_view(self) -> None:
        if self.app.actor is None or not self.app.store.is_open:
            return
        # The tab line is drawn with the page it names, in one frame: drawn first, it made the
        # page's frame wait for the next frame period (bench/NOTES.md, "Trailing frames"). A
        # page slower than a frame shows the tab line by itself first.
        self._stop_tabs_timer()
        self._tabs_timer = self.set_timer(TABS_ALONE_AFTER, self._tabs_alone)
        self._load(self.query_state, self._starts[-1], self._page_size())

    @work(thread=True, exclusive=True, exit_on_error=False, group="tickets-queue")
    def _load(self, query: QueueQuery, start: Cursor | None, limit: int) -> None:
        from deskconsole.services.tickets.queues import fetch_page, operator_names

        rules = self.app.sla_rules
        with self.app.store.read() as s:
            page = fetch_page(s, self.app.actor, query, after=start, limit=limit, rules=rules)
            names = operator_names(s, [r.first_owner_id for r in page.rows] + [r.assignee_id for r in page.rows])
        self.app.call_from_thread(self._loaded, query, start, page, names, limit)

    def _loaded(self, query: QueueQuery, start: Cursor | None, page: Page, names: dict, limit: int) -> None:
        if query != self.query_state or start != self._starts[-1]:  # the receptionist has moved on
            return
        self._rows, self._next, self._names, self._limit = page.rows, page.next_cursor, names, limit
        self._stop_tabs_timer()
        self._render_tabs()
        self._fill()
        self.call_after_refresh(self._check_page_size)

    def _fill(self) -> None:
        if not hasattr(self, "_names"):
            return
        table = self.query_one("#tickets-table", PagedTable)
        cursor = table.cursor_row if self._cursor_to is None else self._cursor_to
        if cursor < 0:
            cursor = len(self._rows) - 1
        self._cursor_to = None
        rows = queue_rows(self.app, self._rows, self.app.clock.now(), self.app.sla_rules, self.size.width or 100)
        table.show_rows(rows, cursor=cursor)
        self._render_info()
        self.refresh_bindings()

    def _stop_tabs_timer(self) -> None:
        if self._tabs_timer is not None:
            self._tabs_timer.stop()
            self._tabs_timer = None

    def _tabs_alone(self) -> None:
        try:
            self._render_tabs()
        except NoMatches:  # the screen is being rebuilt (a language switch): it draws its own
            pass

    def _render_tabs(self) -> None:
        t = self.app.t
        q = self.query_state
        text = Text(no_wrap=True, overflow="ellipsis")
        for i, name in enumerate(QUEUES):
            label = t(f"tickets.queue.{name}")
            if name == "department":
                label += ":" + (department_label(t, q.department) or t("tickets.no_department"))
            style = "bold reverse" if name == q.queue and not q.search else ""
            text.append(f" {i + 1} {label} ", style=style)
        self.query_one("#tickets-tabs", Static).update(text, layout=False)  # one line: no layout

    def _render_info(self) -> None:
        t = self.app.t
        q = self.query_state
        parts = [t("tickets.info.page", page=len(self._starts), rows=len(self._rows))]
        if self._next is not None:
            parts.append(t("tickets.info.more"))
        parts.append(t("tickets.info.sort_newest" if q.sort == "newest" or q.search else "tickets.info.sort_due"))
        parts.append(t("tickets.info.kind", kind=t(f"tickets.kind.{q.kind}") if q.kind else t("tickets.info.all_kinds")))
        if q.search:
            parts.append(t("tickets.info.search", text=q.search))
        if not self._rows:
            parts.append(t("tickets.info.empty"))
        self.query_one("#tickets-info", Static).update(" | ".join(parts), layout=False)

    def _requery(self, **changes) -> None:
        from dataclasses import replace

        self.query_state = replace(self.query_state, **changes)
        self._starts, self._next = [None], None
        self.refresh_view()

    # -- keys ----------------------------------------------------------------------------
    def action_queue(self, name: str) -> None:
        sort = "newest" if name == "all" else "due"
        self._requery(queue=name, sort=sort, search="")
        self.query_one("#tickets-search", Input).value = ""

    def action_next_department(self) -> None:
        codes = [None] + [c for c, _ in department_options(self.app.t) if c]
        q = self.query_state
        current = q.department if q.queue == "department" else codes[-1]
        nxt = codes[(codes.index(current) + 1) % len(codes)] if current in codes else None
        self._requery(queue="department", department=nxt, sort="due", search="")

    def action_next_kind(self) -> None:
        kinds = [None, *TICKET_KINDS]
        self._requery(kind=kinds[(kinds.index(self.query_state.kind) + 1) % len(kinds)])

    def action_toggle_sort(self) -> None:
        self._requery(sort="newest" if self.query_state.sort == "due" else "due")

    def action_page(self, delta: int) -> None:
        if delta > 0 and self._next is not None:
            # The next page's start is known again once it has loaded: a second key before
            # then must not count a page that is not there (keys arrive faster than a page).
            self._starts.append(self._next)
            self._next = None
        elif delta < 0 and len(self._starts) > 1:
            self._starts.pop()
        else:
            return
        self.refresh_view()

    @on(PagedTable.Edge, "#tickets-table")
    def _edge(self, event: PagedTable.Edge) -> None:
        """Down / Page Down at the last row: the next page, from its first row; Up / Page Up
        at the first row: the page before, from its last row."""
        if (event.delta > 0 and self._next is None) or (event.delta < 0 and len(self._starts) < 2):
            return
        self._cursor_to = 0 if event.delta > 0 else -1
        self.action_page(event.delta)

    def action_search(self) -> None:
        self.query_one("#tickets-search", Input).focus()

    @on(Input.Submitted, "#tickets-search")
    def _search(self, event: Input.Submitted) -> None:
        self._requery(search=event.value.strip())
        self.query_one("#tickets-table", PagedTable).focus()

    def action_clear_search(self) -> None:
        search = self.query_one("#tickets-search", Input)
        if search.value or self.query_state.search:
            search.value = ""
            self._requery(search="")
        self.query_one("#tickets-table", PagedTable).focus()

    def action_new_ticket(self) -> None:
        from deskconsole.ui.modals.ticket_form import TicketFormModal

        def done(ticket_id: int | None) -> None:
            self.refresh_view()
            if ticket_id:
                self.open_ticket(ticket_id)

        self.app.push_screen(TicketFormModal(), done)

    @on(PagedTable.RowSelected, "#tickets-table")
    def _open(self, event: PagedTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self._rows):  # rows are keyed by slot, not by ticket
            self.open_ticket(self._rows[event.cursor_row].id)

    @on(PagedTable.RowHighlighted, "#tickets-table")
    def _highlighted(self) -> None:
        self.refresh_bindings()  # P is offered on an open ticket only

    def _highlighted_row(self):
        table = self.query_one("#tickets-table", PagedTable)
        if not self._rows or not 0 <= table.cursor_row < len(self._rows):
            return None
        return self._rows[table.cursor_row]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "progress_call":
            # Shown greyed (None), not hidden, on a row that is not open: the footer keeps its
            # keys and greys P in place as the cursor moves, instead of being rebuilt.
            row = self._highlighted_row() if self.is_mounted else None
            return True if row is not None and row.status in OPEN else None
        return True

    def action_progress_call(self) -> None:
        from deskconsole.services.errors import DeskError
        from deskconsole.services.tickets.queues import ticket_detail
        from deskconsole.ui.modals import ticket_action_specs

        row = self._highlighted_row()
        if row is None or row.status not in OPEN or not self.app.store.is_open:
            return
        try:
            with self.app.store.read() as s:
                detail = ticket_detail(s, row.id, history_limit=1)
        except DeskError as error:
            self.app.say(error.message(self.app.t), severity="error")
            return
        ticket_action_specs.run(self, "progress_call", detail)

    def done(self, changed: bool | None = True) -> None:
        """After an action taken from the list: reload the page and the header counters."""
        if changed:
            self.refresh_view()
            self.app.store_watch.poll(force=True)

    def open_ticket(self, ticket_id: int) -> None:
        from deskconsole.ui.screens.ticket_view import open_ticket

        open_ticket(self.app, ticket_id)

    def has_unsaved(self) -> bool:
        return False
