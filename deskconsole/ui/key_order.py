"""Keys typed ahead act in the order they were typed, on the screen that is there by then.

Textual hands every key to the focused widget's queue at once, and looks up the screen's and
the app's bindings only when the key has come back up from that widget to the app. Meanwhile the
keys typed after it have already been handed to the same widget. So in a burst:
- F4 and a queue number: the number went into the visitor's name on the form F4 left;
- Esc (skip the self-check?) and y: the y went to the checklist, before the question was up;
- y and a visitor's name: the name went to the checklist that was closing.

A key bound on a screen or on the app (not one a widget acts on itself) is therefore awaited:
the keys read after it wait here until it has come back and been acted on, then go on, in
order, to where the focus is then. A question or form on top that closes once its save is done
holds them too, until that save has ended (store_work.save, via DeskApp.hold_keys). Keys with
no such binding, such as text typed into a field, are never held, and the console's own keys
that act as they are read (the phone's F7/F8, the timeline, quit) never wait; a screen's own
such key (Ctrl+S on a form) waits its turn, since it acts on what was typed before it.
"""

from __future__ import annotations

from textual import events
from textual.app import ScreenStackError
from textual.screen import Screen

from deskconsole.ui.textual_compat import (
    as_from_terminal,
    binding_for_key,
    priority_binding_for_key,
)


class AwaitedKey(events.Key):
    """A copy of a key whose binding acts once it comes back to the app. A widget that stops it
    on the way (the sign-on screen keeping keys while it checks a PIN) ends the wait at once."""

    def __init__(self, key: events.Key, order: KeyOrder) -> None:
        super().__init__(key.key, key.character)
        as_from_terminal(self)
        self.order = order
        self.timer = None

    def stop(self, stop: bool = True) -> None:
        super().stop(stop)
        if stop:
            self.order.release(self)


AwaitedKey.handler_name = events.Key.handler_name  # handled as the key it stands for (on_key)


class KeyOrder:
    # A key that neither comes back nor is stopped (its widget went away with it) holds the
    # keys behind it no longer than this.
    HOLD_AT_MOST = 2.0  # s
    SURE_AFTER = 0.5  # s: a release the screen on top dropped (it closed) happens anyway

    def __init__(self, app) -> None:
        self.app = app
        self.holders: list[object] = []  # an awaited key, or the owner of a save that closes
        self.held: list[events.Key] = []

    def read(self, event: events.Key) -> events.Key | None:
        """The key to hand on now (perhaps an AwaitedKey in its place), or None: it waits."""
        first = priority_binding_for_key(self.app, event.key)
        if first is not None and first[0] is self.app:
            return event  # the console's own keys act as they are read: a ringing phone's F7
        if self.holders:
            self.held.append(event)
            return None
        found = binding_for_key(self.app, event.key)
        if found is None or not (found[0] is self.app or isinstance(found[0], Screen)):
            return event
        awaited = AwaitedKey(event, self)
        self.holders.append(awaited)
        awaited.timer = self.app.set_timer(self.HOLD_AT_MOST, lambda: self.release(awaited))
        return awaited

    def hold(self, owner: object) -> None:
        if not any(h is owner for h in self.holders):
            self.holders.append(owner)

    def release(self, owner: object) -> None:
        """`owner` no longer holds the keys, once what the screen on top has queued has run: a
        question answered by the key calls back the screen that asked it there (Textual's
        dismiss), and that call may start a save that holds the keys again."""
        try:
            screen = self.app.screen
        except ScreenStackError:
            return  # the console is closing: nothing is typed for it any more
        screen.call_later(self.app.call_next, self._release, owner)
        if not isinstance(owner, AwaitedKey):  # (an awaited key has its own timer)
            # Should that screen close before it gets there, the keys still go on, a moment later.
            self.app.set_timer(self.SURE_AFTER, lambda: self.app.call_next(self._release, owner))

    def came_back(self, event: events.Event) -> None:
        """`event` came back to the app and has been acted on."""
        if any(h is event for h in self.holders):
            self.release(event)

    async def _release(self, owner: object) -> None:
        if not any(h is owner for h in self.holders):
            return  # released before (came back, then stopped; or the timer after)
        self.holders = [h for h in self.holders if h is not owner]
        if isinstance(owner, AwaitedKey):
            owner.timer.stop()
        while self.held and not self.holders:  # in order; one may be awaited and hold the rest
            await self.app.on_event(self.held.pop(0))
