"""Every use of Textual's private API, in one place (STYLE §15).

Each function says which Textual internal it leans on and why no public route does the job;
tests/ui/test_textual_compat.py pins each assumption, so a Textual upgrade that moves one fails
there, by name, not as slow F-keys or tracebacks. Written against Textual 8.2.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from time import monotonic as _monotonic

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import App
from textual.reactive import Reactive
from textual.screen import Screen

# The Footer's key widget, which Textual does not export: DeskFooter builds the same ones.
from textual.widgets._footer import FooterKey  # noqa: F401 - re-exported for widgets/footer.py


def all_screens(app: App) -> list[Screen]:
    """Every screen of every mode, shown or not (App.screen_stack is the current mode's only).

    Needs App._screen_stacks: Textual has no public view of the other modes' stacks."""
    return [screen for stack in app._screen_stacks.values() for screen in stack]


def is_mode_built(app: App, mode: str) -> bool:
    """True once the screen of `mode` exists (shown at least once, or built in advance)."""
    return mode in app._screen_stacks


async def build_mode(app: App, mode: str) -> Screen:
    """Build and mount the screen of `mode` without showing it. Needs App._init_mode: the
    public route (switch_mode) would show it, which is what building in advance avoids."""
    await app._init_mode(mode)
    return app._screen_stacks[mode][0]


async def build_installed(app: App, name: str) -> Screen:
    """Mount the installed screen `name` without showing it. Needs App._get_screen."""
    screen, mounted = app._get_screen(name)
    await mounted
    return screen


def bindings_for_key(app: App, key: str):
    """What Textual would run for `key` now, as two (namespace, Binding) or None:
    - the priority binding it runs as soon as it reads the key, looked for from the app down to
      the focus, past a modal (the phone keys work under every screen);
    - the first other binding of it, up from the focus, stopping at a modal screen: the one it
      runs when the key has come back up to the app.
    Both with the keymap applied; keys the focused widget takes as text (an Input's letters)
    bind nothing. Needs Screen._binding_chain (built once here: it copies every binding map
    on the way): Textual looks bindings up only when the key has gone through the focused
    widget's queue, too late to know which keys must wait for it (ui/key_order.py)."""
    chain = app.screen._binding_chain
    priority = next(((namespace, b) for namespace, bindings in reversed(chain)
                     for b in bindings.key_to_bindings.get(key, ()) if b.priority), None)
    plain = None
    for namespace, bindings in chain:
        plain = next(((namespace, b) for b in bindings.key_to_bindings.get(key, ()) if not b.priority), None)
        if plain is not None or namespace.is_modal:
            break
    return priority, plain


def hidden_by_modal(app: App, key: str):
    """The app's own plain binding of `key` (keymap applied) when a modal screen on top hides
    it and binds nothing for the key itself, else None: an F-key pressed under a form."""
    if not app.screen.is_modal:
        return None
    priority, plain = bindings_for_key(app, key)
    if priority is not None or plain is not None:
        return None
    for namespace, bindings in app.screen._binding_chain:
        if namespace is app:
            return next((b for b in bindings.key_to_bindings.get(key, ()) if not b.priority), None)
    return None


def as_from_terminal(message) -> None:
    """Let `message`, made while the app handles a key, go up to the app as a key from the
    terminal does, and be stopped only by a widget that stops it. Needs Message._sender: a
    message made by the app counts as sent by it, and Textual stops such a message at the
    screen (the app's child) as it hands it on to the app (MessagePump._on_message), which
    would read as "a widget took it" (ui/key_order.py)."""
    message._sender = None


def style_and_lay_out_unshown(app: App, screen: Screen) -> None:
    """Style a screen built but not shown yet with the whole stylesheet, mark it up to date,
    and lay it out at the terminal's size, so its first show costs no restyle and no layout.
    Needs Screen._css_update_count (App.switch_mode restyles every screen when it differs from
    App._css_update_count: a theme set after the screen was built makes it differ) and
    Screen._refresh_layout (the only way to lay out a screen that is not current)."""
    app.stylesheet.update(screen, animate=False)
    screen._css_update_count = app._css_update_count
    screen._refresh_layout(app.size)


def draw_unshown(app: App, screen: Screen) -> None:
    """Lay out again (a container that overflows got its scrollbar) and render a screen not
    shown: its widgets keep their lines, and its first show only composes them (a first F5 drew
    every cell, 20-40 ms). Needs Screen._refresh_layout, _compositor.render_full_update."""
    screen._refresh_layout(app.size)
    screen._compositor.render_full_update()


def styled_as_built(screen: Screen) -> None:
    """Call as a screen is made while the app runs: it counts as styled for the CSS of now.

    Its widgets are styled as they mount (App._register applies the stylesheet), and the
    console reads every stylesheet at start (DeskApp.CSS_PATH), so a new screen brings no CSS.
    Textual does not know that: a new Screen's _css_update_count (-1) differs from the App's
    once the theme is set, so App._init_mode and App.switch_mode call App.refresh_css, which
    parses the whole stylesheet again, restyles every widget of every screen and lays out the
    shown one, for each F-key screen built after sign-on. A later change of CSS or theme still
    counts. Needs Screen/App._css_update_count and textual._context.active_app (a screen made
    outside a running app is left as Textual makes it)."""
    from textual._context import active_app

    app = active_app.get(None)
    if app is not None:
        screen._css_update_count = app._css_update_count


def is_styled_for_current_css(app: App, screen: Screen) -> bool:
    """What style_and_lay_out_unshown achieves: switching to `screen` will not restyle the app."""
    return screen._css_update_count == app._css_update_count


class DrawsPendingRepaints(Screen):
    """Every console screen. Four changes to when and what Textual draws:

    - Each frame also draws the widgets that asked to be repainted and have not told the screen
      yet (draw_pending_repaints). Needs Screen._compositor_refresh, Textual's frame.
    - Moving the focus draws the widgets it moves between, not the whole screen: Textual's
      `Screen.focused` is a reactive that repaints the screen when set (every Tab drew every
      widget again, ~15 ms on the reception screen). The focus's look is drawn anyway:
      Screen._update_focus_styles restyles the widgets whose :focus or :focus-within changed.
    - A change is drawn as soon as the screen and every widget shown are done with their
      messages, not at the next tick of Textual's 60 fps frame timer, which held a saved
      check-in or a queue page back by up to a frame period (8 ms on average) after it was
      ready, and after a long frame by up to two (its catch-up lands a period past its grid:
      an opened ticket's history waited 26 ms after its header's frame). Not while a widget
      shown still has messages, styles to refresh or a table's columns to measure (the frame
      would show a state about to change: asked again once that one is done), not sooner than
      _GAP after the last frame (then exactly _GAP after it), so a widget that asks to be drawn
      again at every frame cannot spin the console. Needs Screen._on_idle, _on_timer_update
      (Textual's frame step, also Pilot's), _dirty_widgets and _*_required, App._batch_count,
      Widget._message_queue, _refresh_styles_required, DataTable._require_update_dimensions
      and _updated_cells.
    - Covered by an opaque screen, a change draws nothing: Textual handed the region to the
      top screen to repaint (pushing a screen repainted it whole once more). The console's
      dialogs are opaque too (app.tcss); the command palette lets the screen beneath show.
      Needs Screen._compositor._dirty_regions and _dirty_widgets, cleared as Textual clears them."""

    focused = Reactive(None, repaint=False)
    _drawn_at = 0.0

    def _compositor_refresh(self) -> None:
        if self.app.screen is not self and self.app.screen.styles.background.a == 1:
            self._compositor._dirty_regions.clear()  # hidden: its resume repaints it whole
            self._dirty_widgets.clear()
            return
        draw_pending_repaints(self)
        super()._compositor_refresh()
        self._drawn_at = _monotonic()

    async def _on_idle(self, event) -> None:
        ready = self._ready_to_draw()
        if ready:
            self._on_timer_update()
        elif ready is None and not self._draw_due:  # a frame was just drawn: the next, _GAP after it
            self._draw_due = True
            delay = max(0.0, self._drawn_at + _GAP - _monotonic())
            asyncio.get_running_loop().call_later(delay, self._draw_when_due)
        await super()._on_idle(event)

    _draw_due = False

    def _draw_when_due(self) -> None:
        self._draw_due = False
        if self.is_attached and self._ready_to_draw():
            self._on_timer_update()

    def _ready_to_draw(self) -> bool | None:
        """True: draw now; None: ready, but a frame was drawn less than _GAP ago; False:
        nothing to draw, or not ready yet (asked again once the busy one is done)."""
        if self.app._batch_count or not self.is_current or self._recompose_required:
            return False
        if not (self._dirty_widgets or self._repaint_required or self._layout_required or self._scroll_required):
            return False
        busy = self.app if self.app._message_queue.qsize() else next(
            (w for w in self._compositor.visible_widgets if _still_working(w)), None)
        if busy is not None:  # asked again once it is done, not left to the frame timer
            busy.call_next(self.check_idle)
            return False
        return True if _monotonic() - self._drawn_at >= _GAP else None


def _still_working(widget) -> bool:
    return bool(widget._message_queue.qsize() or widget._refresh_styles_required
                or getattr(widget, "_require_update_dimensions", False) or getattr(widget, "_updated_cells", None))


def draw_pending_repaints(screen: Screen) -> None:
    """Call just before the screen draws a frame: widgets that asked to be repainted and have
    not told the screen yet are drawn in this frame too, not in one of their own.

    A layout tells each scrollable its new size (Widget._size_updated), and a table's
    scrollbars ask for a repaint there; Textual passes that on by message after the layout's
    frame, so the scrollbars got a frame of their own (bench/NOTES.md, "Trailing frames").
    Needs Screen._compositor (visible_widgets, update_widgets), Widget._layout_required and
    _repaint_required, the flag Widget._check_refresh turns into that message (cleared here,
    as Textual clears it)."""
    compositor = screen._compositor
    # Not a widget waiting for a layout too (Textual sends both together: drawn now, it would
    # show its new look at its old size for a frame), nor one hidden since the last layout.
    pending = {widget for widget in compositor.visible_widgets
               if widget._repaint_required and not widget._layout_required and widget.display}
    if pending:
        compositor.update_widgets(pending)
        for widget in pending:
            widget._repaint_required = False


def on_crash(app: App, report: Callable[[BaseException | None], None]) -> None:
    """Call `report(error)` instead of Textual's traceback printout when an unhandled error
    stops the app. Needs App._fatal_error (what App._handle_exception calls for an error) and
    App._exception (the error it recorded): Textual offers no public hook for one."""
    app._fatal_error = lambda: report(app._exception)  # type: ignore[method-assign]


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


_GAP = 0.005  # the least time between two frames drawn once ready (DrawsPendingRepaints)
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
