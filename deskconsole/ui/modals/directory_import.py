"""Import a resident list on screen (F6, I; supervisors): the file's path, then the same
preview `directory import --dry-run` prints (which column became which field, identity-card
columns skipped, other columns ignored, the first rows as they will be stored, every bad
row); Ctrl+S imports it, all or nothing (services/directory.importing)."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from deskconsole.services import directory
from deskconsole.services.directory.columns import parse_map
from deskconsole.services.errors import DeskError
from deskconsole.services.phone_numbers import mask_for
from deskconsole.ui.modals.base import DeskModal
from deskconsole.ui.store_work import save
from deskconsole.ui.text import DataTable, Input, Label, Static
from deskconsole.ui.widgets.form import FieldRow, FormInput, clear_errors, show_desk_error

PREVIEW_ROWS = 8
PROBLEMS_SHOWN = 6


class DirectoryImportModal(DeskModal[None]):
    DEFAULT_CSS = """
    DirectoryImportModal { align: center middle; }
    DirectoryImportModal > Vertical { width: 100%; height: 100%; border: thick $accent; padding: 0 1;
        background: $surface; }
    DirectoryImportModal FieldRow > Input { height: 1; border: none; padding: 0 1; background: $boost; }
    DirectoryImportModal FieldRow > Input:focus { border: none; background: $primary 30%; }
    DirectoryImportModal #import-report { height: auto; max-height: 8; }
    DirectoryImportModal DataTable { height: 1fr; }
    DirectoryImportModal .keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("ctrl+s", "commit", "directory.key.import", id="directory_import.commit", priority=True),
        Binding("escape", "close", "directory.key.back", id="directory_import.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.report = None  # the preview shown, for the file and options it was made from
        self.asked: tuple = ()

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical():
            yield Label(t("directory.screen.title"), classes="heading")
            yield FieldRow("path", t("directory.screen.path"), FormInput(id="path", max_length=500))
            yield FieldRow("encoding", t("directory.screen.encoding"), FormInput(id="encoding", max_length=20))
            yield FieldRow("map", t("directory.screen.map"), Input(id="map", max_length=200,
                                                                    placeholder="姓名=业主姓名; phone=联系方式"))
            yield Static("", id="import-report")
            yield DataTable(id="import-preview", cursor_type="row")
            yield Label(t("directory.screen.keys"), classes="keys")

    def on_mount(self) -> None:
        t = self.app.t
        self.query_one(DataTable).add_columns(*(t(f"directory.field.{c}") for c in
                                                ("line", "kind", "name", "unit", "phones", "note")))
        self.query_one("#path").focus()

    def _options(self) -> tuple[str, str | None, dict]:
        path = self.query_one("#path", Input).value.strip()
        encoding = self.query_one("#encoding", Input).value.strip() or None
        pairs = [p for p in self.query_one("#map", Input).value.replace("；", ";").split(";") if p.strip()]
        return path, encoding, parse_map(pairs)

    @on(Input.Submitted, "#map")
    def _preview_now(self) -> None:
        clear_errors(self)
        try:
            path, encoding, mapping = self._options()
        except DeskError as error:
            show_desk_error(self, error)
            return
        if path:
            self._preview(path, encoding, mapping)

    @work(thread=True, exclusive=True, exit_on_error=False, group="directory_preview")
    def _preview(self, path: str, encoding: str | None, mapping: dict) -> None:
        try:
            report = directory.import_file(None, Path(path).expanduser(), encoding=encoding, mapping=mapping,
                                           dry_run=True, preview=PREVIEW_ROWS)
        except DeskError as error:
            self.app.call_from_thread(self._refused, error)
            return
        self.app.call_from_thread(self._show, (path, encoding, mapping), report)

    def _refused(self, error: DeskError) -> None:
        self.report = None
        self.query_one("#import-report", Static).update(self.app.t(error.key, **error.params))

    def _show(self, asked: tuple, report) -> None:
        t, actor = self.app.t, self.app.actor
        self.report, self.asked = report, asked
        mapped = ", ".join(f"{t('directory.field.' + k)}={v}" for k, v in report.mapped.items())
        lines = [t("directory.report.columns", columns=mapped)]
        if report.identity:
            lines.append(t("directory.report.identity", columns=", ".join(report.identity)))
        if report.ignored:
            lines.append(t("directory.report.ignored", columns=", ".join(report.ignored)))
        bad = len({p.line for p in report.problems})
        lines.append(t("directory.report.dry_run", good=report.rows - bad, bad=bad, encoding=report.encoding))
        lines += [f"{p.line} [{p.column}]: {t(p.reason)} {p.value!r}".rstrip() for p in
                  report.problems[:PROBLEMS_SHOWN]]
        self.query_one("#import-report", Static).update("\n".join(lines))
        table = self.query_one(DataTable)
        table.clear()
        for r in report.preview:
            table.add_row(str(r["line"]), t(f"cli.directory.{r['kind']}"), r["name"], r["unit"],
                          " / ".join(mask_for(p, actor) for p in r["phones"]), r["note"] or "")

    def action_commit(self) -> None:
        """Import what the preview showed: nothing when a row is bad (as the CLI without --skip-bad)."""
        app = self.app
        try:
            asked = self._options()
        except DeskError as error:
            show_desk_error(self, error)
            return
        if self.report is None or asked != self.asked:
            app.say(app.t("directory.screen.preview_first"), severity="warning")
            return
        if self.report.problems:
            app.say(app.t("directory.report.refused", bad=len({p.line for p in self.report.problems})),
                    severity="error")
            return
        path, encoding, mapping = asked
        actor = app.actor

        def done(report) -> None:
            app.say(app.t("directory.report.done", count=report.imported, encoding=report.encoding, skipped=0))
            self.dismiss(None)

        save(self, lambda s: directory.import_file(s, Path(path).expanduser(), encoding=encoding, mapping=mapping,
                                                   now=actor.clock.now(), actor=actor), done)

    def action_close(self) -> None:
        self.dismiss(None)
