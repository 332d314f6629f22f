"""How the console fails: a refusal (DeskError) is a message (the message line) in the user's language; an
unexpected error is written to the log and reported in one line, never as a traceback."""

from __future__ import annotations

from pathlib import Path

from textual.app import App

from deskconsole import logs
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
        self.stopping = False
        textual_compat.on_crash(app, self.crashed)
        app.panic = self.panicked  # Textual's other way out prints its renderables

    def report(self, error: BaseException) -> None:
        """A message for `error`: a refusal or a store problem as such, anything else
        logged and reported as unexpected."""
        if isinstance(error, DeskError):
            self.app.say(error.message(self.t), severity="error")
        elif isinstance(error, StoreError):
            self.app.say(self.t("error.store", reason=str(error)), severity="error")
        elif (kind := classify(error)) is not None:  # the store lost or full: not a bug to log
            self.app.say(self.t(f"store.save.{kind}"), severity="error")
        else:
            self.log(error)
            self.app.say(self.t("error.unexpected", log=self.log_path), severity="error")

    def log(self, error: BaseException) -> None:
        """One line in the log (deskconsole/logs: frames and error type, no personal data)."""
        actor = getattr(self.app, "actor", None)
        logs.bind(operator=getattr(actor, "operator_id", None))
        logs.error("console error", error)

    def crashed(self, error: BaseException | None) -> None:
        # Textual would print a traceback and exit; we log it and say one line instead, once:
        # a second error while stopping only goes to the log (Textual would add a note telling
        # the user to run `textual run --dev`).
        if error is not None:
            self.log(error)
        if self.stopping:
            return
        self.stopping = True
        self.app.exit(return_code=1, message=self.t("app.stopped", log=self.log_path))

    def panicked(self, *renderables) -> None:
        logs.log.error("console stopped: %s", ", ".join(type(r).__name__ for r in renderables))
        self.crashed(None)
