"""Every use of Textual's private API, in one package (STYLE §15): screens, modes, keys and
styles here; what a screen draws and when in drawing.py; the console's Input and DataTable
in widgets.py.

Each function says which Textual internal it leans on and why no public route does the job;
tests/ui/test_textual_compat.py and tests/ui/test_drawing.py pin each assumption, so a Textual
upgrade that moves one fails there, by name, not as slow F-keys or tracebacks. Written against
Textual 8.2.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App
from textual.screen import Screen

# The Footer's key widget, which Textual does not export: DeskFooter builds the same ones.
from textual.widgets._footer import FooterKey as _FooterKey

from deskconsole.ui.textual_compat.drawing import (  # noqa: F401
    DrawsNoBatchedFrame,
    DrawsPendingRepaints,
    draw_pending_repaints,
)
from deskconsole.ui.textual_compat.palette import PaletteWaitsForItsSearch  # noqa: F401
from deskconsole.ui.textual_compat.widgets import (  # noqa: F401
    CellsDrawnDirectly,
    LaidOutOnce,
    RowsWithoutLayout,
    TypingWithoutLayout,
)


class FooterKey(LaidOutOnce, _FooterKey):
    """The footer's key (widgets/footer.py builds them), laid out once (LaidOutOnce)."""


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


def on_crash(app: App, report: Callable[[BaseException | None], None]) -> None:
    """Call `report(error)` instead of Textual's traceback printout when an unhandled error
    stops the app. Needs App._fatal_error (what App._handle_exception calls for an error) and
    App._exception (the error it recorded): Textual offers no public hook for one."""
    app._fatal_error = lambda: report(app._exception)  # type: ignore[method-assign]
