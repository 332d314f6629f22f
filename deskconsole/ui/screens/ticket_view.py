"""One ticket: header, the visit or call it came from, repair steps, follow-ups, the history
timeline, and the next actions as keys (only those the state machine allows are offered).

Shown from anywhere with `open_ticket(app, ticket_id)`. The header is set first and the
history after the screen's next frame step, its newest HISTORY_LINES lines; the frame waits
for both, so the ticket appears whole in one frame (textual_compat.DrawsPendingRepaints). Up
at the history's first line shows the lines before them, Down at its last line the lines
after (issue 21: a long history does not make the ticket slower to open).
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll

from deskconsole.services.errors import DeskError
from deskconsole.services.tickets.workflow import available_actions
from deskconsole.ui import textual_compat
from deskconsole.ui.screens.base import DeskScreen
from deskconsole.ui.text import Static
from deskconsole.ui.widgets.footer import DeskFooter
from deskconsole.ui.widgets.message_line import MessageLine
from deskconsole.ui.widgets.paged_table import PagedTable
from deskconsole.ui.widgets.status_bar import StatusBar
from deskconsole.ui.widgets.ticket_detail_text import event_text, header_text, repair_text
from deskconsole.ui.widgets.ticket_labels import local

# key -> workflow action; the same names as tickets.workflow.TRANSITIONS, but for "skip_step":
# the next repair step skipped with a reason, offered wherever "repair_step" is.
ACTION_KEYS = (("a", "assign"), ("w", "start"), ("v", "check"), ("e", "escalate"), ("t", "repair_step"),
               ("s", "skip_step"), ("r", "resolve"), ("p", "progress_call"), ("f", "follow_up"), ("c", "close"),
               ("z", "reopen"), ("o", "note"), ("u", "edit"), ("x", "cancel"))
HISTORY_LINES = 20  # history lines drawn at once; the rest a page at a time by the cursor keys


class TicketViewScreen(DeskScreen):
    HELP = "tickets.view_help"
    TITLE_KEY = "tickets.view_title"
    BINDINGS = [
        *[Binding(key, f"act('{action}')", f"tickets.do.{action}", id=f"ticket.{action}")
          for key, action in ACTION_KEYS],
        Binding("escape", "back", "key.back", id="ticket.back"),
    ]

    def __init__(self, ticket_id: int | None) -> None:
        super().__init__()
        self.ticket_id = ticket_id
        self.detail = None
        self._events: list = []  # the history lines shown, oldest first
        self._names: dict = {}
        self._events_of: int | None = None  # the ticket whose lines the table holds
        self._newest = True  # the lines shown end with the ticket's newest
        self._oldest = True  # and start with its first

    def compose(self) -> ComposeResult:
        yield StatusBar()
        with VerticalScroll(id="ticket-view-body"):
            yield Static("", id="ticket-header")
            yield Static("", id="ticket-steps")
            yield Static("", id="ticket-followups")
            yield Static(self.app.t("tickets.view.history"), classes="section")
            yield PagedTable(id="ticket-history", cursor_type="row", zebra_stripes=True)
        yield MessageLine()
        yield DeskFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_view()

    def prepare_widgets(self) -> None:
        self._events_of = None  # a new history table holds no lines yet
        table = self.query_one("#ticket-history", PagedTable)
        t = self.app.t
        table.add_column(t("tickets.view.when"), width=11)
        table.add_column(t("tickets.view.who"), width=10)
        table.add_column(t("tickets.view.what"))
        table.focus()

    def show_ticket(self, ticket_id: int) -> None:
        """Point the view at another ticket before it is shown again (refresh_view loads it)."""
        if ticket_id != self.ticket_id and self.is_mounted:
            self.query_one("#ticket-view-body", VerticalScroll).scroll_home(animate=False)
        self.ticket_id = ticket_id
        self.forget_shown()

    def refresh_view(self) -> None:
        from deskconsole.services.tickets.queues import ticket_detail

        if not self.app.store.is_open or self.ticket_id is None:  # None: built in advance, no ticket yet
            return
        try:
            with self.app.store.read() as s:
                self.detail = ticket_detail(s, self.ticket_id, history_limit=HISTORY_LINES)
        except DeskError as error:
            self.app.say(error.message(self.app.t), severity="error")
            self.dismiss()
            return
        d = self.detail
        self.query_one("#ticket-header", Static).update(header_text(self.app, d))
        steps = self.query_one("#ticket-steps", Static)
        steps.display = d.ticket.kind == "repair"
        steps.update(repair_text(self.app, d))
        followups = self.query_one("#ticket-followups", Static)
        followups.display = bool(d.follow_ups) or d.progress_call_due is not None
        followups.update(self._followups_text())
        if self._events_of != d.ticket.id:  # no other ticket's lines under this header
            self.query_one("#ticket-history", PagedTable).clear()
        self._events, self._names, self._events_of = d.events, d.names, d.ticket.id
        self._newest, self._oldest = True, len(d.events) < HISTORY_LINES
        self.refresh_bindings()
        self.call_after_refresh(self._show_history, d, len(d.events) - 1)  # after the header's frame step

    def _show_history(self, detail, cursor: int) -> None:
        if detail is not self.detail or not self.is_mounted:  # another ticket since
            return
        width = max(20, (self.size.width or 100) - 30)
        rows = []
        for ev in self._events:
            who = self._names.get(ev.operator_id, ("", ""))
            rows.append([local(self.app, ev.at), f"{who[0]} {who[1]}", event_text(self.app, ev, width, self._names)])
        self.query_one("#ticket-history", PagedTable).show_rows(rows, cursor=cursor)

    @on(PagedTable.Edge, "#ticket-history")
    def _history_page(self, event: PagedTable.Edge) -> None:
        """Up at the first line shown: the lines before it; Down at the last: the lines after."""
        from deskconsole.services.tickets.history_pages import history_page

        older = event.delta < 0
        if not self._events or self.detail is None or (self._oldest if older else self._newest):
            return
        with self.app.store.read() as s:
            if older:
                events, names = history_page(s, self.ticket_id, before=self._events[0].id, limit=HISTORY_LINES)
            else:
                events, names = history_page(s, self.ticket_id, after=self._events[-1].id, limit=HISTORY_LINES)
        if not events:  # nothing beyond the lines shown
            if older:
                self._oldest = True
            else:
                self._newest = True
            return
        full = len(events) == HISTORY_LINES
        self._oldest, self._newest = (not full, False) if older else (False, not full)
        keep = HISTORY_LINES - len(events)  # a short last page is filled up with lines already shown
        if older:
            cursor, events = len(events) - 1, events + self._events[:keep]
        else:
            cursor, events = min(keep, len(self._events)), (self._events[-keep:] if keep else []) + events
        self._events, self._names = events, {**self._names, **names}
        self._show_history(self.detail, cursor)

    def _followups_text(self) -> Text:
        t = self.app.t
        text = Text()
        due = self.detail.progress_call_due
        if due is not None:  # DOMAIN §3: keep the customer informed until it is solved
            state = self.app.sla_rules.state(due, self.app.clock.now())
            text.append(t("tickets.view.progress_call_due", due=local(self.app, due)),
                        style={"overdue": "bold red", "soon": "bold yellow"}.get(state, ""))
        for fu in self.detail.follow_ups:
            if text:
                text.append("\n")
            if fu.done_at is None:
                late = fu.due_at <= self.app.clock.now()
                text.append(t("tickets.view.follow_up_due", due=local(self.app, fu.due_at)),
                            style="bold red" if late else "bold yellow")
            else:
                text.append(t("tickets.view.follow_up_done", at=local(self.app, fu.done_at),
                              satisfaction=t(f"tickets.satisfaction.{fu.satisfaction}"),
                              outcome=t(f"tickets.outcome.{fu.outcome}") if fu.outcome else "",
                              comment=fu.comment or ""))
        return text

    # -- actions ---------------------------------------------------------------------------
    def available(self) -> list[str]:
        if self.detail is None or self.app.actor is None:
            return []
        tk = self.detail.ticket
        actions = available_actions(tk.status, kind=tk.kind, escalated=tk.escalated_at is not None,
                                    checked=tk.first_checked_at is not None,
                                    is_supervisor=self.app.actor.is_supervisor)
        if "repair_step" in actions:
            actions.append("skip_step")
        return actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "act":
            return parameters[0] in self.available()
        return True

    def action_act(self, action: str) -> None:
        from deskconsole.ui.modals import ticket_action_specs

        if action not in self.available():
            return
        ticket_action_specs.run(self, action)

    def done(self, changed: bool | None = True) -> None:
        """Called after an action's modal closes: reload the ticket and the header counters."""
        if changed:
            self.refresh_view()
            self.app.store_watch.poll(force=True)

    def action_back(self) -> None:
        self.dismiss()


_REUSED = "ticket-view"


async def build_in_advance(app):
    """Build the kept view (no ticket in it) while the sign-on steps show, as the F-key screens
    are (ui/modes.py): the shift's first ticket then opens as fast as the next one (bench:
    the first open took ~80 ms to its last frame, a later one ~30)."""
    if app.is_screen_installed(_REUSED):
        return None
    app.install_screen(TicketViewScreen(None), _REUSED)
    return await textual_compat.build_installed(app, _REUSED)


def open_ticket(app, ticket_id: int) -> None:
    """Show ticket `ticket_id` over whatever screen is current (reception, phone, queue).

    One view is installed once and shown again for the next ticket: building the screen was
    most of the cost of opening a ticket. While it is open (a ticket opened from
    another mode's screen over it) a new one is built as before."""
    if not app.is_screen_installed(_REUSED):
        app.install_screen(TicketViewScreen(ticket_id), _REUSED)
    view = app.get_screen(_REUSED)
    if view in app.all_screens():
        app.push_screen(TicketViewScreen(ticket_id))
        return
    view.show_ticket(ticket_id)
    app.push_screen(view)
