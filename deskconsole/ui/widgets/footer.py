"""The Footer, translated: Binding descriptions are catalog keys (STYLE §3) so the language
can change at run time; this Footer shows them in the current language.

Textual's Footer recomposes (unmounts and mounts a widget per key) every time the screen's
bindings are refreshed: on every screen switch and focus change. That was most of the cost of
an F-key press (bench/NOTES.md). This one listens to the same public signal (the screen's
`bindings_updated_signal`, subscribed by Footer.on_mount), builds its keys from the screen's
`active_bindings`, and recomposes only when what it shows changed: the keys, their
descriptions, which are enabled, or the language.

Keys are shown whole, in the order they are bound, as many as fit the width (measured in
cells: a CJK character takes two); the rest are in F1 help. Textual's Footer would cut the last
one mid-word ("^r 上次来") and let the palette key overlap it."""

from __future__ import annotations

from rich.cells import cell_len
from textual.css.query import NoMatches
from textual.widgets import Footer

from deskconsole.ui.textual_compat import FooterKey

# Descriptions Textual itself gives to bindings it adds.
_TEXTUAL_KEYS = {"palette": "key.palette"}


class DeskFooter(Footer):
    _shown: tuple | None = None
    _check_queued = False
    _keys_ready = False  # the screen has said which bindings are active

    def _what_it_shows(self) -> tuple:
        keys = tuple((binding.key, binding.action, binding.description, enabled, tooltip)
                     for (_node, binding, enabled, tooltip) in self.screen.active_bindings.values()
                     if binding.show)
        return keys, self.app.t.language, self.compact, self.show_command_palette, self._width()

    def on_mount(self) -> None:
        # Told at once, not by message (Footer.on_mount's subscription, which stays and calls
        # bindings_changed below): the footer changes before the frame that shows what changed
        # it. By message, the screen's frame could come first, and the footer's change waited
        # for a frame of its own, up to two frame periods later (bench/NOTES.md, "Trailing
        # frames").
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed_now, immediate=True)

    def on_resize(self) -> None:
        self._bindings_changed_now(self.screen)

    def watch_compact(self, _compact: bool) -> None:
        # The keys are made in the footer's look (_made), not bound to it: a new look rebuilds them.
        if self._keys_ready:
            self._bindings_changed_now(self.screen)

    def _width(self) -> int:
        # Before its first layout the footer has no size yet: it will be as wide as the app
        # (and planning for that width spares a second build once it is laid out).
        return self.size.width or self.app.size.width

    def _width_of(self, key_display: str, description: str) -> int:
        # FooterKey: padding 0 1 around the key, description padded 0 1 0 0 (compact: none).
        gaps = 1 if self.compact else 3
        return cell_len(key_display) + cell_len(description) + gaps

    def bindings_changed(self, screen) -> None:
        """Footer's own subscription (by message): the immediate one has done the work."""

    def _bindings_changed_now(self, screen) -> None:
        # Textual's Footer recomposes for every call; here the footer changes only if what it
        # shows changed, in place when it shows as many keys (no widget mounted), else rebuilt
        # once for the calls made before the rebuild runs.
        self._keys_ready = True
        try:
            if screen.app.app_focus and self.is_attached and screen is self.screen and not self._check_queued \
                    and self._needs_rebuild():
                self._check_queued = True
                self.call_next(self._recompose_if_changed)
        except Exception as error:  # noqa: BLE001 - Textual's signal would only log it, unseen
            self.app.errors.report(error)

    async def _recompose_if_changed(self) -> None:
        self._check_queued = False
        if self._needs_rebuild():
            await self.recompose()

    def _needs_rebuild(self) -> bool:
        """Bring the keys up to date in place if they can be; True if the footer must be rebuilt."""
        try:
            changed = self.is_attached and self._what_it_shows() != self._shown
        except NoMatches:  # the screen is being rebuilt (language switch): a new footer comes
            return False
        return changed and not self._update_in_place()

    def _update_in_place(self) -> bool:
        """When as many keys are shown as before (a ticket in another state, a queue row
        with another status): give the key widgets already there their new key, text and
        enabled state, instead of unmounting and mounting them all (which restyled each)."""
        if self._shown is None or self._shown[1:] != self._what_it_shows()[1:]:
            return False  # another language, width or look: build it again
        shown, palette = self._plan()
        widgets = list(self.query_children(FooterKey))
        wanted = [(b.key, display, description, b.action, not enabled, tooltip)
                  for b, display, description, enabled, tooltip in shown]
        if palette is not None:
            wanted.append((palette[0].key, palette[1], palette[2], palette[0].action, not palette[3],
                           palette[4]))
        if not widgets or len(widgets) != len(wanted) \
                or (palette is not None) != widgets[-1].has_class("-command-palette"):
            return False
        self._shown = self._what_it_shows()
        for widget, (key, display, description, action, disabled, tooltip) in zip(widgets, wanted, strict=True):
            if (widget.key, widget.key_display, widget.description, widget.action) != (key, display, description,
                                                                                        action):
                resized = (widget.key_display, widget.description) != (display, description)
                widget.key, widget.key_display, widget.description, widget.action = key, display, description, action
                widget.refresh(layout=resized)
            if widget._disabled != disabled:
                widget._disabled = disabled
                widget.set_class(disabled, "-disabled")
            if tooltip and widget.tooltip != tooltip:
                widget.tooltip = tooltip
        return True

    def _plan(self) -> tuple[list[tuple], tuple | None]:
        """The keys shown, in order, as (binding, key display, description, enabled, tooltip),
        and the palette key's (binding, display, description, enabled, tooltip) or None."""
        app = self.app
        active = self.screen.active_bindings
        first: dict[str, tuple] = {}
        for _node, binding, enabled, tooltip in active.values():
            if binding.show:
                first.setdefault(binding.action, (binding, enabled, tooltip))
        palette = active.get(app.COMMAND_PALETTE_BINDING) \
            if self.show_command_palette and app.ENABLE_COMMAND_PALETTE else None
        room = self._width() - 1
        if palette is not None:
            room -= self._width_of(app.get_key_display(palette[1]), self._translated(palette[1].description))
        shown = []
        for binding, enabled, tooltip in first.values():
            display, description = app.get_key_display(binding), self._translated(binding.description)
            room -= self._width_of(display, description)
            if room < 0:
                break
            shown.append((binding, display, description, enabled, tooltip))
        if palette is not None:
            _node, binding, enabled, _tooltip = palette
            palette = (binding, app.get_key_display(binding), self._translated(binding.description), enabled,
                       binding.tooltip or binding.description)
        return shown, palette

    def compose(self):
        """One key per action (the first binding of it), then the palette key on the right,
        as Textual's Footer shows them (no binding of the console uses a group)."""
        if not (self._keys_ready and self.is_attached):
            self._shown = None
            return
        self._shown = self._what_it_shows()
        shown, palette = self._plan()
        self.styles.grid_size_columns = len(shown)
        for binding, display, description, enabled, tooltip in shown:
            yield _made(FooterKey(binding.key, display, description, binding.action, disabled=not enabled,
                                  tooltip=tooltip), compact=self.compact)
        if palette is not None:
            binding, display, description, enabled, tooltip = palette
            # Compact always, as Textual's Footer draws it.
            yield _made(FooterKey(binding.key, display, description, binding.action, classes="-command-palette",
                                  disabled=not enabled, tooltip=tooltip), compact=True)

    def _translated(self, description: str) -> str:
        return self.app.t(_TEXTUAL_KEYS.get(description, description)) if description else description


def _made(key: FooterKey, *, compact: bool) -> FooterKey:
    """A key made in its look. Textual's Footer lets each key set its compact class as it mounts
    (and binds `compact` to the footer's, which sets it again): a restyle of the key each time,
    for every key of every footer built. The footer is rebuilt when its `compact` changes
    (watch_compact), so the keys need no binding."""
    key.set_reactive(FooterKey.compact, compact)
    key.set_class(compact, "-compact", update=False)
    return key
