"""The store seen from the console: opened in a thread after the first frame (so the sign-on
screen appears before SQLAlchemy is even imported), then polled every 2 s for the header
counters; a write from another terminal makes the shown screen reload.

When the store cannot be reached (from the poll itself or from a save, `lost`), the poll backs
off (2 s, 4 s, 8 s, ... up to 30 s between tries) and says once when the store is back, so the
receptionist knows Ctrl+S will now save what the form kept."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from textual.worker import Worker

from deskconsole.db.base import classify
from deskconsole.db.store import StoreError
from deskconsole.services.errors import DeskError

POLL_SECONDS = 2.0
MAX_SKIPPED_POLLS = 14  # at most 30 s between tries while the store is away


class StoreWatch:
    def __init__(self, app) -> None:
        self.app = app
        self._change_token = None
        self.down: str | None = None  # "unreachable" while the store is away, else None
        self._backoff = 0  # polls skipped between tries; doubles after each failed try
        self._skip = 0

    def start(self) -> None:
        """Poll every 2 s (looked up at each tick, so a test can replace `poll`)."""
        self.app.set_interval(POLL_SECONDS, lambda: self.poll())

    # -- the store lost and back -------------------------------------------------------
    def lost(self, kind: str, *, from_poll: bool = False) -> None:
        """The store failed (`kind` from db.base.classify). Only an unreachable store is
        watched for its return: a full disk or a read-only store still answers reads, so the
        next Ctrl+S is the test of it."""
        if kind != "unreachable":
            return
        was_down = self.down is not None
        self.down = kind
        self._backoff = min(max(1, self._backoff * 2), MAX_SKIPPED_POLLS)
        self._skip = self._backoff
        if from_poll and not was_down:
            self.app.say(self.app.t("store.poll.lost", seconds=int(POLL_SECONDS * (self._backoff + 1))),
                         severity="error")

    def read_failed(self, exc: BaseException) -> bool:
        """A screen's own read failed: True when it was the store going away (then the poll
        watches for its return, and the screen need not report it)."""
        kind = classify(exc)
        if kind is None:
            return False
        if self.down is None:
            self.lost(kind, from_poll=True)
        return True

    @contextmanager
    def unless_away(self) -> Iterator[None]:
        """Run a quick read on the event loop; if the store has gone away, skip the rest of the
        block instead of stopping the console (any other error still propagates)."""
        try:
            yield
        except Exception as exc:
            if not self.read_failed(exc):
                raise

    def back(self) -> None:
        """A store read or write worked again."""
        if self.down is None:
            return
        self.down, self._backoff, self._skip = None, 0, 0
        self.app.say(self.app.t("store.poll.back"))
        self._tell_screen()

    def open(self) -> Worker:
        return self.app.run_worker(self._open, thread=True, exclusive=True, exit_on_error=False, group="store")

    def _open(self) -> None:
        app = self.app
        try:
            app.store.open()
            from deskconsole.services.operators import count_active

            with app.store.read() as s:
                has_operators = count_active(s) > 0
        except StoreError as exc:
            app.call_from_thread(self._failed, str(exc))
            return
        except DeskError as exc:  # this desk's audit key is not the store's: said on sign-on
            app.call_from_thread(self._failed, exc.message(app.t))
            return
        app.call_from_thread(self._opened, has_operators)

    def _failed(self, reason: str) -> None:
        # Said on the sign-on screen; the poll tries again, backing off, until it opens.
        self.app.store_error = reason
        self.lost("unreachable")
        self._tell_screen()

    def _opened(self, has_operators: bool) -> None:
        self.app.store_error = None
        self.back()
        if not has_operators:
            from deskconsole.ui.screens.first_run import FirstRunScreen

            self.app.switch_screen(FirstRunScreen())
            return
        self._tell_screen()

    def _tell_screen(self) -> None:
        handler = getattr(self.app.screen, "store_state_changed", None)
        if handler:
            handler()

    # -- store changes -----------------------------------------------------------------
    def poll(self, force: bool = False) -> None:
        """Reload the header counters, and the shown screen if the store changed (`force`:
        whether or not it did, e.g. after this console's own write)."""
        app = self.app
        if self.down is not None and not force and self._skip > 0:
            self._skip -= 1  # backing off while the store is away
            return
        if not app.store.is_open and app.store_error is not None:
            self.open()  # it could not be opened at start: try again
            return
        if app.store.is_open and (app.actor is not None or self.down is not None):
            app.run_worker(lambda: self._refresh_counters(force), thread=True, exclusive=True,
                           exit_on_error=False, group="counters")

    def _refresh_counters(self, force: bool) -> None:
        from deskconsole.services.counters import counters

        app = self.app
        actor, was_down = app.actor, self.down is not None
        try:
            token = app.store.change_token()
            if actor is None or not (force or was_down or token != self._change_token):
                values = None
            else:
                with app.store.read() as s:
                    values = counters(s, actor)
        except Exception as exc:
            kind = classify(exc)
            if kind is None:
                raise
            app.call_from_thread(self.lost, kind, from_poll=True)
            return
        if was_down:
            app.call_from_thread(self.back)
        if values is not None:
            app.call_from_thread(self._counters_ready, values, token)

    def _counters_ready(self, values: dict[str, int], token) -> None:
        # The token is taken only here: a refresh cancelled by the next poll (exclusive
        # worker) must not make that poll think it has nothing to do. A screen shown before
        # the first counters arrived must see them too.
        app = self.app
        written = token != self._change_token
        changed = written or values != app.counters
        self._change_token, app.counters = token, values
        if changed:
            app.phone_controller.store_changed()  # lines a feed began elsewhere (`phone listen`)
        for screen in app.screen_stack:
            if changed and hasattr(screen, "refresh_view") and screen.is_current and screen.is_mounted:
                # A write the screen has already loaded (it reloaded after this console's own
                # save) is not loaded again; counters that moved with the clock still reload it.
                if written and getattr(screen, "has_loaded", lambda _t: False)(token):
                    continue
                screen.refresh_view()
        from deskconsole.ui.widgets.status_bar import StatusBar

        for bar in app.screen.query(StatusBar):
            bar.refresh()
