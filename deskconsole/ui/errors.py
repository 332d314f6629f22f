"""How the console fails: a refusal (DeskError) is a notification in the user's language; an
unexpected error is written to the log and reported in one line, never as a traceback."""

from __future__ import annotations

import traceback
from pathlib import Path

from textual.app import App

from deskconsole.clock import Clock
from deskconsole.db.base import classify
from deskconsole.db.store import StoreError
from deskconsole.i18n import Translator
from deskconsole.services.errors import DeskError
from deskconsole.ui import textual_compat


class ErrorReporter:
    """Says what went wrong on screen and keeps the details in the log file."""

    def __init__(self, app: App, t: Translator, clock: Clock, log_path: Path) -> None:
        self.app = app
        self.t = t
        self.clock = clock
        self.log_path = log_path
        textual_compat.on_crash(app, self.crashed)

    def report(self, error: BaseException, *, timeout: float | None = None) -> None:
        """A notification for `error`: a refusal or a store problem as such, anything else
        logged and reported as unexpected."""
        if isinstance(error, DeskError):
            self.app.notify(error.message(self.t), severity="error")
        elif isinstance(error, StoreError):
            self.app.notify(self.t("error.store", reason=str(error)), severity="error")
        elif (kind := classify(error)) is not None:  # the store lost or full: not a bug to log
            self.app.notify(self.t(f"store.save.{kind}"), severity="error")
        else:
            self.log(error)
            more = {} if timeout is None else {"timeout": timeout}
            self.app.notify(self.t("error.unexpected", log=self.log_path), severity="error", **more)

    def log(self, error: BaseException) -> None:
        """Append the traceback to the log file (a log that cannot be written is no reason to stop)."""
        try:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            with self.log_path.open("a", encoding="utf-8") as fh:
                fh.write(f"--- {self.clock.now().isoformat()}\n")
                fh.write("".join(traceback.format_exception(error)))
        except OSError:
            pass

    def crashed(self, error: BaseException | None) -> None:
        # Textual would print a traceback and exit; we log it and say one line instead.
        if error is not None:
            self.log(error)
        self.app.exit(return_code=1, message=self.t("app.stopped", log=self.log_path))
