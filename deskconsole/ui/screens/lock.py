"""Lock: a lobby terminal faces the public (DOMAIN §1: never leak customer information).
Hides everything; only the signed-on operator's PIN resumes."""

from __future__ import annotations

from collections.abc import Callable

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical

from deskconsole.db.base import classify
from deskconsole.i18n import Translator
from deskconsole.services.errors import DeskError
from deskconsole.ui.screens.signon import KeepsKeysTypedAhead, RebuiltInLanguage, StyledAsMounted
from deskconsole.ui.text import Input, Label
from deskconsole.ui.textual_compat import DrawsNoBatchedFrame
from deskconsole.ui.widgets.form import FieldRow, clear_errors, show_desk_error


class LockScreen(KeepsKeysTypedAhead, StyledAsMounted, RebuiltInLanguage, DrawsNoBatchedFrame):
    HELP = "lock.title"
    # As on the sign-on screen: Enter acts when it is read, so the keys typed after the PIN
    # are kept for the desk behind the lock instead of going into the PIN field (they were lost).
    BINDINGS = [Binding("enter", "submit", "key.submit", show=False, priority=True)]
    FIRST_FIELD = "pin"

    def __init__(self, reason: str | Callable[[Translator], str] = "") -> None:
        """`reason`: why the desk locked, as a function of the translator (said again in the
        console's language if it changes while locked), or as said."""
        super().__init__()
        self.reason = reason

    def compose(self) -> ComposeResult:
        t = self.app.t
        actor = self.app.actor
        with Center(), Vertical(id="signon-box"):
            yield Label(t("lock.title"), id="signon-title")
            yield Label(self.reason(t) if callable(self.reason) else self.reason, id="signon-subtitle")
            yield Label(t("lock.body", name=actor.name, staff_no=actor.staff_no), id="signon-help")
            yield FieldRow("pin", t("signon.pin_hint"),
                           Input(id="pin", password=True, max_length=8, restrict=r"[0-9]*"))

    def action_submit(self) -> None:
        if self._typed_ahead is not None:  # a PIN is being checked: this Enter is for the desk,
            self.post_message(events.Key("enter", "\r"))  # behind the keys read before it (on_key)
            return
        if not self.query("#pin"):  # read before the lock was up (a burst): no PIN typed here yet
            return
        self._typed_ahead = []
        self.set_focus(None)
        self.query_one("#pin", Input).call_later(self._submit_now)  # once the digits typed before Enter are in the field

    def _submit_now(self) -> None:
        clear_errors(self)
        self._unlock(self.query_one("#pin", Input).value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="unlock")
    def _unlock(self, pin: str) -> None:
        try:
            self.app.session.check_pin(pin)
        except DeskError as error:
            self.app.call_from_thread(self._refused, error)
            return
        except Exception as error:  # noqa: BLE001 - said at the PIN field, never a traceback
            self.app.call_from_thread(self._failed, error)
            return
        self.app.call_from_thread(self._unlocked)

    def _unlocked(self) -> None:
        """Back to the desk. The keys typed meanwhile wait (ui/key_order.py) until what the phone
        keys asked for while locked has opened (the call form of a call answered: the caller's
        name typed after the PIN belongs in it) and the screen on top is drawn."""
        keys, self._typed_ahead = self._typed_ahead or [], None
        app = self.app
        holding = app.hold_keys()
        app.session.unlocked(self)  # queues the phone's forms (call_later)
        for key in keys:
            app.post_message(events.Key(key.key, key.character))
        app.call_later(app.release_keys, holding)

    def _failed(self, error: Exception) -> None:
        """The store lost or full while the PIN was checked: said at the field; Enter tries again."""
        kind = classify(error)
        if kind is not None:
            self.app.store_watch.lost(kind)
            self._refused(DeskError(f"lock.store.{kind}", field="pin"))
            return
        self.app.errors.log(error)
        self._refused(DeskError("error.unexpected", field="pin", log=self.app.errors.log_path))

    def _refused(self, error: DeskError) -> None:
        # Keys typed after a wrong PIN were meant for the desk, which stays hidden: dropped.
        self._typed_ahead = None
        if error.key == "error.bad_credentials":  # only the PIN is asked here
            error = DeskError("lock.bad_pin", field="pin")
        pin = self.query_one("#pin", Input)
        pin.value = ""
        pin.focus()
        show_desk_error(self, error)
