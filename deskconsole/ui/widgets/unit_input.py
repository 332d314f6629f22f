"""A unit/host field that completes from the directory as you type (Right or End accepts the
suggestion, as in any Textual Input). Free text is still allowed."""

from __future__ import annotations

from textual.suggester import Suggester

from deskconsole.ui.widgets.form import FormInput


class DirectorySuggester(Suggester):
    def __init__(self, store) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.store = store

    async def get_suggestion(self, value: str) -> str | None:
        if not value.strip() or not self.store.is_open:
            return None
        from deskconsole.services.directory import suggest

        with self.store.read() as s:
            hits = suggest(s, value, limit=1)
        if not hits:
            return None
        hit = hits[0]
        return hit.unit if hit.unit.startswith(value) else hit.name


class UnitInput(FormInput):
    def __init__(self, store, **kw) -> None:
        super().__init__(suggester=DirectorySuggester(store), **kw)
