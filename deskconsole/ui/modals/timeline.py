"""The timeline of a unit or a number (DOMAIN §4 D: one consistent answer across staff):
open tickets first (owner, department, due), then every visit, call, ticket, follow-up and
watch-list hit, newest first, a page at a time (PgDn). Enter opens a ticket or a follow-up's
ticket; a line without a screen of its own says so.

Opened with the timeline key from any unit or phone field (`open_for_focused`)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input

from deskconsole.services import timeline as tl
from deskconsole.services.errors import DeskError
from deskconsole.services.phone_numbers import mask_for, resolve
from deskconsole.services.timeline import render
from deskconsole.ui.modals.base import DeskModal
from deskconsole.ui.text import DataTable, Label, Static

PAGE = 20


def target_of(widget) -> tl.Target | None:
    """The unit or the number in the focused field: a field whose id names a unit or a phone
    (unit, ticket_unit, phone, ticket_phone...). A number shown masked is read behind its mask
    (the form's `held`)."""
    if not isinstance(widget, Input):
        return None
    wid = widget.id or ""
    value = widget.value.strip()
    if not value:
        return None
    if wid.endswith("unit"):
        return tl.Target.of(unit=value)
    if wid.endswith("phone"):
        for node in widget.ancestors_with_self:
            held = getattr(node, "held", None)
            if held is not None and hasattr(held, "number"):
                value = resolve(value, held)
                break
        return tl.Target.of(phone=value)
    return None


def open_for_focused(app) -> None:
    """The timeline key: open the timeline of the focused unit/phone field, or say how."""
    try:
        target = target_of(app.focused)
    except DeskError as error:
        app.say(app.t(error.key, **error.params), severity="warning")
        return
    if target is None:
        app.say(app.t("timeline.no_field"), severity="warning")
        return
    app.push_screen(TimelineModal(target))


class TimelineModal(DeskModal[None]):
    CLOSED_BY_SCREEN_KEYS = True  # shows only: an F-key closes it and goes on (DeskApp)
    HELP = "timeline.help"
    DEFAULT_CSS = """
    TimelineModal { align: center middle; }
    TimelineModal > Vertical { width: 100%; height: 100%; border: thick $accent; padding: 0 1; background: $surface; }
    TimelineModal #timeline-title { text-style: bold; }
    TimelineModal #timeline-open { height: auto; max-height: 7; color: $warning; }
    TimelineModal DataTable { height: 1fr; }
    TimelineModal .keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "close", "timeline.key.close", id="timeline.close"),
        Binding("pagedown", "more", "timeline.key.more", id="timeline.more", priority=True),
        Binding("enter", "open_record", "timeline.key.record", id="timeline.open_record", priority=True),
    ]

    def __init__(self, target: tl.Target) -> None:
        super().__init__()
        self.target = target
        self.cursor: tl.Cursor | None = None
        self.entries: list[tl.Entry] = []

    def target_name(self) -> str:
        return self.target.unit or mask_for(self.target.phone, self.app.actor)

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical():
            yield Label(t("timeline.title", target=self.target_name()), id="timeline-title")
            yield Static("", id="timeline-open")
            yield DataTable(id="timeline-lines", cursor_type="row", zebra_stripes=True)
            yield Label("", id="timeline-status", classes="keys")

    def on_mount(self) -> None:
        t = self.app.t
        table = self.query_one(DataTable)
        table.add_columns(*(t(f"timeline.col.{c}") for c in render.COLUMNS))
        self._load()
        table.focus()

    def _load(self) -> None:
        app, t = self.app, self.app.t
        tz = app.config.tz
        with app.store.read() as s:
            page = tl.page(s, self.target, limit=PAGE, after=self.cursor)
        if self.cursor is None:
            lines = [t("timeline.open_heading", count=page.open_count)] if page.open_count else []
            lines += ["  " + "  ".join(v for v in render.open_ticket_row(t, o, tz).values() if v)
                      for o in page.open_tickets]
            self.query_one("#timeline-open", Static).update("\n".join(lines))
        table = self.query_one(DataTable)
        for e in page.entries:
            table.add_row(*render.line(t, e, app.actor, tz).values())
        self.entries += page.entries
        self.cursor = page.next_cursor
        status = t("timeline.empty", target=self.target_name()) if not self.entries else \
            (t("timeline.more") if self.cursor else "")
        status = f"{status}    {t('timeline.keys')}".strip()
        self.query_one("#timeline-status", Label).update(status)

    def action_more(self) -> None:
        if self.cursor is not None:
            self._load()

    def action_open_record(self) -> None:
        table = self.query_one(DataTable)
        if not self.entries or table.cursor_row is None or table.cursor_row >= len(self.entries):
            return
        entry = self.entries[table.cursor_row]
        ticket_id = entry.id if entry.source == "ticket" else entry.extra.get("ticket_id")
        if ticket_id is None:
            self.app.say(self.app.t("timeline.no_screen"))
            return
        from deskconsole.ui.screens.ticket_view import open_ticket

        open_ticket(self.app, ticket_id)

    def action_close(self) -> None:
        self.dismiss(None)
