"""F7 / Shift+F7 / F8 on every screen (DOMAIN §2: the phone rings while you do other things).

DeskApp keeps the three Bindings and hands their actions to the PhoneController. The keys feed
`PhoneEvents` (the same interface a PBX could feed); a ticker, running only while a line is
live, keeps the ringing bar on whatever screen is current, rings the terminal bell once at the
limit ring, and stops when every line is answered or missed. The timer starts when the key is
pressed, so the time it shows is a lower bound of the real ring time (said in F1 help and the
README).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from textual.message import Message

from deskconsole.ui import textual_compat

PHONE_ACTIONS = {"phone_ring", "phone_ring_another", "phone_missed"}
TICK_SECONDS = 0.2


class PhoneLinesChanged(Message):
    """A phone event happened on another thread (a worker or, later, a PBX listener); the App
    hands it to PhoneController.lines_changed on the UI thread."""


class PhoneController:
    def __init__(self, app) -> None:
        self.app = app
        self._lines = None
        self._timer = None
        self._ui_thread: int | None = None

    @property
    def lines(self):
        """The live lines of this console (PhoneEvents, created at first use on the UI thread
        and restored from the store)."""
        if self._lines is None:
            from deskconsole.services.ring_lines import PhoneEvents

            app = self.app
            self._ui_thread = threading.get_ident()
            self._lines = PhoneEvents(app.store, lambda: app.actor, app.config.ring_cadence, app.config.ring_limit)
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

    def allows(self, action: str) -> bool:
        """Whether a phone key works now (signed on, unlocked, store open; F8 while a line rings)."""
        app = self.app
        if app.actor is None or app.locked or not app.store.is_open:
            return False
        if action == "phone_missed":
            return self._lines is not None and bool(self._lines.ringing())
        return True

    # -- the keys ----------------------------------------------------------------------
    # Each key takes the monotonic time at once (the moment that counts, DOMAIN §2) and
    # writes in a worker thread, so a slow disk never delays the screen or skews the timer.
    def ring_or_answer(self) -> None:
        """F7: answer the ringing line (longest-ringing unless another was picked); with
        nothing ringing, start the timer of a new ringing call."""
        self._run(lambda at: self.lines.ring_or_answer(at=at))

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

        self.app.push_screen(CallFormModal(call_id))

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

        def work() -> None:
            try:
                result = event(at)
            except Exception as error:  # noqa: BLE001 - reported on screen, never a traceback
                app.call_from_thread(self.failed, error)
                return
            app.call_from_thread(self._done, *result)

        app.run_worker(work, thread=True, group="phone", exit_on_error=False)

    def _done(self, kind: str, live) -> None:
        if kind == "answer":
            self.open_form(live.call_id)
        elif kind == "missed":
            self.app.say(self.app.t("phone.missed_noted", line=live.line, rings=live.rings), severity="warning")
        self.tick()

    def _event(self, _event: str, _live) -> None:
        """A phone event happened, maybe in a worker thread or a PBX listener: update the UI
        on its own thread, without waiting (the event may hold the PhoneEvents lock)."""
        if threading.get_ident() == self._ui_thread:
            self.lines_changed()
        else:
            self.app.post_message(PhoneLinesChanged())  # thread-safe; see DeskApp.on_phone_lines_changed

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
        bars = list(screen.query(RingingBar))
        show = bool(phone.live) and app.actor is not None and not app.locked
        if show and not bars and screen.is_mounted:
            screen.mount(RingingBar())  # filled by the next tick, once mounted
        for bar in bars:
            bar.sync(phone if show else None)
        if show and hasattr(screen, "phone_tick_view"):
            screen.phone_tick_view()
        if not phone.live and self._timer is not None:
            # The last line is gone: hide the bars left on screens below or in other modes too.
            for other in textual_compat.all_screens(app):
                for bar in other.query(RingingBar):
                    bar.sync(None)
            self._timer.stop()
            self._timer = None
            app.screen_change_signal.unsubscribe(app)
            app.refresh_bindings()
