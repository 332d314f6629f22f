"""What a terminal shows: every update the app sends (App._display) applied to a grid of cells,
as a terminal applies what it is written; and the screen rendered whole, to compare with.
A change the console skipped drawing and never drew again shows as a difference."""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import ControlType


class Terminal:
    def __init__(self, app) -> None:
        self.app = app
        self.width, self.height = app.size
        self.grid = self._blank()
        display = app._display

        def written(screen, update) -> None:
            if update is not None:
                self._apply(self.grid, update)
            display(screen, update)

        app._display = written

    def _blank(self) -> list[list[tuple[str, str]]]:
        return [[(" ", "")] * self.width for _ in range(self.height)]

    def _apply(self, grid, update) -> None:
        x = y = 0
        for segment in self.app.console.render(update):
            if segment.control:
                for control in segment.control:
                    if control[0] == ControlType.CURSOR_MOVE_TO:
                        x, y = control[1], control[2]
                continue
            style = "" if segment.style is None else str(segment.style.clear_meta_and_links())
            for ch in segment.text:
                if ch == "\n":
                    x, y = 0, y + 1
                    continue
                if 0 <= y < self.height and 0 <= x < self.width:
                    grid[y][x] = (ch, style)
                    if cell_len(ch) == 2 and x + 1 < self.width:
                        grid[y][x + 1] = ("", style)
                x += cell_len(ch)

    def whole(self) -> list[list[tuple[str, str]]]:
        """The screen (and what shows through it) rendered whole, now."""
        app, grid = self.app, self._blank()
        for screen in (app.screen, *app._background_screens):
            screen._set_dirty()
        self._apply(grid, app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
        return grid

    def stale_lines(self) -> list[tuple[str, str]]:
        """(shown, should show) for each line the terminal shows differently from the screen."""
        whole = self.whole()
        return [("".join(c for c, _ in self.grid[y]), "".join(c for c, _ in whole[y]))
                for y in range(self.height) if self.grid[y] != whole[y]]
