"""User text is data, never markup (STYLE §14): the one way text reaches the screen.

A visitor may be called `a[/b]` or `[link=x]`; Textual reads a plain `str` given to a Static,
a Label, a DataTable cell, a Rich table cell or a notification as markup, and a stray `[/]`
stops the console. So every screen imports its text widgets from here:

- `Static`, `Label`: Textual's, with markup off, also for later `update(...)` calls;
- `DataTable`: Textual's, whose cells (added or updated) are always `Text`, never markup, and
  drawn without Rich's render pipeline where it changes nothing;
- `Input`: Textual's, typed into without a layout of the whole screen at every key
  (ui/textual_compat/ `TypingWithoutLayout`);
- `cell(value)` / `row(*values)`: a `Text` for a Rich table or any cell;
- `plain(value)`: a `Content` holding the text as it is.

On the way, terminal escapes, control characters and bidi overrides are dropped (the same
rule as on the way into the store, services/text.py): a row read with a plain SQL query, or
written by an older version, cannot drive the terminal either.

Catalog templates are plain text too, so a translated line with a visitor's name in it is
shown as it reads. Styling is done with `Text` / `Content` spans or CSS, never markup.
"""

from __future__ import annotations

import re
from typing import Any

from rich.text import Text
from textual.content import Content
from textual.widgets import DataTable as _DataTable
from textual.widgets import Input as _Input
from textual.widgets import Label as _Label
from textual.widgets import Static as _Static

from deskconsole.services.text import strip_controls
from deskconsole.ui.textual_compat import CellsDrawnDirectly, LaidOutOnce, TypingWithoutLayout

_RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def safe(value: str) -> str:
    """`value` without escapes or control characters (line breaks and tabs kept)."""
    return strip_controls(value, multiline=True) if _RAW.search(value) else value


def plain(value: object) -> Content:
    """`value` as it is, as Content: a str is never read as markup."""
    if isinstance(value, Content):
        return value if not _RAW.search(value.plain) else Content(safe(value.plain))
    if isinstance(value, Text):
        return Content.from_rich_text(cell(value))
    return Content(safe("" if value is None else str(value)))


def cell(value: object) -> Text | Any:
    """A table cell: text as Rich `Text` (never markup); renderables pass through."""
    if isinstance(value, Text):
        if not _RAW.search(value.plain):
            return value
        return Text(safe(value.plain), style=value.style, no_wrap=value.no_wrap, overflow=value.overflow)
    if isinstance(value, Content):
        return Text(safe(value.plain))
    if value is None:
        return Text("")
    if isinstance(value, str | int):
        return Text(safe(str(value)))
    if isinstance(value, float):
        return Text(f"{value:.2f}")
    return value


def row(*values: object) -> list:
    return [cell(v) for v in values]


def _visual(content: Any) -> Any:
    if isinstance(content, Text):  # keeps its wrapping and overflow settings
        return cell(content)
    return plain(content) if isinstance(content, str | Content) else content


class Static(LaidOutOnce, _Static):
    """Textual's Static with markup off: what it shows is what it was given (and the size a
    layout gives it asks for no second layout: textual_compat.LaidOutOnce)."""

    def __init__(self, content: Any = "", *, markup: bool = False, **kwargs: Any) -> None:
        super().__init__(_visual(content), markup=markup, **kwargs)

    def update(self, content: Any = "", *, layout: bool = True) -> None:
        super().update(_visual(content), layout=layout)


class Label(LaidOutOnce, _Label):
    """Textual's Label with markup off (laid out once, as Static)."""

    def __init__(self, content: Any = "", *, markup: bool = False, **kwargs: Any) -> None:
        super().__init__(_visual(content), markup=markup, **kwargs)

    def update(self, content: Any = "", *, layout: bool = True) -> None:
        super().update(_visual(content), layout=layout)


class DataTable(CellsDrawnDirectly, _DataTable):
    """Textual's DataTable whose str cells are text, not markup; a cell of one line that fits
    is drawn without Rich's render pipeline (textual_compat.CellsDrawnDirectly)."""

    def add_row(self, *cells: Any, **kwargs: Any):
        if kwargs.get("label") is not None:
            kwargs["label"] = cell(kwargs["label"])
        return super().add_row(*row(*cells), **kwargs)

    def update_cell(self, row_key, column_key, value, *, update_width: bool = False) -> None:
        super().update_cell(row_key, column_key, cell(value), update_width=update_width)

    def update_cell_at(self, coordinate, value, *, update_width: bool = False) -> None:
        super().update_cell_at(coordinate, cell(value), update_width=update_width)

    def add_column(self, label: Any, **kwargs: Any):
        return super().add_column(cell(label), **kwargs)


class Input(TypingWithoutLayout, _Input):
    """Textual's Input; a key typed repaints the field only (ui/textual_compat/)."""
