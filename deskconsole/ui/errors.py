"""How the console fails: a refusal (DeskError) is a notification in the user's language; an
unexpected error is written to the log and reported in one line, never as a traceback."""

from __future__ import annotations

import traceback

from textual.worker import Worker, WorkerState

from deskconsole.db.store import StoreError
from deskconsole.services.errors import DeskError


class ErrorHandling:
    """Mixed into DeskApp (needs self.t, self.clock, self.log_path, self.notify, self.exit)."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        if isinstance(error, DeskError):
            self.notify(error.message(self.t), severity="error")
            return
        if isinstance(error, StoreError):
            self.notify(self.t("error.store", reason=str(error)), severity="error")
            return
        self._log_exception(error)
        self.notify(self.t("error.unexpected", log=self.log_path), severity="error", timeout=10)

    def _log_exception(self, error: BaseException) -> None:
        try:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            with self.log_path.open("a", encoding="utf-8") as fh:
                fh.write(f"--- {self.clock.now().isoformat()}\n")
                fh.write("".join(traceback.format_exception(error)))
        except OSError:
            pass

    def _fatal_error(self) -> None:
        # Textual would print a traceback and exit; we log it and say one line instead.
        if self._exception is not None:
            self._log_exception(self._exception)
        self.exit(return_code=1, message=self.t("app.stopped", log=self.log_path))
