"""Every use of Textual's private API, in one place (STYLE §15).

Each function says which Textual internal it leans on and why no public route does the job;
tests/ui/test_textual_compat.py pins each assumption, so a Textual upgrade that moves one
fails there, by name, instead of making the F-keys quietly slow again or the console print
tracebacks. Written against Textual 8.2.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App
from textual.screen import Screen

# The Footer's key widget. Textual exports Footer but not the widget it draws each key with;
# DeskFooter builds the same widgets (same look, same CSS) with translated descriptions.
from textual.widgets._footer import FooterKey  # noqa: F401 - re-exported for widgets/footer.py


def all_screens(app: App) -> list[Screen]:
    """Every screen of every mode, shown or not (App.screen_stack is the current mode's only).

    Needs App._screen_stacks: Textual has no public view of the other modes' stacks."""
    return [screen for stack in app._screen_stacks.values() for screen in stack]


def is_mode_built(app: App, mode: str) -> bool:
    """True once the screen of `mode` exists (shown at least once, or built in advance)."""
    return mode in app._screen_stacks


async def build_mode(app: App, mode: str) -> Screen:
    """Build and mount the screen of `mode` without showing it.

    Needs App._init_mode: the public route (switch_mode) would show it, which is what
    building in advance avoids."""
    await app._init_mode(mode)
    return app._screen_stacks[mode][0]


def bindings_for_key(app: App, key: str):
    """What Textual would run for `key` now, as two (namespace, Binding) or None:
    - the priority binding it runs as soon as it reads the key, looked for from the app down to
      the focus, past a modal (the phone keys work under every screen);
    - the first other binding of it, up from the focus, stopping at a modal screen: the one it
      runs when the key has come back up to the app.
    Both with the keymap applied; keys the focused widget takes as text (an Input's letters)
    bind nothing.

    Needs Screen._binding_chain (built once here: it copies every binding map on the way):
    Textual looks bindings up only when the key has gone through the focused widget's queue,
    which is too late to know which keys must wait for it (ui/key_order.py)."""
    chain = app.screen._binding_chain
    priority = next(((namespace, b) for namespace, bindings in reversed(chain)
                     for b in bindings.key_to_bindings.get(key, ()) if b.priority), None)
    plain = None
    for namespace, bindings in chain:
        plain = next(((namespace, b) for b in bindings.key_to_bindings.get(key, ()) if not b.priority), None)
        if plain is not None or namespace.is_modal:
            break
    return priority, plain


def as_from_terminal(message) -> None:
    """Let `message`, made while the app handles a key, go up to the app as a key from the
    terminal does, and be stopped only by a widget that stops it.

    Needs Message._sender: a message made by the app counts as sent by it, and Textual stops
    such a message at the screen (the app's child) as it hands it on to the app
    (MessagePump._on_message), which would read as "a widget took it" (ui/key_order.py)."""
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


def styled_as_built(screen: Screen) -> None:
    """Call as a screen is made while the app runs: it counts as styled for the CSS of now.

    Its widgets are styled as they mount (App._register applies the stylesheet), and the
    console reads every stylesheet at start (DeskApp.CSS_PATH), so a new screen brings no CSS.
    Textual does not know that: a Screen starts with Screen._css_update_count -1, which differs
    from App._css_update_count once the theme is set, so App._init_mode and App.switch_mode
    call App.refresh_css, which parses the whole stylesheet again (its parse cache is not
    kept), restyles every widget of every screen and lays out the shown one: once for each
    F-key screen built after sign-on, and again for the first one shown. A later change of CSS
    or theme still counts (the app's count moves on). Needs Screen._css_update_count,
    App._css_update_count and textual._context.active_app (a screen made outside a running app
    is left as Textual makes it)."""
    from textual._context import active_app

    app = active_app.get(None)
    if app is not None:
        screen._css_update_count = app._css_update_count


def is_styled_for_current_css(app: App, screen: Screen) -> bool:
    """What style_and_lay_out_unshown achieves: switching to `screen` will not restyle the app."""
    return screen._css_update_count == app._css_update_count


class DrawsPendingRepaints(Screen):
    """A screen that draws, in each frame, the widgets that asked to be repainted and have not
    told it yet (draw_pending_repaints). Needs Screen._compositor_refresh, Textual's frame."""

    def _compositor_refresh(self) -> None:
        draw_pending_repaints(self)
        super()._compositor_refresh()


def draw_pending_repaints(screen: Screen) -> None:
    """Call just before the screen draws a frame: widgets that asked to be repainted and have
    not told the screen yet are drawn in this frame too, not in one of their own.

    A layout tells each scrollable its new size (Widget._size_updated), and a table's scrollbars
    ask for a repaint there; Textual passes that on by message after the layout's frame is
    drawn, so the scrollbars got a frame for themselves, and a frame that follows a long one
    waits up to two frame periods (bench/NOTES.md, "Trailing frames"). Needs Screen._compositor
    (visible_widgets, update_widgets) and Widget._repaint_required, the flag Widget._check_refresh
    turns into that message; cleared here, as Textual clears it when it sends the message; and
    Widget._layout_required."""
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
    stops the app.

    Needs App._fatal_error (what App._handle_exception calls for an error) and App._exception
    (the error it recorded): Textual offers no public hook for an unhandled exception."""
    app._fatal_error = lambda: report(app._exception)  # type: ignore[method-assign]


class TypingWithoutLayout:
    """Mixed into Textual's Input (ui/text.py): a key typed or a field cleared repaints the
    field, and does not lay out the whole screen again.

    Textual's Input._watch_value sets `virtual_size` to the width of the text, and
    `Widget.virtual_size` is a reactive with layout=True: every character typed laid out every
    widget of the screen (15-30 ms on the reception screen, whose form is typed into all day).
    A field of a fixed size needs no layout for it: the horizontal scroll reads `virtual_size`
    directly, and the field draws itself again. A field sized by its text (auto width or
    height) still asks for the layout it needs. Needs Input._watch_value (the private watcher
    that makes the change); tests/ui/test_textual_compat.py pins it."""

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
    drew all of it again (5 queue keys of 7 on the bench); `remove_row` asks for a layout too. A
    table of a fixed size that shows no scrollbar, before or after, needs no layout for it: it
    draws its rows from `virtual_size` and its scroll offset. A table sized by its rows, or one
    whose scrollbars come or go, still gets its layout. Needs Reactive._set to call a watcher
    (watch_virtual_size) just before the refresh the reactive's flags ask for, and
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
        if layout and rows_changed and not self.styles.auto_dimensions and self._no_scrollbars():  # type: ignore[attr-defined]
            layout = False
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)  # type: ignore[misc]

    def _no_scrollbars(self) -> bool:
        """No scrollbar shown now, and none wanted at the new virtual size."""
        width, height = self.container_size  # type: ignore[attr-defined]
        if not (width and height) or self.show_vertical_scrollbar or self.show_horizontal_scrollbar:  # type: ignore[attr-defined]
            return False
        styles = self.styles  # type: ignore[attr-defined]
        virtual_width, virtual_height = self.virtual_size  # type: ignore[attr-defined]
        return not (styles.overflow_y == "scroll" or styles.overflow_x == "scroll"
                    or (styles.overflow_y == "auto" and virtual_height > height)
                    or (styles.overflow_x == "auto" and virtual_width > width))
