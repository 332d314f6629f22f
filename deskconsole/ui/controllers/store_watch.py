"""The store seen from the console: opened in a thread after the first frame (so the sign-on
screen appears before SQLAlchemy is even imported), then polled every 2 s for the header
counters; a write from another terminal makes the shown screen reload."""

from __future__ import annotations

from textual.worker import Worker

from deskconsole.db.store import StoreError


class StoreWatch:
    def __init__(self, app) -> None:
        self.app = app
        self._change_token = None

    def start(self) -> None:
        """Poll every 2 s (looked up at each tick, so a test can replace `poll`)."""
        self.app.set_interval(2.0, lambda: self.poll())

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
        app.call_from_thread(self._opened, has_operators)

    def _failed(self, reason: str) -> None:
        self.app.store_error = reason
        self._tell_screen()

    def _opened(self, has_operators: bool) -> None:
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
        if app.actor is not None and app.store.is_open:
            app.run_worker(lambda: self._refresh_counters(force), thread=True, exclusive=True,
                           exit_on_error=False, group="counters")

    def _refresh_counters(self, force: bool) -> None:
        from deskconsole.services.counters import counters

        app = self.app
        token = app.store.change_token()
        if not (force or token != self._change_token):
            return
        with app.store.read() as s:
            values = counters(s, app.actor)
        app.call_from_thread(self._counters_ready, values, token)

    def _counters_ready(self, values: dict[str, int], token) -> None:
        # The token is taken only here: a refresh cancelled by the next poll (exclusive
        # worker) must not make that poll think it has nothing to do. A screen shown before
        # the first counters arrived must see them too.
        app = self.app
        changed = token != self._change_token or values != app.counters
        self._change_token, app.counters = token, values
        for screen in app.screen_stack:
            if changed and hasattr(screen, "refresh_view") and screen.is_current and screen.is_mounted:
                screen.refresh_view()
        from deskconsole.ui.widgets.status_bar import StatusBar

        for bar in app.screen.query(StatusBar):
            bar.refresh()
