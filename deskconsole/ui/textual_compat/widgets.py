"""Textual's Input and DataTable without their layouts and Rich's pipeline for a cell; labels
laid out once.

Part of ui/textual_compat/: every use of Textual's private API is in this package (STYLE §15),
each assumption pinned by tests/ui/test_textual_compat.py or tests/ui/test_drawing.py."""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text


class TypingWithoutLayout:
    """Mixed into Textual's Input (ui/text.py): a key typed or a field cleared repaints the
    field, and does not lay out the whole screen again.

    Textual's Input._watch_value sets `virtual_size` (a reactive with layout=True) to the width
    of the text: every character typed laid out the whole screen (15-30 ms on reception). A
    field of a fixed size needs no layout for it: the horizontal scroll reads `virtual_size`
    directly. A field sized by its text (auto width or height) still asks for the layout it
    needs. Needs Input._watch_value (the private watcher that makes the change)."""

    _typing = False

    def _watch_value(self, value: str) -> None:
        was, self._typing = self._typing, True
        try:
            super()._watch_value(value)  # type: ignore[misc]
        finally:
            self._typing = was

    def refresh(self, *regions, repaint: bool = True, layout: bool = False, recompose: bool = False):
        if layout and self._typing and not self.styles.auto_dimensions:  # type: ignore[attr-defined]
            layout = False
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)  # type: ignore[misc]


class LaidOutOnce:
    """Mixed into the console's Static and Label and the footer's keys: the size a layout
    gives the widget asks for no second layout.

    Textual's layout tells each widget its new size (Widget._size_updated), and a widget
    whose size changed sets `virtual_size`, a reactive with layout=True: every layout that
    resized a label or a footer key was followed by a second layout of the whole screen and a
    frame of its own, 5 ms after the first (an opened ticket: its header's new height, the
    footer's keys for the ticket's state). A widget with no children and no scrollbars has
    nothing that second layout would arrange: the first one sized it from its content. Needs
    Widget._size_updated and its `layout` argument."""

    def _size_updated(self, size, virtual_size, container_size, layout: bool = True) -> bool:
        layout = layout and (self.is_scrollable or bool(self._nodes))  # type: ignore[attr-defined]
        return super()._size_updated(size, virtual_size, container_size, layout=layout)  # type: ignore[misc]


class RowsWithoutLayout:
    """Mixed into the tables whose rows change in place (PagedTable, the reception lists): rows
    added or removed repaint the table, and do not lay out the whole screen again.

    Textual's DataTable sets `virtual_size` (a reactive with layout=True) when its rows change,
    so a queue page with another number of rows laid out every widget of the tickets screen and
    drew all of it again (5 queue keys of 7 on the bench; every check-in once the reception
    queue scrolled); `remove_row` asks for a layout too. A table of a fixed size needs no
    layout for it: it draws its rows from `virtual_size` and its scroll offset, and its own
    scrollbars are brought up to date here as a layout would (Widget._scroll_update); a
    scrollbar that comes or goes asks for its layout itself (show_*_scrollbar are layout
    reactives). A table sized by its rows still gets its layout. Needs Reactive._set to call
    a watcher (watch_virtual_size) just before the refresh the reactive's flags ask for, and
    DataTable.remove_row to ask for its layout within the call; tests/ui/test_textual_compat.py
    pins both."""

    _virtual_size_changed = False  # until the refresh that follows
    _removing = False

    def watch_virtual_size(self, _old, _new) -> None:
        self._virtual_size_changed = True

    def remove_row(self, row_key) -> None:
        was, self._removing = self._removing, True
        try:
            super().remove_row(row_key)  # type: ignore[misc]
        finally:
            self._removing = was

    def refresh(self, *regions, repaint: bool = True, layout: bool = False, recompose: bool = False):
        rows_changed = self._virtual_size_changed or self._removing
        self._virtual_size_changed = False
        if layout and rows_changed and not self.styles.auto_dimensions and all(self.container_size):  # type: ignore[attr-defined]
            layout = False
            self._scroll_update(self.virtual_size)  # type: ignore[attr-defined]
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)  # type: ignore[misc]


_AS_LINES = Text("\n")  # Text.__rich_console__ joins a cell's wrapped lines with it
_NULL = Style.null()


class CellsDrawnDirectly:
    """Mixed into the console's DataTable (ui/text.py): a one-line cell whose text fits its
    column is drawn from its segments directly, not through Rich's render pipeline.

    DataTable._render_cell hands each cell to Rich as Styled(Padding(text)) and renders that
    into lines: measuring, wrapping, justifying, padding and cropping in generators, ~0.15 ms a
    cell, so a queue page of 23 rows x 10 columns took ~35 ms to draw, most of a key's time
    (bench/NOTES.md, "Cells drawn directly"). For a `Text` cell of one line that fits, none of
    that changes anything, and the segments are built here as the pipeline would build them:
    the padding and the fill unstyled, the text as Text.__rich_console__ renders it (its base
    style made a span, as Text.join does), then the cell's style before and the cursor's after
    (Segment.apply_style). Anything else (the header, a row label, a fixed row or column, a
    taller row, a line break or tab, a text too wide, a justified one) goes through Textual.
    Needs DataTable._render_cell, its cache key and caches, _get_row_renderables,
    _get_styles_to_render_cell, _row_locations, _column_locations, _update_count,
    _show_hover_cursor and _pseudo_class_state; tests/ui/test_textual_compat.py checks the
    segments against Textual's own for many cells (wide characters, spans, cursor, hover)."""

    def _render_cell(self, row_index: int, column_index: int, base_style, width: int,
                     cursor: bool = False, hover: bool = False):
        lines = None
        if row_index >= 0 and column_index >= 0:
            lines = self._direct_cell(row_index, column_index, base_style, width, cursor, hover)
        if lines is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)  # type: ignore[misc]
        return lines

    def _update_dimensions(self, new_rows) -> None:
        """Textual measures new rows' cells when the table is idle, and a wider column keeps
        the lines drawn before it at the old width (the render caches are keyed by the update
        count, which measuring does not move): a width that changed clears them."""
        table = self  # a DataTable
        before = [column.content_width for column in table.columns.values()]  # type: ignore[attr-defined]
        label = table._label_column.content_width  # type: ignore[attr-defined]
        super()._update_dimensions(new_rows)  # type: ignore[misc]
        if (before != [column.content_width for column in table.columns.values()]  # type: ignore[attr-defined]
                or label != table._label_column.content_width):  # type: ignore[attr-defined]
            table._row_render_cache.clear()  # type: ignore[attr-defined]
            table._cell_render_cache.clear()  # type: ignore[attr-defined]
            table._line_cache.clear()  # type: ignore[attr-defined]
            table.refresh()  # type: ignore[attr-defined]

    def _direct_cell(self, row_index, column_index, base_style, width, cursor, hover):
        table = self  # a DataTable
        if row_index < table.fixed_rows or column_index < table.fixed_columns:  # type: ignore[attr-defined]
            return None
        row_key = table._row_locations.get_key(row_index)  # type: ignore[attr-defined]
        column_key = table._column_locations.get_key(column_index)  # type: ignore[attr-defined]
        key = (row_key, column_key, base_style, cursor, hover, table._show_hover_cursor,  # type: ignore[attr-defined]
               table._update_count, table._pseudo_class_state)  # type: ignore[attr-defined]
        cache = table._cell_render_cache  # type: ignore[attr-defined]
        if key in cache:
            return cache[key]
        row = table.rows.get(row_key)  # type: ignore[attr-defined]
        if row is None or row.height != 1:
            return None
        value = table._get_row_renderables(row_index).cells[column_index]  # type: ignore[attr-defined]
        pad = table.cell_padding  # type: ignore[attr-defined]
        inner = width - 2 * pad
        if not isinstance(value, Text) or value.justify not in (None, "default") or inner < 0:
            return None
        plain = value.plain
        if "\n" in plain or "\t" in plain:
            return None
        used = cell_len(plain)
        if used > inner:
            return None
        component, post = table._get_styles_to_render_cell(  # type: ignore[attr-defined]
            False, False, False, hover, cursor, table.show_cursor, table._show_hover_cursor,  # type: ignore[attr-defined]
            table.cursor_foreground_priority == "css", table.cursor_background_priority == "css")  # type: ignore[attr-defined]
        pre = base_style + Style.from_meta({"row": row_index, "column": column_index}) + component
        if post:
            blank = pre + post
            add = lambda style: pre + style + post  # noqa: E731
        else:
            blank = pre
            add = pre.__add__
        console = table.app.console  # type: ignore[attr-defined]
        line = [Segment(" " * pad, blank)] if pad else []
        if value._spans:
            line.extend(Segment(part.text, add(part.style)) for part in _AS_LINES.join((value,)).render(console))
        elif value.style:
            line.append(Segment(plain, add(console.get_style(value.style, default=_NULL))))
        else:
            line.append(Segment(plain, blank))
        if inner > used:
            line.append(Segment(" " * (inner - used), blank))
        if pad:
            line.append(Segment(" " * pad, blank))
        cache[key] = lines = [line]
        return lines
