"""F7 / Shift+F7 / F8 on every screen (DOMAIN §2: the phone rings while you do other things).

Mixed into DeskApp, which keeps only the three Bindings. The keys feed `PhoneEvents` (the same
interface a PBX could feed); a ticker, running only while a line is live, keeps the ringing
bar on whatever screen is current, rings the terminal bell once at the limit ring, and stops
when every line is answered or missed. The timer starts when the key is pressed, so the time
it shows is a lower bound of the real ring time (said in F1 help and the README).
"""

from __future__ import annotations

import threading

from textual.message import Message

from deskconsole.services.errors import DeskError


class PhoneChanged(Message):
    """A phone event happened on another thread (a worker or, later, a PBX listener)."""


def restore_after_sign_on(app) -> None:
    """Sign-on step: bring back the lines that were ringing or under way at this desk when the
    console stopped, so their bar shows at once. Shows no screen of its own."""
    if app.actor is not None and app.store.is_open:
        _ = app.phone
    return None


PHONE_ACTIONS = {"phone_ring", "phone_ring_another", "phone_missed"}
TICK_SECONDS = 0.2


class PhoneKeys:
    """Needs self.store, self.config, self.actor, self.locked, self.t, self.notify, self.bell."""

    _phone = None
    _phone_timer = None

    @property
    def phone(self):
        """The live lines of this console (created at first use, restored from the store)."""
        if self._phone is None:
            from deskconsole.services.ring_lines import PhoneEvents

            self._phone = PhoneEvents(self.store, lambda: self.actor, self.config.ring_cadence,
                                      self.config.ring_limit)
            try:
                self._phone.restore()
            except Exception as error:  # noqa: BLE001 - a restore problem must not stop the phone keys
                self._log_exception(error)
            self._phone.listeners.append(self._phone_event)
            self._phone_changed()
        return self._phone

    def phone_check_action(self, action: str) -> bool:
        if self.actor is None or self.locked or not self.store.is_open:
            return False
        if action == "phone_missed":
            return self._phone is not None and bool(self._phone.ringing())
        return True

    # -- the keys ----------------------------------------------------------------------
    # Each key takes the monotonic time at once (the moment that counts, DOMAIN §2) and
    # writes in a worker thread, so a slow disk never delays the screen or skews the timer.
    def action_phone_ring(self) -> None:
        """F7: answer the ringing line (longest-ringing unless another was picked); with
        nothing ringing, start the timer of a new ringing call."""
        self._phone_run(lambda at: self.phone.ring_or_answer(at=at))

    def action_phone_ring_another(self) -> None:
        """Shift+F7: another line rings while one already does."""
        self._phone_run(lambda at: ("ring", self.phone.ring(at=at)))

    def action_phone_missed(self) -> None:
        """F8: the caller hung up before anyone answered; it becomes a callback task."""
        self._phone_run(lambda at: ("missed", self.phone.missed(at=at)))

    def phone_answer(self, call_id: int) -> None:
        """Answer one particular ringing line (picked on the phone screen)."""
        self._phone_run(lambda at: ("answer", self.phone.answer(call_id, at=at)))

    def phone_open_form(self, call_id: int) -> None:
        from deskconsole.ui.modals.call_form import CallFormModal

        self.push_screen(CallFormModal(call_id))

    def _phone_run(self, event) -> None:
        at = self.clock.monotonic()
        _ = self.phone  # created (and restored from the store) here on the UI thread, not in the worker

        def work() -> None:
            try:
                result = event(at)
            except Exception as error:  # noqa: BLE001 - reported on screen, never a traceback
                self.call_from_thread(self._phone_failed, error)
                return
            self.call_from_thread(self._phone_done, *result)

        self.run_worker(work, thread=True, group="phone", exit_on_error=False)

    def _phone_done(self, kind: str, live) -> None:
        if kind == "answer":
            self.phone_open_form(live.call_id)
        elif kind == "missed":
            self.notify(self.t("phone.missed_noted", line=live.line, rings=live.rings), severity="warning")
        self.phone_tick()

    def _phone_failed(self, error: BaseException) -> None:
        from deskconsole.db.store import StoreError

        if isinstance(error, DeskError):
            self.notify(error.message(self.t), severity="error")
        elif isinstance(error, StoreError):
            self.notify(self.t("error.store", reason=str(error)), severity="error")
        else:
            self._log_exception(error)
            self.notify(self.t("error.unexpected", log=self.log_path), severity="error")
        self.phone_tick()

    def _phone_do(self, fn):
        """Run a phone event here and now (the call form's hang-up); errors become a message."""
        try:
            return fn()
        except Exception as error:  # noqa: BLE001
            self._phone_failed(error)
        return None

    def _phone_event(self, _event: str, _live) -> None:
        """A phone event happened, maybe in a worker thread or a PBX listener: update the UI
        on its own thread, without waiting (the event may hold the PhoneEvents lock)."""
        if threading.get_ident() == self._thread_id:
            self._phone_changed()
        else:
            self.post_message(PhoneChanged())  # thread-safe; handled below on the UI thread

    def on_phone_changed(self, _message: PhoneChanged) -> None:
        self._phone_changed()

    # -- the ticker --------------------------------------------------------------------
    def _phone_changed(self) -> None:
        if self._phone is not None and self._phone.live and self._phone_timer is None:
            self._phone_timer = self.set_interval(TICK_SECONDS, self.phone_tick)
            self.screen_change_signal.subscribe(self, lambda _screen: self.call_after_refresh(self.phone_tick))
        self.refresh_bindings()
        for screen in self.screen_stack:
            if hasattr(screen, "phone_lines_changed") and screen.is_mounted:
                screen.phone_lines_changed()

    def phone_tick(self) -> None:
        """Bell once at the limit ring; keep the ringing bar on the current screen up to date."""
        try:
            self._phone_tick()
        except Exception as error:  # noqa: BLE001 - a display hiccup must never stop the console
            self._log_exception(error)

    def _phone_tick(self) -> None:
        phone = self._phone
        if phone is None:
            return
        if phone.due_bells():
            self.bell()  # DOMAIN §2: ring 3, answer now
        from deskconsole.ui.widgets.ringing_bar import RingingBar

        screen = self.screen
        bars = list(screen.query(RingingBar))
        show = bool(phone.live) and self.actor is not None and not self.locked
        if show and not bars and screen.is_mounted:
            screen.mount(RingingBar())  # filled by the next tick, once mounted
        for bar in bars:
            bar.sync(phone if show else None)
        if show and hasattr(screen, "phone_tick_view"):
            screen.phone_tick_view()
        if not phone.live and self._phone_timer is not None:
            # The last line is gone: hide the bars left on screens below or in other modes too.
            for other in self._all_screens():
                for bar in other.query(RingingBar):
                    bar.sync(None)
            self._phone_timer.stop()
            self._phone_timer = None
            self.screen_change_signal.unsubscribe(self)
            self.refresh_bindings()
