"""F7 / Shift+F7 / F8 on every screen (DOMAIN §2: the phone rings while you do other things).

DeskApp keeps the three Bindings and hands their actions to the PhoneController. The keys feed
`PhoneEvents` (the same interface a PBX could feed); a ticker, running only while a line is
live, keeps the ringing bar on whatever screen is current (the lock screen and the command palette
too), rings the terminal bell once at the limit ring, and stops when every line is answered or
missed. The timer starts when the key is pressed, so the time it shows is a lower bound of the
real ring time (said in F1 help and the README).

The keys work while the console is locked: the answer or the hang-up is recorded at the key
(the moment that counts), and what needs the screen (the call form, the caller's number) waits
until the PIN is given (`unlocked`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from textual.command import CommandPalette
from textual.message import Message

from deskconsole.ui import textual_compat

PHONE_ACTIONS = {"phone_ring", "phone_ring_another", "phone_missed"}
TICK_SECONDS = 0.2


class PhoneLinesChanged(Message):
    """A phone event happened on another thread (a worker or a feed); the App hands it to
    PhoneController.lines_changed on the UI thread. `event` names a feed's event
    ("feed.answer", ...) when the UI has more to do than redraw."""

    def __init__(self, event: str = "", call_id: int | None = None) -> None:
        super().__init__()
        self.event, self.call_id = event, call_id


class PhoneController:
    def __init__(self, app) -> None:
        self.app = app
        self._lines = None
        self._timer = None
        self._ui_thread: int | None = None
        self._after_unlock: list[Callable[[], None]] = []
        self.feed = None  # the phone system's feed ([phone] feed), started at the first sign-on
        self.feed_state = ""  # "" (keys only) | online | offline | refused

    @property
    def lines(self):
        """The live lines of this console (PhoneEvents, created at first use on the UI thread
        and restored from the store)."""
        if self._lines is None:
            from deskconsole.feeds.runner import desk_lines

            app = self.app
            self._ui_thread = threading.get_ident()
            # The signed-on operator; signed off, a feed's call is stamped with the desk's shift.
            self._lines = desk_lines(app.store, app.config, app.clock, lambda: app.actor)
            try:
                self._lines.restore()
            except Exception as error:  # noqa: BLE001 - a restore problem must not stop the phone keys
                app.errors.log(error)
            self._lines.listeners.append(self._event)
            self.lines_changed()
        return self._lines

    def restore(self) -> None:
        """Bring back the lines that were ringing or under way at this desk when the console
        stopped, so their bar shows at once (once signed on and the store is open)."""
        if self.app.actor is not None and self.app.store.is_open:
            _ = self.lines
            self.start_feed()

    # -- the phone system's feed ([phone] feed = "http" | "ami") -----------------------
    def start_feed(self) -> None:
        """Start the configured feed once; the keys keep working whatever it does."""
        app = self.app
        if self.feed is not None or app.config.phone.feed == "keys":
            return
        from deskconsole.feeds.runner import make_feed
        from deskconsole.phone_config import SecretMissing

        try:
            self.feed = make_feed(app.config, self.lines, app.clock, on_state=self.feed_state_changed)
            self.feed.start()
        except (SecretMissing, OSError, ValueError) as error:
            self.feed = None
            app.errors.log(error)
            app.say(app.t("phone.feed.not_started", detail=str(error)), severity="error")
            return
        if app.config.phone.feed == "http":
            self.feed_state = "online"

    def stop_feed(self) -> None:
        if self.feed is not None:
            self.feed.stop()
            self.feed = None

    def feed_state_changed(self, state: str) -> None:
        """From the feed's thread: online / offline / refused (the ring bar says it)."""
        self.feed_state = state
        self.app.post_message(PhoneLinesChanged(f"state.{state}"))

    @property
    def feed_offline(self) -> bool:
        return self.feed_state in ("offline", "refused")

    def store_changed(self) -> None:
        """Another terminal wrote: lines a `phone listen` elsewhere began or ended show here."""
        if self._lines is None or self.app.actor is None:
            return
        lines = self._lines

        def work() -> None:
            try:
                lines.sync()
            except Exception as error:  # noqa: BLE001 - the next poll tries again
                self.app.errors.log(error)

        self.app.run_worker(work, thread=True, group="phone-sync", exclusive=True, exit_on_error=False)

    def feed_event(self, message: PhoneLinesChanged) -> None:
        """A feed's event, on the UI thread: the PBX said the desk picked up (the form opens
        filled with who is probably calling), or the caller gave up."""
        app = self.app
        kind = message.event
        if kind.startswith("state."):
            app.say(app.t(f"phone.feed.{kind}"), severity="information" if kind == "state.online" else "error")
        elif kind == "feed.answer" and message.call_id in self.lines.live:
            self.reopen_form(message.call_id)
        elif kind == "feed.missed":
            app.say(app.t("phone.feed.missed"), severity="warning")

    def has_live(self) -> bool:
        """A line rings or a call is under way (the console must not lock itself then)."""
        return self._lines is not None and bool(self._lines.live)

    def allows(self, action: str) -> bool:
        """Whether a phone key works now (signed on, store open; F8 while a line rings). Locked
        too: the phone does not wait for the PIN (DOMAIN §2)."""
        app = self.app
        if app.actor is None or not app.store.is_open:
            return False
        if action == "phone_missed":
            return self._lines is not None and bool(self._lines.ringing())
        return True

    # -- the keys ----------------------------------------------------------------------
    # Each key takes the monotonic time at once (the moment that counts, DOMAIN §2) and
    # writes in a worker thread, so a slow disk never delays the screen or skews the timer.
    def ring_or_answer(self) -> None:
        """F7: answer the ringing line (longest-ringing unless another was picked); with a call
        under way and nothing ringing, bring its hidden form back (a second line is Shift+F7);
        with no line live, start the timer of a new ringing call."""
        lines = self.lines
        talking = lines.talking()
        if talking and not lines.ringing():
            self.reopen_form(max(talking, key=lambda c: c.answered_mono or 0.0).call_id)
            return
        self._run(lambda at: lines.ring_or_answer(at=at))

    def reopen_form(self, call_id: int) -> None:
        """The form of a call under way, hidden by Esc, comes back with what was typed."""
        from deskconsole.ui.modals.call_form import CallFormModal

        app = self.app
        if any(isinstance(s, CallFormModal) and s.call_id == call_id for s in app.screen_stack):
            app.say(app.t("phone.form_already_open"))
            return
        self.when_unlocked(lambda: self.open_form(call_id))

    def ring_another(self) -> None:
        """Shift+F7: another line rings while one already does."""
        self._run(lambda at: ("ring", self.lines.ring(at=at)))

    def missed(self) -> None:
        """F8: the caller hung up before anyone answered; it becomes a callback task."""
        self._run(lambda at: ("missed", self.lines.missed(at=at)))

    def answer(self, call_id: int) -> None:
        """Answer one particular ringing line (picked on the phone screen)."""
        self._run(lambda at: ("answer", self.lines.answer(call_id, at=at)))

    def open_form(self, call_id: int) -> None:
        from deskconsole.ui.modals.call_form import CallFormModal

        if call_id in self.lines.live:  # it may have ended while the console was locked
            self.app.push_screen(CallFormModal(call_id))

    def ask_number(self, call_id: int) -> None:
        """After F8: the number on the phone's display, so the callback can be made."""
        from deskconsole.ui.modals.missed_number import MissedNumberModal

        self.app.push_screen(MissedNumberModal(call_id))

    def when_unlocked(self, show: Callable[[], None]) -> None:
        """Show it now, or once the PIN is given if the console is locked."""
        if self.app.locked:
            self._after_unlock.append(show)
        else:
            show()

    def unlocked(self) -> None:
        """The PIN was given: show what the phone keys pressed meanwhile asked for, in order."""
        pending, self._after_unlock = self._after_unlock, []
        for show in pending:
            show()
        self.tick()

    def run_now(self, event: Callable[[], object]):
        """Run a phone event here and now (the call form's hang-up); an error becomes a message
        and the result None."""
        try:
            return event()
        except Exception as error:  # noqa: BLE001 - reported on screen, never a traceback
            self.failed(error)
        return None

    def failed(self, error: BaseException) -> None:
        """Say on screen that a phone event or its form's write failed; the bar stays true."""
        self.app.errors.report(error)
        self.tick()

    def _run(self, event) -> None:
        app = self.app
        at = app.clock.monotonic()
        _ = self.lines  # created (and restored from the store) here on the UI thread, not in the worker
        # The keys typed after F7 are the caller's details: they wait for the call form
        # (ui/key_order.py), not go into the form that was in front.
        holding = app.hold_keys() if hasattr(app, "hold_keys") else None

        def then(callback, *args) -> None:
            try:
                callback(*args)
            finally:
                if holding is not None:
                    app.release_keys(holding)

        def work() -> None:
            try:
                result = event(at)
            except Exception as error:  # noqa: BLE001 - reported on screen, never a traceback
                app.call_from_thread(then, self.failed, error)
                return
            app.call_from_thread(then, self._done, *result)

        app.run_worker(work, thread=True, group="phone", exit_on_error=False)

    def _done(self, kind: str, live) -> None:
        if kind == "answer":
            self.when_unlocked(lambda: self.open_form(live.call_id))
        elif kind == "missed":
            self.app.say(self.app.t("phone.missed_noted", line=live.line, rings=live.rings), severity="warning")
            self.when_unlocked(lambda: self.ask_number(live.call_id))
        self.tick()

    def _event(self, event: str, live) -> None:
        """A phone event happened, maybe in a worker thread or a feed: update the UI on its own
        thread, without waiting (the event may hold the PhoneEvents lock)."""
        message = PhoneLinesChanged(event if event.startswith("feed.") else "", live.call_id)
        if threading.get_ident() == self._ui_thread:
            self.app.on_phone_lines_changed(message)
        else:
            self.app.post_message(message)  # thread-safe; see DeskApp.on_phone_lines_changed

    # -- the ticker --------------------------------------------------------------------
    def lines_changed(self) -> None:
        """Start the ticker when a line went live; update the keys and the screens that list lines."""
        app = self.app
        if self._lines is not None and self._lines.live and self._timer is None:
            self._timer = app.set_interval(TICK_SECONDS, self.tick)
            app.screen_change_signal.subscribe(app, lambda _screen: app.call_after_refresh(self.tick))
        app.refresh_bindings()
        for screen in app.screen_stack:
            if hasattr(screen, "phone_lines_changed") and screen.is_mounted:
                screen.phone_lines_changed()

    def tick(self) -> None:
        """Bell once at the limit ring; keep the ringing bar on the current screen up to date."""
        try:
            self._tick()
        except Exception as error:  # noqa: BLE001 - a display hiccup must never stop the console
            self.app.errors.log(error)

    def _tick(self) -> None:
        app, phone = self.app, self._lines
        if phone is None:
            return
        if phone.due_bells():
            app.bell()  # DOMAIN §2: ring 3, answer now
        from deskconsole.ui.widgets.ringing_bar import RingingBar

        screen = app.screen
        offline = self.feed_offline
        show = (bool(phone.live) or offline) and app.actor is not None
        # Every screen seen now: the top one and those seen through it (a modal's dimmed
        # background), so no bar in sight stands still. Textual's command palette gets no bar of
        # its own: the screen under it shows one.
        shown = [s for s in app.screen_stack if s.is_current and s.is_mounted]
        host = next((s for s in reversed(shown) if not isinstance(s, CommandPalette)), None)
        if show and host is not None and not host.query(RingingBar):
            host.mount(RingingBar())  # filled by the next tick, once mounted
        for bar in (b for s in shown for b in s.query(RingingBar)):
            bar.sync(phone if show else None, offline=offline)
        if show and hasattr(screen, "phone_tick_view"):
            screen.phone_tick_view()
        if not phone.live and self._timer is not None:
            # The last line is gone: hide the bars left on screens below or in other modes too.
            for other in textual_compat.all_screens(app):
                for bar in other.query(RingingBar):
                    bar.sync(None, offline=offline)
            self._timer.stop()
            self._timer = None
            app.screen_change_signal.unsubscribe(app)
            app.refresh_bindings()
