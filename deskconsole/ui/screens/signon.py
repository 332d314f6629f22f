"""Sign-on: staff number + PIN opens (or resumes) a shift at this desk, so every record says
who made it, at which desk and in which shift. Shown in the user's language before anything
else; shows no customer data."""

from __future__ import annotations

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical

from deskconsole.db.base import classify
from deskconsole.services.errors import DeskError
from deskconsole.ui.text import Input, Label, Static
from deskconsole.ui.textual_compat import DrawsNoBatchedFrame
from deskconsole.ui.widgets.footer import DeskFooter
from deskconsole.ui.widgets.form import FieldRow, FormInput, clear_errors, show_desk_error
from deskconsole.ui.widgets.message_line import MessageLine


class KeepsKeysTypedAhead:
    """A screen that checks a PIN in a thread keeps the keys typed meanwhile, in order, for the
    screen that comes next: `_typed_ahead` is a list while it checks, None otherwise."""

    _typed_ahead: list[events.Key] | None = None

    def on_key(self, event: events.Key) -> None:
        if self._typed_ahead is not None:
            self._typed_ahead.append(events.Key(event.key, event.character))
            event.stop()
            event.prevent_default()


class StyledAsMounted:
    """A screen not restyled whole when it is shown: its widgets were styled as they mounted,
    and a class or focus change restyles its widget at once. Textual restyles every widget of
    a screen it shows, in case the CSS changed meanwhile (the console's stylesheet is read
    once, at start): for the sign-on screen ~20 widgets before its first frame. DeskScreen
    does the same for the F-key screens (screens/base.py)."""

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        event.refresh_styles = False  # read by Screen's own handler, which runs after this one


class RebuiltInLanguage:
    """A change of language (Ctrl+P) rebuilds the screen shown (DeskApp.watch_language). Textual's
    recompose drops what was typed and the focus, and does not mount the screen again: the
    sign-on screen took no keys after it (Enter then said the staff number was missing) and
    still said the store was opening. What was typed stays, the focus is back on its field at
    once, with the cursor after the text, and `ready` runs again."""

    FIRST_FIELD = "staff_no"  # the field the screen opens on

    def ready(self) -> None:
        """What the screen shows from the app's state as it mounts (and again once rebuilt)."""

    def on_mount(self) -> None:
        self.query_one(f"#{self.FIRST_FIELD}", Input).focus()
        self.ready()

    async def recompose_in_language(self) -> None:
        typed = {field.id: field.value for field in self.query(Input) if field.id}
        focused = getattr(self.focused, "id", None) or self.FIRST_FIELD
        await self.recompose()
        for field in self.query(Input):
            field.value = typed.get(field.id, "")
            field.cursor_position = len(field.value)
        # Given here, not by Widget.focus: that is queued behind the keys typed meanwhile, and
        # the first of them went to no field. Nor is the text selected, as a field does when it
        # takes the focus: the next key would have replaced it.
        target = self.query_one(f"#{focused}", Input)
        selects, target.select_on_focus = target.select_on_focus, False
        self.set_focus(target)
        target.call_later(setattr, target, "select_on_focus", selects)
        self.ready()


class SignOnScreen(KeepsKeysTypedAhead, StyledAsMounted, RebuiltInLanguage, DrawsNoBatchedFrame):
    HELP = "signon.help"
    # Priority: Enter is acted on when it is read, before the keys typed after it are handed to
    # the PIN field (they belong to the screen that comes next).
    BINDINGS = [Binding("enter", "submit", "key.submit", id="signon.submit", show=True, priority=True)]
    REPLAY_TRIES = 50  # frames to wait for the next screen to take the focus

    def compose(self) -> ComposeResult:
        t = self.app.t
        cfg = self.app.config
        with Center(), Vertical(id="signon-box"):
            yield Label(t("signon.title"), id="signon-title")
            yield Label(t("signon.subtitle", site=cfg.site_name or t("app.default_site"), desk=cfg.desk_name),
                        id="signon-subtitle")
            yield FieldRow("staff_no", t("signon.staff_no_hint"),
                           FormInput(id="staff_no", max_length=16, restrict=r"[A-Za-z0-9-]*"))
            yield FieldRow("pin", t("signon.pin_hint"),
                           Input(id="pin", password=True, max_length=8, restrict=r"[0-9]*"))
            yield Static(t("app.opening"), id="signon-status")
            yield Static(t("signon.help"), id="signon-help")
        yield MessageLine()
        yield DeskFooter()

    _submit_pending = False

    def ready(self) -> None:
        self.store_state_changed()

    def store_state_changed(self) -> None:
        status = self.query_one("#signon-status", Static)
        if self.app.store_error:
            status.update(self.app.t("app.store_failed", reason=self.app.store_error))
            status.add_class("-error")
        elif self.app.store.is_open:
            status.update("")
            status.remove_class("-error")
            if self._submit_pending:  # Enter was pressed while the database was opening
                self._submit_pending = False
                self.action_submit()
        else:
            status.update(self.app.t("app.opening"))

    @on(Input.Submitted, "#pin")
    def _pin_entered(self) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        # What was typed before Enter may still be queued at the field: read it once that field
        # has handled it. Keys typed from now on are kept for the next screen.
        focused = self.focused
        if self._typed_ahead is None:
            self._typed_ahead = []
        self.set_focus(None)
        if focused is not None:
            focused.call_later(self._submit_now)
        else:
            self._submit_now()

    def _submit_now(self) -> None:
        if not self.app.store.is_open:
            self._submit_pending = not self.app.store_error
            if self.app.store_error:  # nothing is coming: give the keys back to the form
                self._typed_ahead = None
                self.query_one("#pin", Input).focus()
            return
        clear_errors(self)
        staff_no = self.query_one("#staff_no", Input).value
        pin = self.query_one("#pin", Input).value
        self._sign_on(staff_no, pin)

    @work(thread=True, exclusive=True, exit_on_error=False, group="signon")
    def _sign_on(self, staff_no: str, pin: str) -> None:
        try:
            actor = self.app.session.sign_on(staff_no, pin)
        except DeskError as error:
            self.app.call_from_thread(self._refused, error)
            return
        except Exception as exc:
            kind = classify(exc)
            if kind is None:
                raise
            # A full or lost store is said here, where the operator is looking, not as a crash.
            self.app.call_from_thread(self._store_failed, kind)
            return
        self.app.call_from_thread(self._signed_on, actor)

    def _signed_on(self, actor) -> None:
        keys, self._typed_ahead = self._typed_ahead or [], None
        app = self.app
        if app.session.signed_on(actor) and keys:
            # A sign-on step (the handover, the self-check) came first: keys typed for the form
            # must not answer it unread. Said, and dropped.
            app.say(app.t("signon.typed_ahead_dropped", count=len(keys)), severity="warning")
        elif keys:
            self._replay(app, keys, self.REPLAY_TRIES)

    def _replay(self, app, keys: list[events.Key], tries: int) -> None:
        """Hand the keys typed during the sign-on to the screen that came, once it has a focus."""
        if (app.screen is self or app.screen.focused is None) and tries > 0:
            app.call_after_refresh(self._replay, app, keys, tries - 1)
            return
        for key in keys:
            app.post_message(events.Key(key.key, key.character))

    def _store_failed(self, kind: str) -> None:
        self._typed_ahead = None  # typed for a screen that is not coming
        status = self.query_one("#signon-status", Static)
        status.update(self.app.t(f"store.signon.{kind}"))
        status.add_class("-error")
        pin = self.query_one("#pin", Input)
        pin.value = ""
        pin.focus()
        self.app.store_watch.lost(kind)

    def _refused(self, error: DeskError) -> None:
        self._typed_ahead = None  # typed for a screen that is not coming
        pin = self.query_one("#pin", Input)
        pin.value = ""
        show_desk_error(self, error)
        if error.field in ("pin", None):  # a refusal without a field: back to the PIN
            pin.focus()

