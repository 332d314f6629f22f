"""A checkbox that shows its mark only when ticked. Textual's Checkbox draws its "X" in both
states and tells them apart by colour alone, which a monochrome terminal or a glance at the
desk misreads as ticked."""

from __future__ import annotations

from textual.widgets import Checkbox


class TickBox(Checkbox):
    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802 - the name Textual's ToggleButton reads
        return "X" if self.value else " "
