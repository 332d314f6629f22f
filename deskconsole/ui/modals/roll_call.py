"""Roll call (DOMAIN §1): everyone on the premises now, those waiting in the lobby and those
in the building, with arrival time, level, host and party size; c writes a CSV (UTF-8 with BOM), p a printable text file, to the data folder,
so the list exists on paper or a USB stick during an evacuation, without the network."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from deskconsole.services import reception_query as rq
from deskconsole.services.errors import DeskError
from deskconsole.ui.modals.base import DeskModal
from deskconsole.ui.text import DataTable, Label


class RollCallModal(DeskModal[None]):
    CLOSED_BY_SCREEN_KEYS = True  # shows only: an F-key closes it and goes on (DeskApp)
    DEFAULT_CSS = """
    RollCallModal { align: center middle; }
    RollCallModal > Vertical { width: 96%; height: 90%; border: thick $error; padding: 0 1; background: $surface; }
    RollCallModal DataTable { height: 1fr; }
    RollCallModal .keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("c", "export('csv')", "reception.key.export_csv", id="roll_call.csv"),
        Binding("p", "export('text')", "reception.key.export_text", id="roll_call.text"),
        Binding("escape", "close", "key.close", id="roll_call.close"),
    ]

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical():
            yield Label("", id="rollcall-title", classes="heading")
            yield DataTable(id="rollcall", cursor_type="row")
            yield Label(t("reception.rollcall.keys"), classes="keys")

    def on_mount(self) -> None:
        app = self.app
        t = app.t
        with app.store.read() as s:
            self.roll = rq.on_premises(s)
        table = self.query_one(DataTable)
        table.add_columns(*rq.roll_call_header(t))
        for row in rq.roll_call_rows(self.roll, app.actor, t, app.config.tz):
            table.add_row(*row)
        groups = "\n".join(rq.group_heading(t, g, visits) for g, visits in self.roll.groups())
        self.query_one("#rollcall-title", Label).update(
            t("reception.rollcall.title", totals=rq.totals(t, self.roll.visits)) + "\n" + groups)
        table.focus()

    def action_export(self, fmt: str) -> None:
        app = self.app
        now = app.clock.now()
        stamp = f"{now.astimezone(app.config.tz):%Y%m%d-%H%M%S}"
        path = app.config.data_dir / "exports" / f"roll-call-{stamp}.{'csv' if fmt == 'csv' else 'txt'}"
        try:
            rq.write_roll_call(path, self.roll, app.actor, app.t, app.config.tz, fmt=fmt, now=now,
                               site=app.config.site_name or app.t("app.default_site"))
        except DeskError as error:
            app.say(error.message(app.t), severity="error")
            return
        app.say(app.t("reception.rollcall.written", path=str(path)))

    def action_close(self) -> None:
        self.dismiss(None)
