"""A table that holds one page of a longer list: only the rows that fit are fetched and
mounted, and a refill updates the rows in place instead of clearing the table.

- `visible_rows()`: how many rows the table shows at its height (the page size);
- `show_rows(rows)`: put these rows (lists of cells) in the table. Rows are keyed by their
  slot ("0", "1", ...), not by what they show, so the next page or another queue reuses the
  same rows: a cell whose value did not change is not touched, and nothing is measured again
  (the columns have fixed widths). Clearing and adding rows made Textual measure every cell
  through Rich, reset the cursor (two highlight events) and lay the screen out again; only
  when fewer than half the rows stay is the table cleared (Textual removes rows one by one).
  A page with another number of rows does not lay the screen out either
  (textual_compat.RowsWithoutLayout);
- the cursor keys at the edge of the page ask for the next or the previous page (`Edge`),
  so Down and Page Down at the last row, Up and Page Up at the first, reach every row of the
  list by keys, as a table holding them all would.
"""

from __future__ import annotations

from rich.text import Text
from textual.message import Message

from deskconsole.ui.text import DataTable, cell
from deskconsole.ui.textual_compat import RowsWithoutLayout


def _same(old, new) -> bool:
    """Whether a cell would look the same (Rich's Text == leaves out the base style)."""
    if isinstance(old, Text) and isinstance(new, Text):
        return old.plain == new.plain and old.style == new.style and old.spans == new.spans
    return type(old) is type(new) and old == new


class PagedTable(RowsWithoutLayout, DataTable):
    class Edge(Message):
        """The cursor was moved past the first (delta -1) or the last (delta 1) row shown."""

        def __init__(self, table: PagedTable, delta: int) -> None:
            super().__init__()
            self.table = table
            self.delta = delta

        @property
        def control(self) -> PagedTable:
            return self.table

    def visible_rows(self, fallback: int) -> int:
        """Rows that fit the table's height, header and horizontal scrollbar left out; before
        the first layout, `fallback`."""
        height = self.scrollable_content_region.height
        if height <= 0:
            return fallback
        return max(1, height - (self.header_height if self.show_header else 0))

    def show_rows(self, rows: list[list], cursor: int | None = None) -> None:
        """Show `rows` (each a list of cells, one per column), reusing the rows already there."""
        columns = list(self.columns)
        have = self.row_count
        if len(rows) * 2 < have:  # mostly gone: one clear is cheaper than a remove_row each
            self.clear()
            have = 0
        for index, cells in enumerate(rows[:have]):
            key = str(index)
            for column, value in zip(columns, cells, strict=False):
                value = cell(value)
                if not _same(self.get_cell(key, column), value):
                    self.update_cell(key, column, value)
        for index in range(have, len(rows)):
            self.add_row(*rows[index], key=str(index))
        for index in range(have - 1, len(rows) - 1, -1):
            self.remove_row(str(index))
        if rows and cursor is not None:
            self.move_cursor(row=max(0, min(cursor, len(rows) - 1)), animate=False)

    # -- the cursor at the edge of the page ------------------------------------------------
    def _at_last(self) -> bool:
        return self.row_count > 0 and self.cursor_row >= self.row_count - 1

    def _move_or_edge(self, delta: int, move) -> None:
        """Past the edge of the page: ask for the next (1) or the previous (-1) page; else move."""
        past = self._at_last() if delta > 0 else (self.row_count and self.cursor_row <= 0)
        if past:
            self.post_message(self.Edge(self, delta))
        else:
            move()

    def action_cursor_down(self) -> None:
        self._move_or_edge(1, super().action_cursor_down)

    def action_cursor_up(self) -> None:
        self._move_or_edge(-1, super().action_cursor_up)

    def action_page_down(self) -> None:
        self._move_or_edge(1, super().action_page_down)

    def action_page_up(self) -> None:
        self._move_or_edge(-1, super().action_page_up)
