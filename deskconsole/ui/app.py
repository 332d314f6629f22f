"""DeskApp: modes, global keys, the language and what the screens share. Nothing else.

Built with its config, store and clock passed in (STYLE §2). The work is done by the objects it
holds (STYLE §12): `session` (sign-on, lock, sign-off), `phone_controller` (F7/Shift+F7/F8 on
every screen), `store_watch` (opening the store, the 2 s poll) and `errors` (what a failure
says). Screens read the shift's state here: `actor`, `shift_started`, `handover_note`,
`locked`, `counters`, `store_error`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import cached_property
from pathlib import Path

from rich.text import Text
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Input

from deskconsole import logs
from deskconsole.clock import Clock, SystemClock
from deskconsole.config import Config
from deskconsole.db.store import Store
from deskconsole.i18n import Translator
from deskconsole.keymap import DEFAULT_KEYS
from deskconsole.ui import palette, textual_compat
from deskconsole.ui.controllers.phone import PHONE_ACTIONS, PhoneController, PhoneLinesChanged
from deskconsole.ui.controllers.session import SessionController
from deskconsole.ui.controllers.store_watch import StoreWatch
from deskconsole.ui.errors import ErrorReporter
from deskconsole.ui.key_order import KeyOrder
from deskconsole.ui.modes import MODES, SIGN_ON_STEPS, ModeSpec
from deskconsole.ui.widgets.message_line import MessageLog, show_on_modal

GATED = {"go", "lock", "timeline"}


class DeskApp(App):
    # Every stylesheet of the console, read once at start. A screen or modal with a CSS_PATH of
    # its own makes Textual parse the whole stylesheet anew and restyle every screen the first
    # time it is shown (the sign-on screen's cost ~20 ms before the first frame). A rule in one
    # of them reaches every screen from the start: write it under its screen's ids or type.
    CSS_PATH = ["app.tcss", *(f"screens/{name}.tcss" for name in (
        "signon", "home", "reception", "phone", "tickets", "etiquette", "shift", "registers")),
        "modals/ticket_modals.tcss"]
    TITLE = "deskconsole"
    ENABLE_COMMAND_PALETTE = True
    COMMAND_PALETTE_BINDING = "ctrl+p"
    BINDINGS = [
        Binding(DEFAULT_KEYS["help"], "help", "key.help", id="help"),
        *[Binding(m.key, f"go('{m.name}')", f"mode.{m.name}", id=f"mode.{m.name}") for m in MODES if m.key],
        Binding(DEFAULT_KEYS["lock"], "lock", "key.lock", id="lock"),
        # DOMAIN §2: the phone rings on any screen (ui/controllers/phone.py).
        Binding(DEFAULT_KEYS["phone.ring"], "phone_ring", "phone.key.ring", id="phone.ring", priority=True),
        Binding(DEFAULT_KEYS["phone.ring_another"], "phone_ring_another", "phone.key.ring_another", id="phone.ring_another",
                show=False, priority=True),
        Binding(DEFAULT_KEYS["phone.missed"], "phone_missed", "phone.key.missed", id="phone.missed", priority=True),
        Binding(DEFAULT_KEYS["messages"], "messages", "key.messages", id="messages", show=False),
        Binding(DEFAULT_KEYS["quit"], "request_quit", "key.quit", id="quit", priority=True),
        # From any unit or phone field, forms in modals too: that unit's or number's timeline
        # (ui/modals/timeline.py). Priority, as a modal screen hides the app's other bindings.
        Binding(DEFAULT_KEYS["timeline"], "timeline", "timeline.key.open", id="timeline", show=False, priority=True),
    ]

    language: reactive[str] = reactive("en", init=False)
    """The language of the console ("zh-CN", "en"); set it to switch at run time."""

    def __init__(self, *, config: Config, store: Store, clock: Clock | None = None,
                 log_path: Path | None = None, mode_specs: Iterable[ModeSpec] = MODES) -> None:
        super().__init__()
        self.config = config
        self.store = store
        self.clock: Clock = clock or SystemClock()
        self.t = Translator(config.language)
        self.set_reactive(DeskApp.language, self.t.language)
        self.log_path = log_path or logs.log_file()
        self.mode_specs = tuple(mode_specs)
        for spec in self.mode_specs:
            self.add_mode(spec.name, spec.build)
        # The shift's state, read by the screens; the session and the store watch change it.
        self.actor = None
        self.shift_started: datetime | None = None
        self.handover_note: str | None = None
        self.counters: dict[str, int] = {}
        self.store_error: str | None = None
        self.locked = False
        self.cursor_blink = True  # tests and snapshots switch it off
        self.prepare_screens = True  # build the F-key screens after sign-on; most tests switch it off
        self.messages = MessageLog(self)
        self.errors = ErrorReporter(self, self.t, self.clock, self.log_path)
        self.session = SessionController(self, SIGN_ON_STEPS)
        self.key_order = KeyOrder(self)
        self.phone_controller = PhoneController(self)
        self.store_watch = StoreWatch(self)
        if config.keymap:
            self.set_keymap(config.keymap)

    @property
    def phone(self):
        """The live lines of this console (PhoneEvents), restored from the store at first use."""
        return self.phone_controller.lines

    @cached_property
    def sla_rules(self):
        """The ticket SLA rules of this console's config (DOMAIN §3), built once."""
        from deskconsole.services.sla import rules_from

        return rules_from(self.config)

    def all_screens(self) -> list[Screen]:
        """Every screen of every mode, shown or not."""
        return textual_compat.all_screens(self)

    # -- start-up ----------------------------------------------------------------------
    def on_mount(self) -> None:
        from deskconsole.ui.screens.signon import SignOnScreen

        self.push_screen(SignOnScreen())
        self.messages.changed.subscribe(self, lambda message: show_on_modal(self, message), immediate=True)
        self.store_watch.start()
        self.set_interval(5.0, self.session.check_idle)

    def on_ready(self) -> None:
        # Pay for SQLAlchemy only once the sign-on screen is painted: importing it in a thread
        # holds the GIL and delayed the first frame by about 0.35 s. Enter pressed meanwhile
        # is kept by the sign-on screen and acted on when the store is open.
        if self.store.is_open:  # handed in open (tests, tools): nothing to wait for
            self.store_watch.open()
        else:
            self.set_timer(0.25, self.store_watch.open)
        self.set_timer(0.5, self.warn_unknown_calendar)

    def warn_unknown_calendar(self) -> None:
        """A year whose statutory holidays are not known yet is said, never silently assumed."""
        now = self.clock.now()
        for year in self.sla_rules.unknown_years(now, now):
            self.say(self.t("tickets.calendar_year", year=year), severity="warning")

    # -- language ------------------------------------------------------------------------
    def watch_language(self, language: str) -> None:
        self.t.set_language(language)
        self.say(self.t("app.language_set", lang=self.t(f"lang.{language}")))
        # The screen shown now is rebuilt at once; the others when they are next shown.
        screen = self.screen
        self.call_later(getattr(screen, "recompose_in_language", screen.recompose))

    # -- messages ------------------------------------------------------------------------
    def say(self, text: str | Content | Text, *, severity: str = "information") -> None:
        """Show `text` in the message line of every screen (replacing the last message) and
        keep it in the log F12 shows. The text is data, never markup: a visitor's name in it
        is shown as typed. Safe to call from a worker thread."""
        if self._on_loop():
            self.messages.add(text, severity, self.clock.now())
        else:
            self.call_from_thread(self.messages.add, text, severity, self.clock.now())

    def notify(self, message, *, title: str = "", severity="information", timeout=None, markup: bool = True) -> None:
        """Textual's toast, routed to the message line: nothing floats over the screen, and
        the text is never read as markup."""
        self.say(f"{title}: {message}" if title else message, severity=severity)

    @staticmethod
    def _on_loop() -> bool:
        import asyncio

        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return False
        return True

    def action_messages(self) -> None:
        from deskconsole.ui.modals.messages import MessagesModal

        if isinstance(self.screen, MessagesModal):
            self.screen.dismiss(None)
        else:
            self.push_screen(MessagesModal())

    # -- errors --------------------------------------------------------------------------
    def on_worker_state_changed(self, event) -> None:
        from textual.worker import WorkerState

        if event.state == WorkerState.ERROR:
            self.errors.report(event.worker.error)

    # -- keys ------------------------------------------------------------------------
    async def on_event(self, event) -> None:
        from textual import events

        came_back = event.is_forwarded  # (forwarding below marks the event itself)
        if isinstance(event, events.Key):
            self.session.key_pressed()
            if not came_back and self.key_order.waits(event):  # ui/key_order.py
                return
            focused = self.focused
            moves = {"enter": 1, "tab": 1, "shift+tab": -1} if getattr(focused, "advance_on_enter", False) \
                else {"tab": 1, "shift+tab": -1} if isinstance(focused, Input) else {}
            if event.key in moves:
                # Synchronous, before the next key is forwarded (see FormInput): keys typed after
                # Tab or Enter land in the next field, not in the queue of this one.
                (self.screen.focus_next if moves[event.key] > 0 else self.screen.focus_previous)()
                event.stop()
                return
            if not came_back:
                focused = self.key_order.drain_first(event)
                if focused is not None:  # e.g. Ctrl+S on a modal form: after the text before it
                    token = self.key_order.hold()
                    focused.call_later(self.call_next, self._after_drain, event, token)
                    return
                if await self._screen_key_under_modal(event.key):
                    event.stop()
                    return
                event = self.key_order.awaited(event)
        await super().on_event(event)
        if came_back and isinstance(event, events.Key):
            self.key_order.came_back(event)

    async def _screen_key_under_modal(self, key: str) -> bool:
        """An F-key for another screen pressed with a window on top (a form, a question, help)
        did nothing and said nothing. A window that only shows something closes and the key
        goes on; a form or a question stays, and the message line says to close it first."""
        binding = textual_compat.hidden_by_modal(self, key)
        if binding is None or not binding.action.startswith("go(") or self.actor is None or self.locked:
            return False
        from textual.command import CommandPalette

        screen = self.screen
        below = self.screen_stack[-2] if len(self.screen_stack) > 1 else None
        shows_only = getattr(screen, "CLOSED_BY_SCREEN_KEYS", False) or isinstance(screen, CommandPalette)
        if shows_only and not (below is not None and below.is_modal):  # not over a form: it would stay
            screen.dismiss(None)
            await self.run_action(binding.action)
        else:
            shown = self.get_key_display(binding)
            self.say(self.t("app.close_first", fkey=shown.upper() if shown[1:].isdigit() else shown),
                     severity="warning")
        return True

    async def _after_drain(self, event, token: object) -> None:
        try:
            await super().on_event(event)
        finally:
            self.key_order.release(token)

    def hold_keys(self) -> object:
        """Keys read from now on wait until release_keys(token): a question or form on top is
        being saved and closes when saved; what is typed meanwhile is for what comes next."""
        return self.key_order.hold()

    def release_keys(self, token: object) -> None:
        self.key_order.release(token)

    def on_descendant_focus(self, event) -> None:
        if not self.cursor_blink and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in GATED and (self.actor is None or self.locked):
            return False
        if action in PHONE_ACTIONS:
            return self.phone_controller.allows(action)
        return True

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(textual_compat.PaletteWaitsForItsSearch(
                id="--command-palette", placeholder=self.t("palette.placeholder")))

    def action_go(self, mode: str) -> None:
        if self.current_mode != mode:
            self.switch_mode(mode)

    def delay_update(self, delay: float = 0.05) -> None:
        # Textual holds the frame for 50 ms after a mode switch so a half-built screen is not
        # seen; ours are built in advance (modes.build_screens_in_advance), and those 50 ms
        # were most of an F-key's latency. Draw a millisecond later instead.
        super().delay_update(0.001)  # (0 would divide by zero in Timer)

    def action_help(self) -> None:
        palette.toggle_help(self)

    def action_timeline(self) -> None:
        from deskconsole.ui.modals.timeline import open_for_focused

        open_for_focused(self)

    def action_lock(self, reason: str = "") -> None:
        self.session.lock(reason)

    def action_phone_ring(self) -> None:
        self.phone_controller.ring_or_answer()

    def action_phone_ring_another(self) -> None:
        self.phone_controller.ring_another()

    def action_phone_missed(self) -> None:
        self.phone_controller.missed()

    def on_phone_lines_changed(self, message: PhoneLinesChanged) -> None:
        if message.event:
            self.phone_controller.feed_event(message)
        self.phone_controller.lines_changed()
        if message.event:  # after the form it may have opened is composed
            self.call_after_refresh(self.phone_controller.tick)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        return palette.system_commands(self, screen)

    def action_request_quit(self) -> None:
        from deskconsole.ui.modals.confirm import ConfirmModal

        unsaved = any(getattr(s, "has_unsaved", lambda: False)() for s in self.all_screens())
        if not unsaved and self.actor is None:
            self.exit()
            return
        message = self.t("confirm.quit" if unsaved else "confirm.quit_clean")

        def done(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(ConfirmModal(message), done)
