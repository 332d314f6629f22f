"""The command palette, with Enter acting on what was typed.

Part of ui/textual_compat/: every use of Textual's private API is in this package (STYLE §15),
each assumption pinned by tests/ui/test_textual_compat.py or a test of its own."""

from __future__ import annotations

from textual import on
from textual.command import CommandPalette
from textual.widgets import Input
from textual.worker import Worker, WorkerState


class PaletteWaitsForItsSearch(CommandPalette):
    """Ctrl+P, "lock" and Enter typed in one burst locked the desk on a fast machine and went
    to the home screen on a busy one: Textual's palette searches for what was typed in a worker,
    and an Enter read before that search had ended picked the first line of the list still
    shown, the commands offered before anything was typed. Here an Enter that comes while the
    search for the text in the field is still going acts once it has ended, on its results.

    Needs CommandPalette._GATHER_COMMANDS_GROUP (the search worker's group) and
    _select_or_command (what Enter does): Textual says neither when a search ends nor lets
    Enter wait for one."""

    _enter_waiting = False

    def _searching(self) -> bool:
        return any(worker.node is self and worker.group == self._GATHER_COMMANDS_GROUP
                   and not worker.is_finished for worker in self.workers)

    @on(Input.Submitted)
    def _enter_once_searched(self, event: Input.Submitted) -> None:
        if self._searching():
            event.stop()
            event.prevent_default()  # Textual's own Enter (below in the MRO) waits too
            self._enter_waiting = True

    @on(Worker.StateChanged)
    def _searched(self, event: Worker.StateChanged) -> None:
        if (self._enter_waiting and event.worker.group == self._GATHER_COMMANDS_GROUP
                and event.state in (WorkerState.SUCCESS, WorkerState.ERROR) and not self._searching()):
            self._enter_waiting = False
            self._select_or_command()
