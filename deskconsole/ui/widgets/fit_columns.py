"""Columns that fit the table's width: a register at 80x24 must not need a sideways scroll
(whatever was typed into its free-text fields). Every column is as wide as its longest cell;
one free-text column takes what the others leave, and only when that is too little are the
others capped too. A cell longer than its column is cut with '..' (ticket_cells.clip, CJK
counted two cells)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len

from deskconsole.ui.widgets.ticket_cells import clip

CAP = 18  # cells: the widest a column other than the free one grows
FREE_MIN = 8
SCROLLBAR = 2  # room kept for the vertical scrollbar


def fit(headers: Sequence[str], rows: Sequence[Sequence[str]], width: int, free: int, padding: int = 1,
        cap: int = CAP) -> tuple[list[int], list[list[str]]]:
    """(width of each column, the rows' cells cut to them) for a table `width` cells wide whose
    cells have `padding` cells of space each side; column `free` takes what the others leave."""
    natural = [cell_len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            natural[i] = max(natural[i], cell_len(" ".join((cell or "").split())))
    pad = 2 * padding * len(natural) + SCROLLBAR

    def free_room(widths: list[int]) -> int:
        return width - pad - sum(w for i, w in enumerate(widths) if i != free)

    widths = list(natural)
    if free_room(widths) < FREE_MIN:  # the others are too wide even for a narrow free column
        widths = [n if i == free else min(n, max(cap, cell_len(headers[i]))) for i, n in enumerate(natural)]
    widths[free] = min(natural[free], max(FREE_MIN, free_room(widths)))
    cut = [[clip(cell, widths[i]) for i, cell in enumerate(row)] for row in rows]
    return widths, cut
