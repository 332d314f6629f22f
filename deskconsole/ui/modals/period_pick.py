"""Picking what the F6 summary shows: a past shift (with who handed over to whom, DOMAIN §6),
or a day, times on a day (a night shift may run past midnight) or a range of days."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from deskconsole.services import handover, shifts
from deskconsole.services.errors import DeskError
from deskconsole.services.summary import Period, parse_period
from deskconsole.ui.modals.base import DeskModal
from deskconsole.ui.modals.confirm import ConfirmModal
from deskconsole.ui.store_work import save
from deskconsole.ui.text import DataTable, Input, Label
from deskconsole.ui.widgets.form import FieldRow, FormInput, clear_errors, show_desk_error


class ShiftPickModal(DeskModal[int | None]):
    DEFAULT_CSS = """
    ShiftPickModal { align: center middle; }
    ShiftPickModal > Vertical { width: 90%; max-width: 100; height: 85%; border: thick $accent;
                                padding: 0 1; background: $surface; }
    ShiftPickModal .title { text-style: bold; }
    ShiftPickModal DataTable { height: 1fr; }
    ShiftPickModal .keys { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "back", "shift.key.cancel", id="shift.pick.back"),
                # supervisors: close the shift under the cursor, left open by its operator
                Binding("x", "close_left_open", "shift.key.close_left_open", id="shift.pick.close_left_open",
                        show=False)]

    def __init__(self, rows: list[handover.HandoverEntry]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical():
            yield Label(t("shift.pick.shift_title"), classes="title")
            yield DataTable(id="shift-list", cursor_type="row", zebra_stripes=True)
            yield Label(t("shift.pick.shift_keys") if self.rows else t("shift.pick.none"), classes="keys")

    def on_mount(self) -> None:
        t = self.app.t
        tz = self.app.config.tz
        table = self.query_one(DataTable)
        for col in ("shift", "desk", "from", "started", "ended", "to", "note"):
            table.add_column(t(f"shift.handover_col.{col}"))
        for r in self.rows:
            table.add_row(str(r.shift_id), r.desk, f"{r.staff_no} {r.name}",
                          f"{r.started_at.astimezone(tz):%m-%d %H:%M}",
                          f"{r.ended_at.astimezone(tz):%m-%d %H:%M}" if r.ended_at else "-",
                          f"{r.next_staff_no} {r.next_name}" if r.next_shift_id else "-",
                          (r.note or "").replace("\n", " ")[:30], key=str(r.shift_id))
        table.focus()

    @on(DataTable.RowSelected)
    def _picked(self, event: DataTable.RowSelected) -> None:
        self.dismiss(int(event.row_key.value))

    def action_back(self) -> None:
        self.dismiss(None)

    def action_close_left_open(self) -> None:
        """A supervisor closes a shift its operator left open, at its last activity (audited);
        the next sign-on at that desk takes it over (services/shifts.py)."""
        app, table = self.app, self.query_one(DataTable)
        if not self.rows or app.actor is None:
            return
        row = self.rows[table.cursor_row]
        if row.ended_at is not None:
            app.say(app.t("shift.error.already_closed"), severity="warning")
            return
        if not app.actor.is_supervisor:
            app.say(app.t("error.supervisor_only", action=app.t("shift.action.close_left_open")),
                       severity="error")
            return
        actor, shift_id = app.actor, row.shift_id

        def closed(shift) -> None:
            app.say(app.t("shift.left_open.closed", shift_id=shift_id, staff_no=row.staff_no, desk=row.desk,
                             time=f"{shift.ended_at.astimezone(app.config.tz):%Y-%m-%d %H:%M}"))
            table.update_cell(str(shift_id), table.ordered_columns[4].key,
                              f"{shift.ended_at.astimezone(app.config.tz):%m-%d %H:%M}")

        def confirmed(yes: bool | None) -> None:
            if yes:
                save(self, lambda s: shifts.close_by_supervisor(s, actor, shift_id), closed,
                     lambda error: app.say(error.message(app.t), severity="error"))

        app.push_screen(ConfirmModal(app.t("shift.left_open.confirm", shift_id=shift_id, staff_no=row.staff_no,
                                           desk=row.desk)), confirmed)


class PeriodModal(DeskModal[Period | None]):
    DEFAULT_CSS = """
    PeriodModal { align: center middle; }
    PeriodModal > Vertical { width: 72; height: auto; max-height: 95%; border: thick $accent;
                             padding: 0 1; background: $surface; }
    PeriodModal .title { text-style: bold; }
    PeriodModal .keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("ctrl+s", "apply", "shift.key.apply", id="shift.period.apply", priority=True),
        Binding("escape", "back", "shift.key.cancel", id="shift.period.back"),
    ]
    FIELDS = {"date": "shift.pick.date", "from_time": "shift.pick.from_time", "to_time": "shift.pick.to_time",
              "to_date": "shift.pick.to_date"}

    def __init__(self, day: str) -> None:
        super().__init__()
        self.day = day

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical():
            yield Label(t("shift.pick.period_title"), classes="title")
            for field in self.FIELDS:
                widget = FormInput(self.day if field == "date" else "", id=field, max_length=10,
                                   restrict=r"[0-9:\-]*")
                if field == "to_date":  # Enter on the last field shows the summary
                    widget = Input("", id=field, max_length=10, restrict=r"[0-9\-]*")
                yield FieldRow(field, t(self.FIELDS[field]), widget)
            yield Label(t("shift.pick.period_keys"), classes="keys")

    def on_mount(self) -> None:
        self.query_one("#date", Input).focus()

    @on(Input.Submitted, "#to_date")
    def _last_field(self) -> None:
        self.action_apply()

    def action_apply(self) -> None:
        clear_errors(self)
        values = {f: self.query_one(f"#{f}", Input).value for f in self.FIELDS}
        try:
            period = parse_period(self.app.config.timezone, self.app.clock.now(), day=values["date"],
                                  from_time=values["from_time"], to_time=values["to_time"],
                                  to_day=values["to_date"])
        except DeskError as error:
            show_desk_error(self, error)
            return
        self.dismiss(period)

    def action_back(self) -> None:
        self.dismiss(None)
