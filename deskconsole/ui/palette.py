"""What the console says about itself: F1 help generated from the active keys, and the command
palette (screens, language, lock, help, quit)."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import SystemCommand
from textual.screen import Screen

from deskconsole.i18n import LANG_DIRS


def toggle_help(app) -> None:
    """F1: help for the current screen, or close it if it is showing."""
    from deskconsole.ui.modals.help import HelpModal

    screen = app.screen
    if isinstance(screen, HelpModal):
        screen.dismiss(None)
        return
    t = app.t
    rows = []
    for node, binding, enabled, _tip in screen.active_bindings.values():
        # Only the console's own keys (catalog descriptions); widgets' built-in cursor keys
        # are the usual ones and would show untranslated.
        if not enabled or binding.action == "help" or not t.has(binding.description or ""):
            continue
        rows.append((app.get_key_display(binding), t(binding.description), node is app))
    help_key = getattr(screen, "HELP", "")
    title_key = getattr(screen, "TITLE_KEY", "") or "app.title"
    app.push_screen(HelpModal(t(title_key), t(help_key) if help_key else "", rows))


def system_commands(app, screen: Screen) -> Iterable[SystemCommand]:
    """Ctrl+P: the screens and the lock once signed on, the other languages, help and quit."""
    t = app.t
    if app.actor is not None and not app.locked:
        for spec in app.mode_specs:
            yield SystemCommand(t(f"mode.{spec.name}"), t("palette.mode_help"),
                                lambda name=spec.name: app.action_go(name))
        yield SystemCommand(t("palette.lock"), t("palette.lock_help"), app.action_lock)
    for lang in LANG_DIRS:
        if lang != t.language:
            yield SystemCommand(t("palette.language", lang=t(f"lang.{lang}")), t("palette.language_help"),
                                lambda lang=lang: setattr(app, "language", lang))
    yield SystemCommand(t("palette.help"), t("palette.help_help"), app.action_help)
    yield SystemCommand(t("palette.quit"), t("palette.quit_help"), app.action_request_quit)
