"""Yes / no / Esc. Returns True only for yes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from deskconsole.ui.modals.base import DeskModal
from deskconsole.ui.text import Label


class ConfirmModal(DeskModal[bool]):
    DEFAULT_CSS = """
    ConfirmModal { align: center middle; }
    ConfirmModal > Vertical { width: 64; height: auto; border: thick $warning; padding: 1 2; background: $surface; }
    ConfirmModal .keys { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "key.yes", id="confirm.yes"),
        Binding("n", "answer(False)", "key.no", id="confirm.no"),
        Binding("escape", "answer(False)", "key.back", id="confirm.back"),
    ]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical():
            yield Label(self.message, id="confirm-message")
            yield Label(f"y {t('key.yes')}    n / Esc {t('key.no')}", classes="keys")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
