"""Check-ins typed ahead are saved in order, one after another (DOMAIN §1: nobody typed in at
the desk is lost). The form is handed over and blank at Ctrl+S (VisitForm.take), so a fast
typist goes on with the next visitor while the last one is written; a check-in the store
refuses or cannot take goes back into the form."""

from __future__ import annotations

from collections.abc import Callable

from textual.worker import WorkerState

from deskconsole.services import reception as rs
from deskconsole.services.errors import DeskError
from deskconsole.ui.store_work import after_save, save
from deskconsole.ui.widgets.form import show_desk_error
from deskconsole.ui.widgets.visit_form import VisitForm


class CheckInSaver:
    def __init__(self, owner, form: Callable[[], VisitForm], on_saved: Callable[[rs.VisitView], None]) -> None:
        self.owner = owner  # the screen whose thread worker writes
        self.form = form
        self.on_saved = on_saved
        self.queued: list[rs.CheckInForm] = []
        self.saving: rs.CheckInForm | None = None

    def pending(self) -> bool:
        return bool(self.queued) or self.saving is not None

    def submit(self, values: rs.CheckInForm) -> bool:
        """Check the form here (a refusal goes back under its field at once), then queue it."""
        try:
            rs.validate(values)
        except DeskError as error:
            self.form().give_back(values)
            show_desk_error(self.form(), error)
            return False
        self.queued.append(values)
        self._next()
        return True

    def _next(self) -> None:
        if self.saving is not None or not self.queued:
            return
        form = self.form()
        actor, values = self.owner.app.actor, self.queued.pop(0)
        self.saving = values

        def saved(visit) -> None:
            self.saving = None
            self.on_saved(visit)
            self._next()

        def refused(error: DeskError) -> None:
            self.saving = None
            form.give_back(values)
            show_desk_error(form, error)
            self._next()

        def store_failed(_kind: str) -> None:
            # The form was blanked at Ctrl+S: the visitor goes back into it, nothing typed is lost,
            # and the next Ctrl+S retries (what is still queued follows it).
            self.saving = None
            form.give_back(values)

        if not save(self.owner, lambda s: rs.check_in(s, actor, values), saved, refused, note_in=form,
                    on_store_failed=store_failed):
            # The screen is writing something else (a visitor served, Ctrl+N): this check-in
            # waits for it. It was lost, and every check-in after it stayed queued for good.
            self.saving = None
            self.queued.insert(0, values)
            after_save(self.owner, self._next)

    def worker_state_changed(self, event) -> None:
        """The store failed (not a refusal): the app says so; the form gets the visitor back."""
        if event.state == WorkerState.ERROR and event.worker.group == "store_write" and self.saving:
            values, self.saving = self.saving, None
            self.form().give_back(values)
            self._next()
