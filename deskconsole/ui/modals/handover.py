"""Handover (交接班, DOMAIN §6, 003 §4.2.4) on screen: closing a shift with the computed list
and a note, and the next operator's acknowledgement right after sign-on. Signing off after
the close is the session's (ui/controllers/session.py)."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import TextArea

from deskconsole.services import handover
from deskconsole.ui.modals.base import DeskModal
from deskconsole.ui.store_work import save
from deskconsole.ui.text import Label, Static, row
from deskconsole.ui.widgets.form import FieldRow, clear_errors

SHOWN_ITEMS = 40  # a modal lists this many; the rest are counted


def items_table(app, items: handover.HandoverList) -> Table | str:
    t = app.t
    if items.empty:
        return t("shift.handover.nothing_open")
    tz = app.config.tz
    table = Table.grid(padding=(0, 1))
    for _ in range(4):
        table.add_column()
    for item in items.items[:SHOWN_ITEMS]:
        when = f"{item.at.astimezone(tz):%m-%d %H:%M}" if item.at else ""
        detail = t(f"shift.code.{item.detail}") if t.has(f"shift.code.{item.detail}") else item.detail
        table.add_row(*row(t(f"shift.item.{item.kind}"), when, item.title or "-", detail))
    if len(items.items) > SHOWN_ITEMS:
        table.add_row(*row(t("shift.handover.more", count=len(items.items) - SHOWN_ITEMS), "", "", ""))
    return table


class HandoverCloseModal(DeskModal[bool]):
    """The list the next shift inherits and the note; Ctrl+S closes the shift."""

    DEFAULT_CSS = """
    HandoverCloseModal { align: center middle; }
    HandoverCloseModal > Vertical { width: 90%; max-width: 96; height: 90%; border: thick $warning;
                                    padding: 0 1; background: $surface; }
    HandoverCloseModal .title { text-style: bold; }
    HandoverCloseModal #handover-items { height: 1fr; min-height: 3; }
    HandoverCloseModal TextArea { height: 5; }
    HandoverCloseModal .keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("ctrl+s", "confirm", "shift.key.confirm", id="shift.handover.confirm", priority=True),
        Binding("escape", "cancel", "shift.key.cancel", id="shift.handover.cancel"),
    ]

    def __init__(self, items: handover.HandoverList) -> None:
        super().__init__()
        self.items = items

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical():
            yield Label(t("shift.handover.close_title"), classes="title")
            yield Label(t("shift.handover.close_intro", desk=self.app.config.desk_name))
            with VerticalScroll(id="handover-items"):
                yield Static(items_table(self.app, self.items))
            yield FieldRow("handover_note", t("shift.handover.note_label"),
                           TextArea(id="handover_note", soft_wrap=True, show_line_numbers=False))
            yield Label(t("shift.handover.keys_close"), classes="keys")

    def on_mount(self) -> None:
        self.query_one("#handover_note", TextArea).focus()

    def has_unsaved(self) -> bool:
        return bool(self.query_one("#handover_note", TextArea).text.strip())

    def action_cancel(self) -> None:
        self.dismiss(False)

    def action_confirm(self) -> None:
        clear_errors(self)
        app, note = self.app, self.query_one("#handover_note", TextArea).text
        actor, tz = app.actor, app.config.timezone
        # Not awaited: the dismissal waits for this screen's workers, one of which is the save.
        save(self, lambda s: handover.close_shift(s, actor, note, timezone=tz), lambda _result: self.dismiss(True),
             note_in=self.query_one(Vertical))


class HandoverAckModal(DeskModal[bool]):
    """Shown right after sign-on when the previous shift at this desk handed over."""

    DEFAULT_CSS = """
    HandoverAckModal { align: center middle; }
    HandoverAckModal > Vertical { width: 90%; max-width: 96; height: 90%; border: thick $accent;
                                  padding: 0 1; background: $surface; }
    HandoverAckModal .title { text-style: bold; }
    HandoverAckModal #ack-note { border: round $accent; height: auto; max-height: 8; padding: 0 1; }
    HandoverAckModal #ack-items { height: 1fr; min-height: 3; }
    HandoverAckModal .keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("enter", "acknowledge", "shift.key.acknowledge", id="shift.handover.ack"),
        Binding("ctrl+s", "acknowledge", "shift.key.acknowledge", id="shift.handover.ack_save", show=False),
    ]

    def __init__(self, pending: handover.PendingHandover) -> None:
        super().__init__()
        self.pending = pending

    def compose(self) -> ComposeResult:
        t = self.app.t
        p = self.pending
        ended = f"{p.ended_at.astimezone(self.app.config.tz):%Y-%m-%d %H:%M}" if p.ended_at else "-"
        with Vertical():
            yield Label(t("shift.handover.ack_title", name=p.from_name, staff_no=p.from_staff_no), classes="title")
            yield Label(t("shift.handover.ack_ended", time=ended))
            if p.closed_by:  # left open: closed by the system or a supervisor, not by its operator
                by = t("shift.left_open.system") if p.closed_by == "system" else p.closed_by
                yield Label(t("shift.handover.ack_not_closed", by=by), classes="warning", markup=False)
            yield Static(p.note or t("shift.handover.ack_note_none"), id="ack-note", markup=False)
            with VerticalScroll(id="ack-items"):
                yield Static(items_table(self.app, p.open_items))
            yield Label(t("shift.handover.ack_keys"), classes="keys")

    def action_acknowledge(self) -> None:
        actor = self.app.actor
        save(self, lambda s: handover.acknowledge(s, actor), self._done, note_in=self.query_one(Vertical))

    def _done(self, _result=None) -> None:
        self.app.say(self.app.t("shift.handover.acknowledged"))
        self.dismiss(True)  # not awaited: the dismissal waits for this screen's workers


def ack_after_sign_on(app) -> HandoverAckModal | None:
    """Sign-on step (ui/modes.py SIGN_ON_STEPS): the handover to acknowledge, if any. The
    first shift at a desk, a resumed shift, or one already acknowledged shows nothing."""
    if app.actor is None:
        return None
    with app.store.read() as s:
        pending = handover.pending_for(s, app.actor.shift_id, timezone=app.config.timezone,
                                       now=app.clock.now(), unmasked=app.actor.is_supervisor)
    return HandoverAckModal(pending) if pending is not None else None
