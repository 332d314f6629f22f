"""DeskApp: modes, global keys, sign-on, lock, language and errors. Nothing else.

Built with its config, store and clock passed in (STYLE §2). The store is opened in a thread
after the first frame, so the sign-on screen appears before SQLAlchemy is even imported.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from deskconsole.clock import Clock, SystemClock
from deskconsole.config import Config
from deskconsole.db.store import Store, StoreError
from deskconsole.i18n import Translator
from deskconsole.ui.errors import ErrorHandling
from deskconsole.ui.modes import MODES, SIGN_ON_STEPS, ModeSpec, build_screens_in_advance
from deskconsole.ui.palette import HelpAndPalette
from deskconsole.ui.phone_keys import PHONE_ACTIONS, PhoneKeys

GATED = {"go", "lock"}


class DeskApp(ErrorHandling, HelpAndPalette, PhoneKeys, App):
    CSS_PATH = "app.tcss"
    TITLE = "deskconsole"
    ENABLE_COMMAND_PALETTE = True
    COMMAND_PALETTE_BINDING = "ctrl+p"
    BINDINGS = [
        Binding("f1", "help", "key.help", id="help"),
        *[Binding(m.key, f"go('{m.name}')", f"mode.{m.name}", id=f"mode.{m.name}") for m in MODES if m.key],
        Binding("ctrl+l", "lock", "key.lock", id="lock"),
        # DOMAIN §2: the phone rings on any screen (actions in ui/phone_keys.py).
        Binding("f7", "phone_ring", "phone.key.ring", id="phone.ring", priority=True),
        Binding("shift+f7", "phone_ring_another", "phone.key.ring_another", id="phone.ring_another",
                show=False, priority=True),
        Binding("f8", "phone_missed", "phone.key.missed", id="phone.missed", priority=True),
        Binding("ctrl+q", "request_quit", "key.quit", id="quit", priority=True),
    ]

    def __init__(self, *, config: Config, store: Store, clock: Clock | None = None,
                 log_path: Path | None = None, mode_specs: Iterable[ModeSpec] = MODES) -> None:
        super().__init__()
        self.config = config
        self.store = store
        self.clock: Clock = clock or SystemClock()
        self.t = Translator(config.language)
        self.language_epoch = 0
        self.log_path = log_path or config.data_dir / "deskconsole.log"
        self.mode_specs = tuple(mode_specs)
        for spec in self.mode_specs:
            self.add_mode(spec.name, spec.factory())
        self.actor = None
        self.shift_started: datetime | None = None
        self.handover_note: str | None = None
        self.counters: dict[str, int] = {}
        self.store_error: str | None = None
        self.locked = False
        self._last_input = self.clock.monotonic()
        self._change_token = None
        self.cursor_blink = True  # tests and snapshots switch it off
        self.prepare_screens = True  # build the F-key screens after sign-on; most tests switch it off
        if config.keymap:
            self.set_keymap(config.keymap)

    # -- start-up ----------------------------------------------------------------------
    def on_mount(self) -> None:
        from deskconsole.ui.screens.signon import SignOnScreen

        self.push_screen(SignOnScreen())
        self.set_interval(2.0, self._poll_store)
        self.set_interval(5.0, self._check_idle)

    def on_ready(self) -> None:
        # Pay for SQLAlchemy only once the sign-on screen is painted: importing it in a thread
        # holds the GIL and delayed the first frame by about 0.35 s. Enter pressed meanwhile
        # is kept by the sign-on screen and acted on when the store is open.
        if self.store.is_open:  # handed in open (tests, tools): nothing to wait for
            self._open_store()
        else:
            self.set_timer(0.25, self._open_store)

    @work(thread=True, exclusive=True, exit_on_error=False, group="store")
    def _open_store(self) -> None:
        try:
            self.store.open()
            from deskconsole.services.operators import count_active

            with self.store.read() as s:
                has_operators = count_active(s) > 0
        except StoreError as exc:
            self.call_from_thread(self._store_failed, str(exc))
            return
        self.call_from_thread(self._store_opened, has_operators)

    def _store_failed(self, reason: str) -> None:
        self.store_error = reason
        self._notify_screen()

    def _store_opened(self, has_operators: bool) -> None:
        if not has_operators:
            from deskconsole.ui.screens.first_run import FirstRunScreen

            self.switch_screen(FirstRunScreen())
            return
        self._notify_screen()

    def _notify_screen(self) -> None:
        handler = getattr(self.screen, "store_state_changed", None)
        if handler:
            handler()

    # -- operators and shifts (called from worker threads) ---------------------------
    def create_first_supervisor(self, staff_no: str, name: str, pin: str):
        from deskconsole.services import operators
        from deskconsole.services.errors import DeskError

        def work(s):
            if operators.count_active(s):
                raise DeskError("error.supervisor_only", action=self.t("firstrun.title"))
            return operators.create_operator(s, staff_no=staff_no, name=name, role="supervisor",
                                             pin=pin, now=self.clock.now())

        return self.store.write(work)

    def sign_on(self, staff_no: str, pin: str):
        from deskconsole.models import Shift
        from deskconsole.services import operators, shifts

        op = operators.authenticate_in(self.store, staff_no=staff_no, pin=pin, now=self.clock.now())
        actor = self.store.write(lambda s: shifts.sign_on(s, op, desk_name=self.config.desk_name, clock=self.clock))
        with self.store.read() as s:
            shift = s.get(Shift, actor.shift_id)
            prev = s.get(Shift, shift.prev_shift_id) if shift.prev_shift_id else None
            self.shift_started = shift.started_at
            self.handover_note = prev.handover_note if prev else None
        return actor

    def check_pin(self, pin: str) -> None:
        from deskconsole.services import operators

        operators.authenticate_in(self.store, staff_no=self.actor.staff_no, pin=pin, now=self.clock.now())

    def signed_on(self, actor) -> None:
        self.actor = actor
        self.locked = False
        self._last_input = self.clock.monotonic()
        self.notify(self.t("signon.welcome", name=actor.name, staff_no=actor.staff_no))
        self.switch_mode(self.mode_specs[0].name)
        self._poll_store(force=True)
        self.call_after_refresh(self._run_sign_on_steps, list(SIGN_ON_STEPS))
        if self.prepare_screens:
            self.run_worker(build_screens_in_advance(self), group="prepare", exclusive=True, exit_on_error=False)

    def _run_sign_on_steps(self, steps: list[str]) -> None:
        """Show each sign-on step's screen in turn (handover, self-check ...)."""
        import importlib

        while steps:
            module, _, func = steps.pop(0).partition(":")
            screen = getattr(importlib.import_module(module), func)(self)
            if screen is not None:
                self.push_screen(screen, lambda _result: self._run_sign_on_steps(steps))
                return

    def show_sign_on(self, staff_no: str = "") -> None:
        from deskconsole.ui.screens.signon import SignOnScreen

        screen = SignOnScreen()
        self.switch_screen(screen)
        if staff_no:
            self.call_after_refresh(lambda: setattr(screen.query_one("#staff_no"), "value", staff_no))

    def sign_off(self) -> None:
        """After a shift is closed: back to the sign-on screen for the next operator."""
        from deskconsole.ui.modals.handover import sign_off

        sign_off(self)

    # -- lock ------------------------------------------------------------------------
    def action_lock(self, reason: str = "") -> None:
        if self.actor is None or self.locked:
            return
        from deskconsole.ui.screens.lock import LockScreen

        self.locked = True
        self.push_screen(LockScreen(reason))

    def unlocked(self, screen: Screen) -> None:
        self.locked = False
        self._last_input = self.clock.monotonic()
        screen.dismiss(None)

    def _check_idle(self) -> None:
        minutes = self.config.idle_lock_minutes
        if minutes and self.actor is not None and not self.locked:
            if self.clock.monotonic() - self._last_input >= minutes * 60:
                self.action_lock(self.t("lock.idle", minutes=minutes))

    async def on_event(self, event) -> None:
        from textual import events

        if isinstance(event, events.Key):
            self._last_input = self.clock.monotonic()
            focused = self.focused
            if event.key == "enter" and getattr(focused, "advance_on_enter", False):
                # Synchronous, before the next key is forwarded (see FormInput).
                self.screen.focus_next()
                event.stop()
                return
        await super().on_event(event)

    def on_descendant_focus(self, event) -> None:
        if not self.cursor_blink and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False

    # -- keys ------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in GATED and (self.actor is None or self.locked):
            return False
        if action in PHONE_ACTIONS:
            return self.phone_check_action(action)
        return True

    def action_go(self, mode: str) -> None:
        if self.current_mode != mode:
            self.switch_mode(mode)

    def delay_update(self, delay: float = 0.05) -> None:
        # Textual holds the frame for 50 ms after a mode switch so a half-built screen is not
        # seen; ours are built in advance (modes.build_screens_in_advance), and those 50 ms
        # were most of an F-key's latency (issue 8). Draw a millisecond later instead.
        super().delay_update(0.001)  # (0 would divide by zero in Timer)

    def action_request_quit(self) -> None:
        from deskconsole.ui.modals.confirm import ConfirmModal

        unsaved = any(getattr(s, "has_unsaved", lambda: False)() for s in self._all_screens())
        if not unsaved and self.actor is None:
            self.exit()
            return
        message = self.t("confirm.quit" if unsaved else "confirm.quit_clean")

        def done(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(ConfirmModal(message), done)

    def _all_screens(self) -> list[Screen]:
        screens: list[Screen] = []
        for stack in self._screen_stacks.values():
            screens.extend(stack)
        return screens

    # -- store changes -----------------------------------------------------------------
    def _poll_store(self, force: bool = False) -> None:
        if self.actor is not None and self.store.is_open:
            self._refresh_counters(force)

    @work(thread=True, exclusive=True, exit_on_error=False, group="counters")
    def _refresh_counters(self, force: bool) -> None:
        from deskconsole.services.counters import counters

        token = self.store.change_token()
        if not (force or token != self._change_token):
            return
        with self.store.read() as s:
            values = counters(s, self.actor)
        self.call_from_thread(self._counters_ready, values, token)

    def _counters_ready(self, values: dict[str, int], token) -> None:
        # The token is taken only here: a refresh cancelled by the next poll (exclusive
        # worker) must not make that poll think it has nothing to do. A screen shown before
        # the first counters arrived must see them too.
        changed = token != self._change_token or values != self.counters
        self._change_token, self.counters = token, values
        for screen in self.screen_stack:
            if changed and hasattr(screen, "refresh_view") and screen.is_current and screen.is_mounted:
                screen.refresh_view()
        from deskconsole.ui.widgets.status_bar import StatusBar

        for bar in self.screen.query(StatusBar):
            bar.refresh()
