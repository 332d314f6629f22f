"""The Footer, translated: Binding descriptions are catalog keys (STYLE §3) so the language
can change at run time; this Footer shows them in the current language.

Textual's Footer recomposes (unmounts and mounts a widget per key) every time the screen's
bindings are refreshed: on every screen switch and focus change. That was most of the cost of
an F-key press (issue 8, bench/NOTES.md). This one recomposes only when what it shows changed:
the keys, their descriptions, which are enabled, or the language."""

from __future__ import annotations

from textual.css.query import NoMatches
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

# Descriptions Textual itself gives to bindings it adds.
_TEXTUAL_KEYS = {"palette": "key.palette"}


class DeskFooter(Footer):
    _shown: tuple | None = None
    _check_queued = False

    def _what_it_shows(self) -> tuple:
        keys = tuple((binding.key, binding.action, binding.description, enabled, tooltip)
                     for (_node, binding, enabled, tooltip) in self.screen.active_bindings.values()
                     if binding.show)
        return keys, getattr(self.app, "language_epoch", 0), self.compact, self.show_command_palette

    def bindings_changed(self, screen) -> None:
        # Textual's Footer queues a recompose for every call; here the calls of one refresh
        # share one check, and the footer is rebuilt only if what it shows changed.
        self._bindings_ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen and not self._check_queued:
            self._check_queued = True
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        self._check_queued = False
        try:
            changed = self.is_attached and self._what_it_shows() != self._shown
        except NoMatches:  # the screen is being rebuilt (language switch): a new footer comes
            return
        if changed:
            await self.recompose()

    def compose(self):
        self._shown = self._what_it_shows() if self._bindings_ready and self.is_attached else None
        t = self.app.t
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.description:
                widget.description = t(_TEXTUAL_KEYS.get(widget.description, widget.description))
            yield widget
