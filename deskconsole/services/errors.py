"""Domain errors carry a catalog key, its parameters and the form field they belong to, so
the UI shows the message at the place it was typed and the CLI prints it as one line."""

from __future__ import annotations

import re

# Looks like a catalog key (dotted lower-case words); a typed value that merely looks like one
# ("li.na") comes back unchanged, since t() returns an unknown key as it is.
_KEY_LIKE = re.compile(r"^[a-z_]+(\.[a-z0-9_-]+)+$")


class DeskError(Exception):
    def __init__(self, key: str, *, field: str | None = None, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.field = field
        self.params = params

    def message(self, t) -> str:
        """Translated text; a parameter that is itself a catalog key (a field label
        "field.name", an action "tickets.action.cancel") is translated too."""
        return t(self.key, **{k: (t(v) if isinstance(v, str) and _KEY_LIKE.match(v) else v)
                              for k, v in self.params.items()})


class NotAllowed(DeskError):
    """The actor's role does not permit this (the message says why)."""
