"""What every console screen shares: it follows a language switch (recomposed when it is
next shown), it reloads when shown again if the store changed, it can say whether it holds
unsaved input, and it names its F1 help text."""

from __future__ import annotations

import functools

from textual import events

from deskconsole.ui import store_work, textual_compat
from deskconsole.ui.textual_compat import DrawsPendingRepaints

# A screen shown again reloads what it shows unless nothing was written to the store since it
# last did and that was less than this long ago (waits and due times move with the clock; the
# header's 2-second poll reloads the shown screen when another terminal writes). Reloading
# was half of an F-key press on five years of data.
RELOAD_AFTER_S = 30.0


class DeskScreen(DrawsPendingRepaints):
    # Each frame draws what was asked to repaint meanwhile: a layout's scrollbars are not left
    # for a frame of their own (textual_compat.draw_pending_repaints).
    HELP: str = ""  # catalog key of this screen's help text
    TITLE_KEY: str = ""  # catalog key of this screen's name

    def __init__(self) -> None:
        super().__init__()
        textual_compat.styled_as_built(self)  # no restyle of the whole app when first shown
        self._language = ""
        self._shown_token: int | str | None = None
        self._shown_at = 0.0

    def on_mount(self) -> None:
        # Once: Textual calls this class's handler too after a subclass's that called it.
        if self._language != self.app.language:
            self._language = self.app.language
            self.prepare_widgets()

    def prepare_widgets(self) -> None:
        """What compose cannot do (a table's columns, the focus): at mount, and again when the
        screen is rebuilt in another language, whose new tables had no columns (their rows
        were not shown, and the ticket view's first line stopped the console)."""

    async def recompose_in_language(self) -> None:
        """Rebuild the screen in the console's language (DeskApp.language changed), and load
        what it shows again."""
        self._language = self.app.language
        await self.recompose()
        self.prepare_widgets()
        self.forget_shown()
        if self.is_current:
            self.refresh_view()

    async def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual restyles every widget of a screen when it is shown again, in case the CSS
        # changed meanwhile; a CSS or theme change already restyles the screen on the way in
        # (App.switch_mode compares css_update_count), and a class change restyles its widget
        # at once, shown or not. So skip it: it was a third of an F-key press. This handler
        # runs before Screen's own, which reads the flag (tests/ui/test_textual_compat.py).
        event.refresh_styles = False
        if self._language != self.app.language:
            await self.recompose_in_language()
        token = self.app.store.change_token() if self.app.store.is_open else None
        now = self.app.clock.monotonic()
        if token is None or token != self._shown_token or now - self._shown_at >= RELOAD_AFTER_S:
            self.refresh_view()

    def __init_subclass__(cls, **kwargs) -> None:
        """Every screen's `refresh_view` notes the store's change token it loads at (read
        before the load: what it shows is at least that new). The showing that follows the
        mount, and the store poll after this console's own save, then see the token already
        loaded and do not load the same again (they did: every first showing, every ticket
        opened and every save loaded its screen twice)."""
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("refresh_view")
        if own is not None and not getattr(own, "notes_token", False):
            @functools.wraps(own)
            def refresh_view(self, *args, **kw):
                self.note_loading()
                return own(self, *args, **kw)

            refresh_view.notes_token = True
            cls.refresh_view = refresh_view

    def note_loading(self) -> None:
        store = self.app.store
        self._shown_token = store.change_token() if store.is_open else None
        self._shown_at = self.app.clock.monotonic()

    def has_loaded(self, token) -> bool:
        """Whether what the screen shows was loaded at `token` (or later)."""
        return token is not None and token == self._shown_token

    def forget_shown(self) -> None:
        """Make the next showing reload (the screen was pointed at something else)."""
        self._shown_token = None

    def refresh_view(self) -> None:
        """Reload what the screen shows (called on resume and when the store changed)."""

    def _save_in_flight(self) -> int | None:
        return store_work.asked_on(self)

    def has_unsaved(self) -> bool:
        return False
