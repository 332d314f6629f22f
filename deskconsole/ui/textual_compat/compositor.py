"""A frame that changes a few widgets draws those widgets (DrawsWhatChanged).

Part of ui/textual_compat/: every use of Textual's private API is in this package (STYLE §15),
each assumption pinned by tests/ui/test_drawing.py."""

from __future__ import annotations

from collections.abc import Iterable

from textual._compositor import Compositor
from textual.geometry import Region
from textual.strip import Strip


class DrawsWhatChanged(Compositor):
    """Textual's compositor, but a partial frame asks for the lines of the widgets that changed
    and of what lies under them, not of every widget in the box around all the changes.

    Textual draws a partial frame (Compositor.render_partial_update) by taking the smallest box
    around every region that changed, asking each widget overlapping that box for all its
    lines, and then writing only the changed regions to the terminal. A saved check-in changes
    the queue (top right) and the message line (bottom): the box is the screen, so every one of
    the reception screen's ~40 widgets was asked for every line, ~10 ms of a frame whose
    terminal output is the queue, its title and one line (bench/NOTES.md, "Drawn where it
    changed"). Here each widget is asked only for the lines where it overlaps a changed region,
    and a widget that overlaps none is not asked: what reaches the terminal is the same (a
    widget that overlaps no changed region has nothing in the regions written, and in a line
    written only the changed columns are written).

    Needs Compositor.render_partial_update, _dirty_regions, _get_renders and its
    (region, clip, strips) contract with _render_chops, and visible_widgets."""

    _changed: list[Region] | None = None  # the regions of the partial frame being drawn

    def render_partial_update(self):
        self._changed = list(self._dirty_regions)
        try:
            return super().render_partial_update()
        finally:
            self._changed = None

    def _get_renders(self, crop: Region | None = None) -> Iterable[tuple[Region, Region, list[Strip]]]:
        changed = self._changed
        if not changed or crop is None:
            yield from super()._get_renders(crop)
            return
        for widget, (region, clip) in self.visible_widgets.items():
            shown = region.intersection(clip)
            parts = [part for part in (shown.intersection(c) for c in changed) if part]
            if not parts:
                continue
            # The lines of this widget in the changed regions, as a clip: _render_chops zips the
            # lines of region ∩ clip with the strips returned.
            top = min(part.y for part in parts)
            bottom = max(part.bottom for part in parts)
            lines = shown.intersection(Region(shown.x, top, shown.width, bottom - top))
            x, y, width, height = lines
            yield region, lines, widget.render_lines(Region(x - region.x, y - region.y, width, height))
