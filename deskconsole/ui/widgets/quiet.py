"""Updating a Static or Label only when what it shows changes. `Static.update` asks for a new
layout of the whole screen even when the text is the same, and a screen refresh that changed
nothing then cost a layout (~20 ms on the reception screen, every second)."""

from __future__ import annotations

from deskconsole.ui.text import Static


def update_if_changed(widget: Static, content) -> None:
    if widget.content != content:
        widget.update(content)
