"""Domain errors carry a catalog key, its parameters and the form field they belong to, so
the UI shows the message at the place it was typed and the CLI prints it as one line."""

from __future__ import annotations


class DeskError(Exception):
    def __init__(self, key: str, *, field: str | None = None, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.field = field
        self.params = params

    def message(self, t) -> str:
        """Translated text, with a translated field label when the key names one."""
        return t(self.key, **{k: (t(v) if isinstance(v, str) and v.startswith("field.") else v)
                              for k, v in self.params.items()})


class NotAllowed(DeskError):
    """The actor's role does not permit this (the message says why)."""
