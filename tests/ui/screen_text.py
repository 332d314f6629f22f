"""The screen as lines of text, through Textual's public screenshot export: what a
receptionist reads, cell for cell (a CJK character takes two cells)."""

from __future__ import annotations

import html
import re

from rich.cells import cell_len

_TEXT = re.compile(r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" '
                   r'clip-path="url\(#[\w-]+-line-(\d+)\)">([^<]*)</text>')
CELL = 12.2  # the export's width of one cell, in SVG units; the first column starts one cell in


def screen_lines(app) -> list[str]:
    width, height = app.size
    grid = [[" "] * width for _ in range(height)]
    for x, line, content in _TEXT.findall(app.export_screenshot()):
        row, col = int(line), round(float(x) / CELL) - 1
        if row >= height:
            continue
        for ch in html.unescape(content).replace("\xa0", " "):
            if col >= width:
                break
            grid[row][col] = ch
            if cell_len(ch) == 2 and col + 1 < width:
                grid[row][col + 1] = ""
            col += cell_len(ch)
    return ["".join(r) for r in grid]


def screen_text(app) -> str:
    return "\n".join(screen_lines(app))
