"""What the console says about itself: F1 help generated from the active keys, the command
palette (screens, language, lock, help, quit) and the run-time language switch."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import SystemCommand
from textual.screen import Screen

from deskconsole.i18n import LANG_DIRS


class HelpAndPalette:
    """Mixed into DeskApp (needs self.t, self.screen, self.actor, self.mode_specs ...)."""

    def action_help(self) -> None:
        from deskconsole.ui.modals.help import HelpModal

        screen = self.screen
        if isinstance(screen, HelpModal):
            screen.dismiss(None)
            return
        rows = []
        for node, binding, enabled, _tip in screen.active_bindings.values():
            # Only the console's own keys (catalog descriptions); widgets' built-in cursor keys
            # are the usual ones and would show untranslated.
            if not enabled or binding.action == "help" or not self.t.has(binding.description or ""):
                continue
            rows.append((self.get_key_display(binding), self.t(binding.description), node is self))
        help_key = getattr(screen, "HELP", "")
        title_key = getattr(screen, "TITLE_KEY", "") or "app.title"
        self.push_screen(HelpModal(self.t(title_key), self.t(help_key) if help_key else "", rows))

    # -- language ----------------------------------------------------------------------
    def set_language(self, language: str) -> None:
        self.t.set_language(language)
        self.language_epoch += 1
        self.notify(self.t("app.language_set", lang=self.t(f"lang.{language}")))
        screen = self.screen
        if hasattr(screen, "_language_epoch"):
            screen._language_epoch = self.language_epoch
        self.call_later(screen.recompose)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        t = self.t
        if self.actor is not None and not self.locked:
            for spec in self.mode_specs:
                yield SystemCommand(t(f"mode.{spec.name}"), t("palette.mode_help"),
                                    lambda name=spec.name: self.action_go(name))
            yield SystemCommand(t("palette.lock"), t("palette.lock_help"), self.action_lock)
        for lang in LANG_DIRS:
            if lang != t.language:
                yield SystemCommand(t("palette.language", lang=t(f"lang.{lang}")), t("palette.language_help"),
                                    lambda lang=lang: self.set_language(lang))
        yield SystemCommand(t("palette.help"), t("palette.help_help"), self.action_help)
        yield SystemCommand(t("palette.quit"), t("palette.quit_help"), self.action_request_quit)

