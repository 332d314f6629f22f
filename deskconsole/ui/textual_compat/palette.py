"""The command palette, with Enter acting on what was typed.

Part of ui/textual_compat/: every use of Textual's private API is in this package (STYLE §15),
each assumption pinned by tests/ui/test_textual_compat.py or a test of its own."""

from __future__ import annotations

from textual import on
from textual.command import CommandList, CommandPalette
from textual.widgets import Input
from textual.worker import Worker, WorkerState


class PaletteWaitsForItsSearch(CommandPalette):
    """Ctrl+P, "lock" and Enter typed in one burst locked the desk on a fast machine and went
    to the home screen on a busy one: Textual's palette searches for what was typed in a worker,
    and an Enter read before that search had ended picked the first line of the list still
    shown, the commands offered before anything was typed. Here an Enter that comes while the
    search for the text in the field is still going acts once it has ended, on its results.
    The keys typed after it wait (the app's key order, ui/key_order.py, holds them as it reads
    the Enter: by the time the field has it, they are queued behind it) for what the command
    opens (the lock's PIN); they went into the field, changing what was searched. And a second
    Enter once a command is chosen is ignored: Textual closed the palette twice and the console
    stopped.

    Needs CommandPalette._GATHER_COMMANDS_GROUP (the search worker's group), _NO_MATCHES,
    _list_visible and _selected_command (Enter closes with the chosen command), and
    _select_or_command (what Enter does): Textual says neither when a search ends nor lets
    Enter wait for one."""

    _enter_waiting = False
    _chosen = False
    _keys_held: object | None = None

    def _searching(self) -> bool:
        return any(worker.node is self and worker.group == self._GATHER_COMMANDS_GROUP
                   and not worker.is_finished for worker in self.workers)

    @on(Input.Submitted)
    def _enter_once_searched(self, event: Input.Submitted) -> None:
        if self._chosen or self._searching():
            event.stop()
            event.prevent_default()  # Textual's own Enter (below in the MRO) waits, or is not repeated
            self._enter_waiting = self._enter_waiting or not self._chosen
            return
        if not self._list_visible and self._selected_command is not None:
            self._chosen = True  # this Enter closes the palette with the command chosen
        elif not self._enter_chooses():
            self.call_after_refresh(self._unless_chosen)

    def _select_or_command(self, event: Input.Submitted | None = None) -> None:
        closes = not self._list_visible and self._selected_command is not None
        if self._chosen and closes:
            return
        super()._select_or_command(event)
        self._chosen = self._chosen or closes

    @on(Worker.StateChanged)
    def _searched(self, event: Worker.StateChanged) -> None:
        if (self._enter_waiting and event.worker.group == self._GATHER_COMMANDS_GROUP
                and event.state in (WorkerState.SUCCESS, WorkerState.ERROR) and not self._searching()):
            self._enter_waiting = False
            chooses = self._enter_chooses()
            self._select_or_command()
            if not chooses:
                self.call_after_refresh(self._unless_chosen)

    def _enter_chooses(self) -> bool:
        """Whether Enter now chooses a command (Textual's _select_or_command: the line
        highlighted, or the only one), which closes the palette once chosen (on_unmount)."""
        if not self._list_visible:
            return self._selected_command is not None
        lines = self.query_one(CommandList)
        return (lines.highlighted is not None or lines.option_count == 1) \
            and lines.get_option_at_index(lines.highlighted or 0).id != self._NO_MATCHES

    def hold_keys_after_enter(self, token: object) -> None:
        """The app read an Enter for the palette: the keys read after it are held (`token`,
        ui/key_order.py) until it has acted, so they reach what the command opens (the lock's
        PIN field), not this field, which they would have changed before the search ended."""
        self._let_keys_go()
        self._keys_held = token

    def _unless_chosen(self) -> None:
        if not (self._chosen or self._enter_waiting):  # no command (no match, or a first line
            self._let_keys_go()  # only highlighted): the keys typed after Enter come here

    def on_unmount(self) -> None:
        # To what the command opens, once it is drawn: the command runs from the app's queue
        # after the palette closes (Textual's call_later), so the release goes behind it there.
        self._let_keys_go(behind_the_command=True)

    def _let_keys_go(self, behind_the_command: bool = False) -> None:
        token, self._keys_held = self._keys_held, None
        if token is not None and behind_the_command:
            self.app.call_later(self.app.release_keys, token)
        elif token is not None:
            self.app.release_keys(token)
