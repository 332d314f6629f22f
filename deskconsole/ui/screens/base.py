"""What every console screen shares: it follows a language switch (recomposed when it is
next shown), it reloads when shown again if the store changed, it can say whether it holds
unsaved input, and it names its F1 help text."""

from __future__ import annotations

from textual import events
from textual.screen import Screen

# A screen shown again reloads what it shows unless nothing was written to the store since it
# last did and that was less than this long ago (waits and due times move with the clock; the
# header's 2-second poll reloads the shown screen when another terminal writes). Reloading
# was half of an F-key press on five years of data.
RELOAD_AFTER_S = 30.0


class DeskScreen(Screen):
    HELP: str = ""  # catalog key of this screen's help text
    TITLE_KEY: str = ""  # catalog key of this screen's name

    def __init__(self) -> None:
        super().__init__()
        self._language = ""
        self._shown_token: int | str | None = None
        self._shown_at = 0.0

    def on_mount(self) -> None:
        self._language = self.app.language

    async def recompose_in_language(self) -> None:
        """Rebuild the screen in the console's language (DeskApp.language changed)."""
        self._language = self.app.language
        await self.recompose()

    async def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual restyles every widget of a screen when it is shown again, in case the CSS
        # changed meanwhile; a CSS or theme change already restyles the screen on the way in
        # (App.switch_mode compares css_update_count), and a class change restyles its widget
        # at once, shown or not. So skip it: it was a third of an F-key press. This handler
        # runs before Screen's own, which reads the flag (tests/ui/test_textual_compat.py).
        event.refresh_styles = False
        if self._language != self.app.language:
            await self.recompose_in_language()
            self.forget_shown()
        token = self.app.store.change_token() if self.app.store.is_open else None
        now = self.app.clock.monotonic()
        if token is None or token != self._shown_token or now - self._shown_at >= RELOAD_AFTER_S:
            self.refresh_view()
            self._shown_token, self._shown_at = token, now

    def show_fresh(self) -> None:
        """Load what the screen shows now (from on_mount) and note it, so that the showing that
        follows the mount does not load it a second time (it did: every screen's first showing,
        and every ticket opened, ran its queries twice)."""
        self.refresh_view()
        if self.app.store.is_open:
            self._shown_token, self._shown_at = self.app.store.change_token(), self.app.clock.monotonic()

    def forget_shown(self) -> None:
        """Make the next showing reload (the screen was pointed at something else)."""
        self._shown_token = None

    def refresh_view(self) -> None:
        """Reload what the screen shows (called on resume and when the store changed)."""

    def has_unsaved(self) -> bool:
        return False
