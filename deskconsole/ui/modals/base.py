"""The console's dialogs and forms over a screen: Textual's ModalScreen, drawn the way the
console's screens are (textual_compat.DrawsPendingRepaints). A key typed into a form, a field
cleared, a refusal said under a field are drawn as soon as the dialog is done with them, not at
the next tick of Textual's 60 fps frame timer (up to 16 ms later, 8 on average, on every key)."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

from deskconsole.ui.textual_compat import DrawsPendingRepaints

ResultType = TypeVar("ResultType")


class DeskModal(DrawsPendingRepaints, ModalScreen[ResultType]):
    """Every dialog of the console: `class CallFormModal(DeskModal[int | None])`."""
