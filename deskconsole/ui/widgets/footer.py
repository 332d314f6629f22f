"""The Footer, translated: Binding descriptions are catalog keys (STYLE §3) so the language
can change at run time; this Footer shows them in the current language."""

from __future__ import annotations

from textual.widgets import Footer
from textual.widgets._footer import FooterKey

# Descriptions Textual itself gives to bindings it adds.
_TEXTUAL_KEYS = {"palette": "key.palette"}


class DeskFooter(Footer):
    def compose(self):
        t = self.app.t
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.description:
                widget.description = t(_TEXTUAL_KEYS.get(widget.description, widget.description))
            yield widget
