"""Updating a Static or Label only when what it shows changes. `Static.update` asks for a new
layout of the whole screen even when the text is the same, and a screen refresh that changed
nothing then cost a layout (~20 ms on the reception screen, every second). A widget whose size
does not follow its text (a one-line heading as wide as its column) is updated with no layout
at all (`layout=False`)."""

from __future__ import annotations

from deskconsole.ui.text import Static


def update_if_changed(widget: Static, content, *, layout: bool = True) -> None:
    if widget.content != content:
        widget.update(content, layout=layout)
