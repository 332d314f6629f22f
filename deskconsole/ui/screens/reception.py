"""Reception (F2): check a visitor in, serve the waiting queue in a fair order, hand the guest on, check them out,
and know who is in the building (DOMAIN §1). Left: the check-in form and the script panel; right: the queue, who is
in the building, today's expected visitors. Indexed reads with a LIMIT; writes in a thread worker (ui/store_work)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input

from deskconsole.services import reception as rs
from deskconsole.services import reception_query as rq
from deskconsole.services.people import salutation
from deskconsole.ui.modals.confirm import ConfirmModal
from deskconsole.ui.screens.base import DeskScreen
from deskconsole.ui.store_work import save
from deskconsole.ui.text import Label, Static
from deskconsole.ui.widgets.apology_banner import show_apology_banner
from deskconsole.ui.widgets.footer import DeskFooter
from deskconsole.ui.widgets.form import clear_errors
from deskconsole.ui.widgets.message_line import MessageLine
from deskconsole.ui.widgets.quiet import update_if_changed
from deskconsole.ui.widgets.script_panel import ScriptPanel
from deskconsole.ui.widgets.status_bar import StatusBar
from deskconsole.ui.widgets.visit_form import VisitForm
from deskconsole.ui.widgets.visit_lists import ExpectedTable, InBuildingTable, QueueTable
from deskconsole.ui.widgets.visit_saver import CheckInSaver


class ReceptionScreen(DeskScreen):
    HELP = "reception.help"
    TITLE_KEY = "mode.reception"
    BINDINGS = [
        Binding("ctrl+s", "save", "reception.key.save", id="reception.save", priority=True),
        Binding("ctrl+n", "serve_next", "reception.key.serve_next", id="reception.serve_next", priority=True),
        Binding("ctrl+g", "apology_oldest", "reception.key.apology", id="reception.apology", priority=True),
        Binding("ctrl+r", "recall", "reception.key.recall", id="reception.recall", priority=True),
        Binding("ctrl+f", "search", "reception.key.search", id="reception.search", priority=True),
        Binding("ctrl+b", "roll_call", "reception.key.roll_call", id="reception.roll_call", priority=True),
        Binding("ctrl+o", "checkout_number", "reception.key.checkout_number", id="reception.checkout_number",
                priority=True),
        Binding("ctrl+t", "expect", "reception.key.expect", id="reception.expect", priority=True),
        Binding("escape", "discard", "reception.key.discard", id="reception.discard"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[rs.QueueEntry] = []
        self.inside: list[rs.VisitView] = []
        self.expected: list[rq.ExpectedView] = []
        self.recalled: rs.VisitView | None = None
        self.saver = CheckInSaver(self, lambda: self.query_one(VisitForm), self._checked_in)

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        t = self.app.t
        yield StatusBar()
        with Horizontal(id="reception-body"):
            with Vertical(id="reception-left"):
                yield Label(t("reception.form_title"), classes="heading")
                yield VisitForm(id="visit-form")
                yield Static("", id="recall-hint")
                yield ScriptPanel(id="script")
            with Vertical(id="reception-right"):
                yield Label(t("reception.queue.title"), classes="heading", id="queue-title")
                yield Static("", id="apology-banner")
                yield QueueTable(id="queue")
                yield Label(t("reception.inside.title"), classes="heading", id="inside-title")
                yield InBuildingTable(id="inside")
                yield Label(t("reception.expected.title"), classes="heading", id="expected-title")
                yield ExpectedTable(id="expected")
        yield MessageLine()
        yield DeskFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_view()
        self.set_interval(1.0, self._tick)

    def prepare_widgets(self) -> None:
        self.query_one("#name", Input).focus()

    async def recompose(self) -> None:
        """A language switch rebuilds the screen: keep what was typed (recompose_in_language
        then reloads the lists)."""
        form = self.query_one(VisitForm)
        typed, expected_id, held = vars(form.read()), form.expected_id, form.held is not None
        await super().recompose()
        form = self.query_one(VisitForm)
        form.fill(typed, hide_phone=held)
        form.expected_id = expected_id

    # -- data -----------------------------------------------------------------------------
    @property
    def threshold(self) -> float:
        return self.app.config.apology_after_minutes

    def refresh_view(self) -> None:
        self._refresh_lists()
        self.refresh_queue()

    def _refresh_lists(self) -> None:
        """Who is in the building and who is expected today."""
        app = self.app
        if app.actor is None or not app.store.is_open:
            return
        tz, now = app.config.tz, app.clock.now()
        with app.store.read() as s:
            self.inside = rq.in_building(s, limit=200)
            self.expected = rq.expected_today(s, now=now, tz=tz)
        self.query_one(InBuildingTable).show(self.inside, app.t, tz, now)
        self.query_one(ExpectedTable).show(self.expected, app.t, tz, now)
        update_if_changed(self.query_one("#inside-title", Label), app.t(
            "reception.inside.title_count", totals=rq.totals(app.t, self.inside)), layout=False)

    def _tick(self) -> None:
        # A database hiccup on the 1 s refresh must not stop the console: log it, say it once,
        # and try again on the next tick.
        try:
            self.refresh_queue()
        except Exception as exc:  # noqa: BLE001
            if not self.app.store_watch.read_failed(exc) and not getattr(self, "_tick_failed", False):
                self._tick_failed = True
                self.app.errors.log(exc)
                self.app.say(self.app.t("error.unexpected", log=self.app.log_path), severity="error")
        else:
            self._tick_failed = False

    def refresh_queue(self) -> None:
        """Live waiting times and the apology prompt (DOMAIN §1, 000 B)."""
        app = self.app
        if app.actor is None or not app.store.is_open:
            return
        with app.store.read() as s:
            self.entries = rs.queue(s, app.actor, threshold_minutes=self.threshold)
        self.query_one(QueueTable).show(self.entries, app.t)
        update_if_changed(self.query_one("#queue-title", Label), app.t("reception.queue.title_count", count=len(self.entries)), layout=False)
        show_apology_banner(self.query_one("#apology-banner", Static), self.entries, app)
        self._update_script()

    # -- check-in -------------------------------------------------------------------------
    def has_unsaved(self) -> bool:
        return self.query_one(VisitForm).is_filled() or self.saver.pending()

    @on(Input.Submitted, "#note")
    def _note_entered(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        self.query_one(VisitForm).take(self._save_typed)
        # At once, not later: the keys typed after Ctrl+S are for the next visitor's name.
        self.set_focus(self.query_one("#name", Input))

    def _save_typed(self, values: rs.CheckInForm) -> None:
        """The form as typed up to Ctrl+S (the form is blank for the next visitor already)."""
        clear_errors(self.query_one(VisitForm))
        if self.saver.submit(values):
            self.recalled = None
            # The hint's two lines are fixed (reception.tcss): shown or blanked, nothing is laid out again.
            update_if_changed(self.query_one("#recall-hint", Static), "", layout=False)
            self.query_one("#name", Input).focus()

    def on_worker_state_changed(self, event) -> None:
        self.saver.worker_state_changed(event)

    def _checked_in(self, visit) -> None:
        t = self.app.t
        self.app.say(t("reception.saved", number=visit.id, visitor=salutation(visit.name, visit.honorific, t.language)))
        # The queue's new row in this frame; the other lists right after it, as of then (another
        # desk may have written). Not the queue twice: _tick reads it every second anyway, and a
        # second read found a waiting time a second on (a frame more; bench/NOTES.md).
        with self.app.store_watch.unless_away():  # gone since the write: the poll says so
            self.refresh_queue()
        self.call_after_refresh(self._lists_after_save)

    def _lists_after_save(self) -> None:
        if not (self.is_attached and self.is_current):
            return self.forget_shown()  # left meanwhile: read whole when shown again
        with self.app.store_watch.unless_away():
            self.note_loading()
            self._refresh_lists()

    def action_discard(self) -> None:
        form = self.query_one(VisitForm)
        if self.focused is not None and form not in self.focused.ancestors:
            self.query_one("#name", Input).focus()  # from a list, Esc goes back to the form
            return
        if not form.is_filled():
            return
        def done(yes: bool | None) -> None:
            if yes:
                form.clear()
                clear_errors(form)
                self.recalled = None
                self.query_one("#recall-hint", Static).update("", layout=False)
                self.query_one("#name", Input).focus()

        self.app.push_screen(ConfirmModal(self.app.t("reception.confirm_discard")), done)

    def on_descendant_blur(self, event) -> None:
        # A returning visitor need not be asked again: a known phone or name offers last time's details.
        if getattr(event.widget, "id", None) in ("phone", "name"):
            self._look_up_returning()

    def _look_up_returning(self) -> None:
        form = self.query_one(VisitForm).read()
        if not (form.phone.strip() or form.name.strip()) or not self.app.store.is_open:
            return
        found = None  # stays None while the store is away: no hint this time, the form goes on
        with self.app.store_watch.unless_away(), self.app.store.read() as s:
            found = rq.recall(s, phone=form.phone or None, name=None if form.phone.strip() else form.name)
        self.recalled = found
        hint = self.query_one("#recall-hint", Static)
        if found is None:
            hint.update("", layout=False)
            return
        t = self.app.t
        hint.update(t("reception.recall_hint", visitor=salutation(found.name, found.honorific, t.language),
                      unit=" ".join(x for x in (found.unit, found.host) if x) or "-",
                      date=f"{found.arrived_at.astimezone(self.app.config.tz):%Y-%m-%d}"), layout=False)

    def action_recall(self) -> None:
        if self.recalled is None:
            self._look_up_returning()
        v = self.recalled
        if v is None:
            self.app.say(self.app.t("reception.recall_none"), severity="warning")
            return
        self.query_one(VisitForm).fill_from(v, only_empty=True)
        self.query_one("#recall-hint", Static).update(self.app.t("reception.recall_done"), layout=False)

    # -- queue ----------------------------------------------------------------------------
    def _write(self, fn, then=None, done_key: str | None = None, **params) -> None:
        """Save off the event loop; then say `done_key`, reload and hand the result to `then`."""
        def done(result) -> None:
            if done_key:
                self.app.say(self.app.t(done_key, **params))
            self.refresh_view()
            if then is not None:
                then(result)

        save(self, fn, done, lambda error: self.app.say(error.message(self.app.t), severity="error"))

    def _serve(self, visit_id: int | None) -> None:
        actor = self.app.actor
        self._write(lambda s: rs.serve(s, actor, visit_id, threshold_minutes=self.threshold), self._served)

    def _served(self, v) -> None:
        if v is not None:
            t = self.app.t
            key = "reception.served_out_of_order" if v.served_out_of_order else "reception.served"
            self.app.say(t(key, number=v.id, visitor=salutation(v.name, v.honorific, t.language)))
            self.query_one(ScriptPanel).show("greet", salutation(v.name, v.honorific, t.language))
            # The served visitor's row, ready for the hand-off (Enter) or check-out (o).
            inside = self.query_one(InBuildingTable)
            inside.focus()
            for index, row in enumerate(inside.ordered_rows):
                if row.key.value == str(v.id):
                    inside.move_cursor(row=index)
            if rs.handoff_post_for(v.level):  # DOMAIN §1: a 特级 guest goes to the post named for it
                self.action_handoff_selected()

    def action_serve_next(self) -> None:
        self._serve(None)

    def action_serve_selected(self) -> None:
        self._serve(self.query_one(QueueTable).selected_id())

    def _apology(self, visit_id: int | None) -> None:
        if visit_id is None:
            return
        actor = self.app.actor
        self._write(lambda s: rs.acknowledge_apology(s, actor, visit_id), None, "reception.apology_done",
                    number=visit_id)

    def action_apology_oldest(self) -> None:
        due = [e for e in self.entries if e.apology_due]
        if not due:
            self.app.say(self.app.t("reception.apology_none"))
            return
        self._apology(due[0].visit.id)

    def action_apology_selected(self) -> None:
        self._apology(self.query_one(QueueTable).selected_id())

    def action_cancel_selected(self) -> None:
        vid = self.query_one(QueueTable).selected_id()
        if vid is None:
            return
        actor = self.app.actor

        def done(yes: bool | None) -> None:
            if yes:
                self._write(lambda s: rs.cancel(s, actor, vid), None, "reception.cancelled", number=vid)

        self.app.push_screen(ConfirmModal(self.app.t("reception.confirm_cancel", number=vid)), done)

    # -- in the building --------------------------------------------------------------------
    def _inside(self, visit_id: int | None) -> rs.VisitView | None:
        return next((v for v in self.inside if v.id == visit_id), None)

    def action_handoff_selected(self) -> None:
        v = self._inside(self.query_one(InBuildingTable).selected_id())
        if v is None:
            return
        from deskconsole.ui.modals.handoff import HandoffModal

        who = salutation(v.name, v.honorific, self.app.t.language)
        panel = self.query_one(ScriptPanel)
        # "They know you are coming" only once they do: the hand-off is recorded.
        panel.show("handoff" if v.handoff_post else "guide", who)

        def done(saved: bool | None) -> None:
            if saved:
                panel.show("handoff", who)
                self.refresh_view()

        self.app.push_screen(HandoffModal(v), done)

    def checkout(self, visit_id: int) -> None:
        actor = self.app.actor
        self._write(lambda s: rs.check_out(s, actor, visit_id), self._checked_out)

    def _checked_out(self, v) -> None:
        if v is not None:
            t = self.app.t
            who = salutation(v.name, v.honorific, t.language)
            self.app.say(t("reception.checked_out", number=v.id, visitor=who))
            # DOMAIN §1 (001 §5.2.5.3.4): the farewell names the staff number.
            self.query_one(ScriptPanel).show("farewell", who)

    def action_checkout_selected(self) -> None:
        v = self._inside(self.query_one(InBuildingTable).selected_id())
        if v is None:
            return
        t = self.app.t
        question = t("reception.confirm_checkout", number=v.id, visitor=salutation(v.name, v.honorific, t.language))
        self.app.push_screen(ConfirmModal(question), lambda yes: yes and self.checkout(v.id))

    def action_checkout_number(self) -> None:
        from deskconsole.ui.modals.checkin_number import VisitNumberModal

        self.app.push_screen(VisitNumberModal(), lambda n: n is not None and self.checkout(n))

    def action_ticket_selected(self) -> None:
        vid = self.query_one(InBuildingTable).selected_id()
        if vid is None:
            return
        actor = self.app.actor
        self._write(lambda s: rs.record_request(s, actor, vid), self._open_ticket_form)

    def _open_ticket_form(self, v) -> None:
        # The request kind is on the visit first, so nothing is lost if the form is left.
        from deskconsole.ui.modals.ticket_form import TicketFormModal

        self.app.push_screen(TicketFormModal(rs.ticket_prefill(v)), self._ticket_done)

    def _ticket_done(self, ticket_id: int | None) -> None:
        if ticket_id is not None:
            self.refresh_view()

    # -- expected, search, roll call ----------------------------------------------------------
    def action_expect(self) -> None:
        from deskconsole.ui.modals.expected import ExpectedModal

        self.app.push_screen(ExpectedModal(), lambda saved: saved and self.refresh_view())

    def action_expected_arrived(self) -> None:
        eid = self.query_one(ExpectedTable).selected_id()
        e = next((x for x in self.expected if x.id == eid), None)
        if e is None:
            return
        form = self.query_one(VisitForm)
        form.clear()
        form.fill_from(e)
        form.expected_id = e.id
        self.query_one("#name", Input).focus()
        self.app.say(self.app.t("reception.expected.prefilled", visitor=e.name))

    def action_search(self) -> None:
        from deskconsole.ui.modals.visit_search import VisitSearchModal

        self.app.push_screen(VisitSearchModal())

    def action_roll_call(self) -> None:
        from deskconsole.ui.modals.roll_call import RollCallModal

        self.app.push_screen(RollCallModal())

    # -- script panel --------------------------------------------------------------------------
    @on(QueueTable.RowHighlighted)
    @on(InBuildingTable.RowHighlighted)
    def on_descendant_focus(self, event=None) -> None:  # focus moved, or a list's cursor
        self._update_script()

    def _update_script(self) -> None:
        self.query_one(ScriptPanel).follow(self.focused, entries=self.entries, inside=self.inside,
                                           form=self.query_one(VisitForm))
