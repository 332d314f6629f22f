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
no such binding, such as text typed into a field, are never held. Keys Textual acts on as it
reads them (priority bindings: the phone's F7/F8, Ctrl+S) wait their turn like the others: a
phone key typed after F4 answers after the screen has changed, and Ctrl+S on a modal form acts
once its field has taken the text typed before it. Answering the phone holds the keys until
the call form is up (controllers/phone.py), and the command palette holds the keys typed after
its Enter until what the command opens is drawn (textual_compat/palette.py). No hold lasts
more than HOLD_AT_MOST.
"""

from __future__ import annotations

from textual import events
from textual.app import ScreenStackError
from textual.screen import Screen

from deskconsole.ui.textual_compat import as_from_terminal, bindings_for_key


class AwaitedKey(events.Key):
    """A copy of a key whose binding acts once it comes back to the app. A widget that stops it
    on the way (the sign-on screen keeping keys while it checks a PIN) ends the wait at once."""

    def __init__(self, key: events.Key, order: KeyOrder) -> None:
        super().__init__(key.key, key.character)
        as_from_terminal(self)
        self.order = order

    def stop(self, stop: bool = True) -> None:
        super().stop(stop)
        if stop:
            self.order.release(self)


AwaitedKey.handler_name = events.Key.handler_name  # handled as the key it stands for (on_key)


class KeyOrder:
    # No hold lasts longer than this: a key that neither comes back nor is stopped (its widget
    # went away with it), a save that takes long (the store busy) or never reports back (its
    # form closed first). The keys then go on to what is there, as they did before any hold.
    # Counted on the console's clock (app.clock), which tests hold still: a loaded machine
    # that takes longer than this to answer a call in a test does not let the keys go early.
    HOLD_AT_MOST = 2.0  # s
    SURE_AFTER = 0.5  # s: looks again whether the screen a release waits on was closed

    def __init__(self, app) -> None:
        self.app = app
        self.holders: list[object] = []  # awaited keys, and tokens of saves that close a modal
        self.timers: dict[int, object] = {}
        self.held: list[events.Key] = []

    def waits(self, event: events.Key) -> bool:
        """True when `event` is kept to go on later, in order (keys are being held)."""
        if not self.holders:
            return False
        self.held.append(event)
        return True

    def drain_first(self, event: events.Key):
        """The focused field of a question or form on top that must handle the keys typed before
        `event` ere `event` acts, or None. Textual acts on a priority key (Ctrl+S on a modal
        form) as soon as it reads it, while the text typed before it still waits in the field's
        queue: the form would be saved without it. (The check-in form takes its fields in turn
        itself, VisitForm.take.)"""
        priority, _plain = bindings_for_key(self.app, event.key)
        focused = self.app.focused
        if priority is None or priority[0] is self.app or focused is None or not self.app.screen.is_modal:
            return None
        return focused

    def awaited(self, event: events.Key) -> events.Key:
        """The key to hand on: an AwaitedKey in its place when a screen or the app binds it.
        A screen whose Enter acts later than its field hands it on (the command palette waiting
        for its search: `hold_keys_after_enter`) gets the keys read after Enter held for it."""
        hold_after = getattr(self.app.screen, "hold_keys_after_enter", None)
        if event.key == "enter" and hold_after is not None:
            hold_after(self.hold())
        priority, plain = bindings_for_key(self.app, event.key)
        if priority is not None or plain is None or not (plain[0] is self.app or isinstance(plain[0], Screen)):
            return event
        awaited = AwaitedKey(event, self)
        self._hold(awaited)
        return awaited

    def hold(self) -> object:
        """Hold the keys read from now on, until release(token)."""
        token = object()
        self._hold(token)
        return token

    def _holds(self, token: object) -> bool:
        return any(h is token for h in self.holders)

    def _hold(self, token: object) -> None:
        self.holders.append(token)
        self._limit(token, self.app.clock.monotonic() + self.HOLD_AT_MOST)

    def _limit(self, token: object, until: float) -> None:
        """End the hold at `until` on the console's clock; the timer looks at that clock."""
        def due() -> None:
            if self.app.clock.monotonic() >= until:
                self._later(token)
            elif self._holds(token):
                self._limit(token, until)

        # For the time left (a timer may fire a little early), at least 10 ms.
        left = until - self.app.clock.monotonic()
        self.timers[id(token)] = self.app.set_timer(max(left, 0.01), due)

    def release(self, token: object) -> None:
        """`token` no longer holds the keys, once what the screen on top has queued has run and
        it has been drawn: a question answered by the key calls back the screen that asked it
        there (Textual's dismiss), and that call may start a save that holds the keys again; a
        form just opened (the call form after F7) has its focus only once it is drawn."""
        try:
            screen = self.app.screen
        except ScreenStackError:
            return  # the console is closing: nothing is typed for it any more
        if not screen.call_after_refresh(self._later, token):
            self._later(token)
            return
        self._unless_closed(token, screen)

    def _unless_closed(self, token: object, screen: Screen) -> None:
        """Should `screen` close before it is drawn (its queue is dropped with it), the keys
        still go on. While it stays, its call after the refresh will come."""
        def look() -> None:
            if not screen.is_attached:
                self._later(token)
            elif self._holds(token):
                self._unless_closed(token, screen)

        self.app.set_timer(self.SURE_AFTER, look)

    def came_back(self, event: events.Event) -> None:
        """`event` came back to the app and has been acted on."""
        if any(h is event for h in self.holders):
            self.release(event)

    def _later(self, token: object) -> None:
        self.app.call_next(self._release, token)

    async def _release(self, token: object) -> None:
        if not self._holds(token):
            return  # released before (came back, then stopped; or a timer after)
        self.holders = [h for h in self.holders if h is not token]
        timer = self.timers.pop(id(token), None)
        if timer is not None:
            timer.stop()
        while self.held and not self.holders:  # in order; one may be awaited and hold the rest
            await self.app.on_event(self.held.pop(0))
