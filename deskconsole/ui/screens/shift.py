"""Shift (F6): the live summary of this shift, or of any past shift, day or range picked by
keys (DOMAIN §6: the work statistics a supervisor reads), and closing the shift with the
handover. The figures come from `services.summary.summarize`, the same function the CLI
prints, computed in a worker so a month on years of data never blocks the keyboard."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll

from deskconsole.services import handover
from deskconsole.services.summary import Period, render, summarize
from deskconsole.ui.modals.handover import HandoverCloseModal
from deskconsole.ui.modals.period_pick import PeriodModal, ShiftPickModal
from deskconsole.ui.screens.base import DeskScreen
from deskconsole.ui.text import Label, Static
from deskconsole.ui.text import row as cells
from deskconsole.ui.widgets.footer import DeskFooter
from deskconsole.ui.widgets.hour_chart import HourChart, hours_of
from deskconsole.ui.widgets.message_line import MessageLine
from deskconsole.ui.widgets.quiet import update_if_changed
from deskconsole.ui.widgets.status_bar import StatusBar
from deskconsole.ui.widgets.summary_section import SummarySection

SECTION_ORDER = ("calls", "visitors", "tickets", "etiquette")
LIVE_REFRESH_S = 30.0


class ShiftScreen(DeskScreen):
    HELP = "shift.help"
    TITLE_KEY = "mode.shift"
    BINDINGS = [
        Binding("c", "close_shift", "shift.key.close", id="shift.close"),
        Binding("t", "live", "shift.key.live", id="shift.live"),
        Binding("s", "pick_shift", "shift.key.pick_shift", id="shift.pick_shift"),
        Binding("d", "pick_period", "shift.key.pick_period", id="shift.pick_period"),
        Binding("left_square_bracket", "step(-1)", "shift.key.previous", id="shift.previous"),
        Binding("right_square_bracket", "step(1)", "shift.key.next", id="shift.next"),
        Binding("r", "refresh", "shift.key.refresh", id="shift.refresh", show=False),
        Binding("w", "watch_list", "watch.key.open", id="shift.watch_list"),
        Binding("i", "directory_import", "directory.key.import_list", id="shift.directory_import"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.fixed: Period | None = None  # None: this shift, live
        self.data: dict | None = None
        self.period: Period | None = None
        self._handover_rows: list | None = None  # what the handover table shows

    def compose(self) -> ComposeResult:
        t = self.app.t
        yield StatusBar()
        yield Label(t("shift.loading"), id="shift-title")
        with VerticalScroll(id="shift-body"):
            with Grid(id="shift-sections"):
                for section in SECTION_ORDER:
                    yield SummarySection(section)
            yield HourChart("shift.chart_calls", id="chart-calls")
            yield HourChart("shift.chart_visitors", id="chart-visitors")
            yield Label(t("shift.section.handover"), classes="heading")
            yield Static("", id="shift-handover")
            yield Static("", id="shift-audit")
            yield Label(t("shift.attention"), id="shift-legend")
        yield MessageLine()
        yield DeskFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(LIVE_REFRESH_S, self._tick)
        self.refresh_view()

    def prepare_widgets(self) -> None:
        self._handover_rows = None  # a screen built anew shows none yet
        self.query_one("#shift-body").focus()

    def _tick(self) -> None:
        if self.fixed is None and self.is_current:  # a live shift's end is "now"
            self.refresh_view()

    # -- loading -----------------------------------------------------------------------
    def refresh_view(self) -> None:
        if self.app.actor is None or not self.app.store.is_open:
            return
        self._load(self.fixed)

    @work(thread=True, exclusive=True, exit_on_error=False, group="shift-summary")
    def _load(self, fixed: Period | None) -> None:
        app = self.app
        now = app.clock.now()
        with app.store.read() as s:
            if fixed is None:
                period = Period.for_shift(s, app.actor.shift_id, app.config.timezone, now)
            else:
                period = fixed.with_as_of(now)
            data = summarize(s, period, rules=app.sla_rules).to_dict()
        app.call_from_thread(self._show, period, data)

    def _show(self, period: Period, data: dict) -> None:
        t = self.app.t
        self.period, self.data = period, data
        title = render.period_title(data, t)
        if self.fixed is None:
            title = f"{t('shift.key.live')}: {title}"
        # What has not changed since the last load is neither drawn nor laid out again: the
        # live shift reloads every 30 s and whenever it is shown after a write.
        update_if_changed(self.query_one("#shift-title", Label), title)
        for section in self.query(SummarySection):
            section.show(data)
        hours = hours_of(period.local_start, period.local_end)
        self.query_one("#chart-calls", HourChart).show(data["calls"]["by_hour"], hours)
        self.query_one("#chart-visitors", HourChart).show(data["visitors"]["by_hour"], hours)
        rows = render.handover_rows(data, t)
        if rows != self._handover_rows:
            self._handover_rows = rows
            self.query_one("#shift-handover", Static).update(self._handover_table(rows))
        update_if_changed(self.query_one("#shift-audit", Static), render.audit_line(data, t))

    def _handover_table(self, rows: list):
        from rich.table import Table

        t = self.app.t
        if not rows:
            return t("shift.no_handover_rows")
        table = Table(expand=True, show_edge=False, pad_edge=False)
        for header in cells(*render.handover_header(t)):  # Table(*headers) takes a Text for a Column
            table.add_column(header)
        for row in rows:
            table.add_row(*cells(*[c.replace("\n", " ") for c in row]))
        return table

    # -- picking the period ----------------------------------------------------------------
    def action_live(self) -> None:
        self.fixed = None
        self.refresh_view()

    def check_action(self, action: str, parameters) -> bool | None:
        """The watch list and the resident-list import are a supervisor's: hidden from others."""
        if action in ("watch_list", "directory_import"):
            return bool(self.app.actor is not None and self.app.actor.is_supervisor)
        return True

    def _supervisor(self, action: str) -> bool:
        if not self.app.actor.is_supervisor:
            self.app.say(self.app.t("error.supervisor_only", action=self.app.t(action)), severity="warning")
            return False
        return True

    def action_watch_list(self) -> None:
        """The watch list, kept by supervisors (ui/modals/watch_list.py)."""
        if self._supervisor("watch.action.keep"):
            from deskconsole.ui.modals.watch_list import WatchListModal

            self.app.push_screen(WatchListModal())

    def action_directory_import(self) -> None:
        """A resident list, previewed then imported (ui/modals/directory_import.py)."""
        if self._supervisor("directory.action.import"):
            from deskconsole.ui.modals.directory_import import DirectoryImportModal

            self.app.push_screen(DirectoryImportModal())

    def action_refresh(self) -> None:
        self.refresh_view()

    def _set_period(self, period: Period | None) -> None:
        if period is None:
            return
        self.fixed = period
        self.refresh_view()

    def action_pick_period(self) -> None:
        today = self.app.clock.now().astimezone(self.app.config.tz).date().isoformat()
        self.app.push_screen(PeriodModal(today), self._set_period)

    def action_pick_shift(self) -> None:
        self._recent_shifts()

    @work(thread=True, exclusive=True, exit_on_error=False, group="shift-pick")
    def _recent_shifts(self) -> None:
        with self.app.store.read() as s:
            rows = handover.recent_shifts(s, limit=50)  # newest first
        self.app.call_from_thread(self.app.push_screen, ShiftPickModal(rows), self._shift_picked)

    def _shift_picked(self, shift_id: int | None) -> None:
        if shift_id is None:
            return
        with self.app.store.read() as s:  # one row by its key
            period = Period.for_shift(s, shift_id, self.app.config.timezone, self.app.clock.now())
        self._set_period(period)

    def action_step(self, direction: int) -> None:
        """Earlier / later by the length of what is shown (a day steps by a day)."""
        base = self.period if self.fixed is None else self.fixed
        if base is None:
            return
        length = base.end - base.start
        start = base.start + length * direction
        kind = base.kind if base.kind in ("day", "range") else "range"
        self._set_period(Period(start, start + length, base.timezone, self.app.clock.now(), kind=kind,
                                desk_id=base.desk_id))

    # -- closing the shift ---------------------------------------------------------------------
    def action_close_shift(self) -> None:
        from deskconsole.ui.modals.confirm import ConfirmModal

        app = self.app
        if app.actor is None:
            return
        others = [s for s in app.all_screens() if s is not self]
        if any(getattr(s, "has_unsaved", lambda: False)() for s in others):
            app.push_screen(ConfirmModal(app.t("shift.handover.unsaved_elsewhere")),
                            lambda yes: self._open_items() if yes else None)
            return
        self._open_items()

    @work(thread=True, exclusive=True, exit_on_error=False, group="shift-close")
    def _open_items(self) -> None:
        app = self.app
        actor = app.actor
        with app.store.read() as s:
            items = handover.open_items(s, desk_id=actor.desk_id, operator_id=actor.operator_id,
                                        now=app.clock.now(), timezone=app.config.timezone,
                                        unmasked=actor.is_supervisor)
        app.call_from_thread(app.push_screen, HandoverCloseModal(items), self._after_close)

    def _after_close(self, closed: bool | None) -> None:
        if closed:
            self.app.say(self.app.t("shift.closed"))
            self.app.session.sign_off()
