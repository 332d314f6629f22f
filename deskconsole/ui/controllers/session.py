"""The operator's session at this desk: the first supervisor, sign-on and the steps shown
after it, the lock (by key or when idle), and sign-off when the shift is closed (DOMAIN §6).

The App keeps what the screens read (actor, shift_started, handover_note, locked); this object
is the one that changes them.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from datetime import timedelta

from textual.app import UnknownModeError
from textual.screen import Screen

from deskconsole.i18n import Translator

SIGNED_OFF = "signed_off"  # the mode that shows the sign-on screen after a shift is closed


class SessionController:
    def __init__(self, app, sign_on_steps) -> None:
        self.app = app
        self.sign_on_steps = tuple(sign_on_steps)
        self.last_input = app.clock.monotonic()

    # -- before sign-on (called from worker threads) -----------------------------------
    def create_first_supervisor(self, staff_no: str, name: str, pin: str):
        from deskconsole.services import operators

        app = self.app
        return app.store.write(lambda s: operators.create_first_supervisor(
            s, staff_no=staff_no, name=name, pin=pin, now=app.clock.now()))

    def sign_on(self, staff_no: str, pin: str):
        """Check the PIN and open (or resume) this operator's shift at this desk; the actor."""
        from deskconsole.models import Shift
        from deskconsole.services import operators, shifts

        app = self.app
        op = operators.authenticate_in(app.store, staff_no=staff_no, pin=pin, now=app.clock.now())
        stale = timedelta(hours=app.config.stale_shift_hours)
        actor = app.store.write(lambda s: shifts.sign_on(s, op, desk_name=app.config.desk_name, clock=app.clock,
                                                         stale_after=stale))
        with app.store.read() as s:
            shift = s.get(Shift, actor.shift_id)
            prev = s.get(Shift, shift.prev_shift_id) if shift.prev_shift_id else None
            app.shift_started = shift.started_at
            app.handover_note = prev.handover_note if prev else None
        return actor

    def check_pin(self, pin: str) -> None:
        from deskconsole.services import operators

        app = self.app
        operators.authenticate_in(app.store, staff_no=app.actor.staff_no, pin=pin, now=app.clock.now())

    # -- on the UI thread --------------------------------------------------------------
    def signed_on(self, actor) -> bool:
        """Land on the first F-key screen with the first sign-on step already on top of it (in
        the same frame: a receptionist who starts typing at once must not type into a form that
        a step then covers), then show each step in turn. True when a step is showing."""
        from deskconsole import logs
        from deskconsole.ui.modes import build_screens_in_advance

        app = self.app
        app.actor = actor
        logs.bind(operator=actor.operator_id)
        logs.log.info("signed on")
        app.locked = False
        self.last_input = app.clock.monotonic()
        app.say(app.t("signon.welcome", name=actor.name, staff_no=actor.staff_no))
        app.switch_mode(app.mode_specs[0].name)
        app.store_watch.poll(force=True)
        showing = self._run_steps(list(self.sign_on_steps))
        if app.prepare_screens:
            app.run_worker(build_screens_in_advance(app), group="prepare", exclusive=True, exit_on_error=False)
        return showing

    def _run_steps(self, steps: list) -> bool:
        while steps:
            screen = steps.pop(0)(self.app)
            if screen is not None:
                self.app.push_screen(screen, lambda _result: self._run_steps(steps))
                return True
        return False

    def show_sign_on(self, staff_no: str = "") -> None:
        from deskconsole.ui.screens.signon import SignOnScreen

        screen = SignOnScreen()
        self.app.switch_screen(screen)
        if staff_no:
            self.app.call_after_refresh(lambda: setattr(screen.query_one("#staff_no"), "value", staff_no))

    def sign_off(self) -> None:
        """After a shift is closed: forget the operator, give every mode a fresh screen for the
        next one (no half-typed form of the previous operator survives), and show the sign-on
        screen."""
        from deskconsole import logs
        from deskconsole.ui.screens.signon import SignOnScreen

        logs.log.info("signed off")
        logs.bind(operator=None)
        app = self.app
        app.actor, app.shift_started, app.handover_note, app.counters = None, None, None, {}
        app.locked = False
        if app.current_mode == SIGNED_OFF:
            return
        with suppress(UnknownModeError):
            app.remove_mode(SIGNED_OFF)
        app.add_mode(SIGNED_OFF, SignOnScreen)
        app.switch_mode(SIGNED_OFF)
        for spec in app.mode_specs:
            app.remove_mode(spec.name)
            app.add_mode(spec.name, spec.build)

    # -- lock --------------------------------------------------------------------------
    def lock(self, reason: str | Callable[[Translator], str] = "") -> None:
        app = self.app
        if app.actor is None or app.locked:
            return
        from deskconsole.ui.screens.lock import LockScreen

        app.locked = True
        app.push_screen(LockScreen(reason))

    def unlocked(self, screen: Screen) -> None:
        self.app.locked = False
        self.last_input = self.app.clock.monotonic()
        screen.dismiss(None)
        self.app.call_later(self.app.phone_controller.unlocked)  # e.g. the form of a call answered while locked

    def key_pressed(self) -> None:
        self.last_input = self.app.clock.monotonic()

    def check_idle(self) -> None:
        """Lock after `idle_lock_minutes` without a key (reliability: a lobby terminal faces
        the public), but never while a line rings or a call is under way: the receptionist is
        at the desk, on the phone (DOMAIN §2)."""
        app = self.app
        minutes = app.config.idle_lock_minutes
        if app.phone_controller.has_live():
            self.last_input = app.clock.monotonic()  # the full idle time counts from the call's end
            return
        if minutes and app.actor is not None and not app.locked:
            if app.clock.monotonic() - self.last_input >= minutes * 60:
                self.lock(lambda t: t("lock.idle", minutes=minutes))  # said in the language of the moment
