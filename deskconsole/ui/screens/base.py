"""What every console screen shares: it follows a language switch (recomposed when it is
next shown), it can say whether it holds unsaved input, and it names its F1 help text."""

from __future__ import annotations

from textual import events
from textual.screen import Screen


class DeskScreen(Screen):
    HELP: str = ""  # catalog key of this screen's help text
    TITLE_KEY: str = ""  # catalog key of this screen's name

    def __init__(self) -> None:
        super().__init__()
        self._language_epoch = 0

    def on_mount(self) -> None:
        self._language_epoch = self.app.language_epoch

    async def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual restyles every widget of a screen when it is shown again, in case the CSS
        # changed meanwhile; a CSS or theme change already restyles the screen on the way in
        # (App.switch_mode compares css_update_count), and a class change restyles its widget
        # at once, shown or not. So skip it: it was a third of an F-key press (issue 8).
        event.refresh_styles = False
        if self._language_epoch != self.app.language_epoch:
            self._language_epoch = self.app.language_epoch
            await self.recompose()
        self.refresh_view()

    def refresh_view(self) -> None:
        """Reload what the screen shows (called on resume and when the store changed)."""

    def has_unsaved(self) -> bool:
        return False
