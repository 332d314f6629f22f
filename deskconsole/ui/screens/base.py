"""What every console screen shares: it follows a language switch (recomposed when it is
next shown), it can say whether it holds unsaved input, and it names its F1 help text."""

from __future__ import annotations

from textual.screen import Screen


class DeskScreen(Screen):
    HELP: str = ""  # catalog key of this screen's help text
    TITLE_KEY: str = ""  # catalog key of this screen's name

    def __init__(self) -> None:
        super().__init__()
        self._language_epoch = 0

    def on_mount(self) -> None:
        self._language_epoch = self.app.language_epoch

    async def on_screen_resume(self) -> None:
        if self._language_epoch != self.app.language_epoch:
            self._language_epoch = self.app.language_epoch
            await self.recompose()
        self.refresh_view()

    def refresh_view(self) -> None:
        """Reload what the screen shows (called on resume and when the store changed)."""

    def has_unsaved(self) -> bool:
        return False
