"""Every write a screen or form makes goes through `save`: the store runs it in a thread
worker, so the console never waits on the database. On SQLite a write waits for the lock
(busy timeout, then retries): run on the event loop, that could freeze the desk for longer
than a phone rings.

    save(self, lambda s: service(s, actor, ...), on_done=self._saved)

- One save per owner at a time: a second Ctrl+S while the first is in flight does nothing.
- A save that takes longer than a frame shows "saving..." in the form; a fast one looks
  exactly as before.
- A refusal (DeskError) goes to `on_error`, by default under its field (`show_desk_error`).
- The store itself failing (unreachable, disk full, read-only, still locked: `db.base.classify`)
  leaves the form exactly as typed, says so in one line in the form, and tells the store poll,
  which retries and says when the store is back; Ctrl+S then saves. Nothing is half-written:
  the write is one transaction, rolled back.
- Any other error is the app's worker-error handler's (logged, said in one line).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from typing import Any
from weakref import WeakKeyDictionary, WeakSet

from textual.timer import Timer
from textual.widget import Widget

from deskconsole.db.base import classify
from deskconsole.services.errors import DeskError
from deskconsole.ui.text import Label
from deskconsole.ui.widgets.form import show_desk_error

# Shorter than this and a "saving..." note would only flicker (one frame at 20 fps).
SHOW_SAVING_AFTER = 0.05

_in_flight: WeakSet[Widget] = WeakSet()
# Of those, the saves the receptionist asked for (show_saving), each with a number of its own.
_asked: WeakKeyDictionary[Widget, int] = WeakKeyDictionary()
_numbers = count(1)
_after: WeakKeyDictionary[Widget, list[Callable[[], None]]] = WeakKeyDictionary()

STORE_NOTE = "store-error-note"


def is_saving(owner: Widget) -> bool:
    return owner in _in_flight


def after_save(owner: Widget, then: Callable[[], None]) -> None:
    """Call `then` once the save running for `owner` has ended (at once if none is): a save of
    its own that `save()` turned away (it returned False) can be asked for again then."""
    if owner in _in_flight:
        _after.setdefault(owner, []).append(then)
    else:
        then()


def asked_on(screen: Widget) -> int | None:
    """The number of a save the receptionist asked for that is running for `screen` or a widget
    on it, or None: a frame of that screen waits for it once, a frame period at most
    (DeskScreen._save_in_flight)."""
    return next((number for owner, number in list(_asked.items())
                 if owner.is_attached and owner.screen is screen), None)


def save(owner: Widget, fn: Callable[[Any], Any], on_done: Callable[[Any], None] | None = None,
         on_error: Callable[[DeskError], None] | None = None, *, note_in: Widget | None = None,
         show_saving: bool = True, on_store_failed: Callable[[str], None] | None = None) -> bool:
    """Run `store.write(fn)` off the event loop for `owner` (the screen or form that asked).
    `on_done(result)` / `on_error(error)` run on the UI thread afterwards; when the store itself
    failed (unreachable, full, read-only) the note says so and `on_store_failed(kind)` runs, so a
    form that was already cleared can take its values back. `note_in` is where
    "saving..." appears (default: `owner`; `show_saving=False` for a write the receptionist did
    not ask for, such as marking what was shown). Returns False when a save of `owner` is already
    running and this one was ignored."""
    if owner in _in_flight:
        return False
    _in_flight.add(owner)
    if show_saving:
        _asked[owner] = next(_numbers)
    app = owner.app
    store = app.store
    refuse = on_error or (lambda error: show_desk_error(owner, error))
    note: list[Label] = []
    for old in (note_in or owner).query(f".{STORE_NOTE}"):  # this attempt replaces the last one's
        old.remove()

    def show_note() -> None:
        if owner in _in_flight:
            label = Label(app.t("form.saving"), classes="saving-note")
            note.append(label)
            (note_in or owner).mount(label)

    timer: Timer | None = owner.set_timer(SHOW_SAVING_AFTER, show_note) if show_saving else None
    # A question or form on top closes when its save is done: keys typed meanwhile wait for
    # the screen that comes next (or for this one, if the save is refused).
    holding = app.hold_keys() if show_saving and owner.screen.is_modal and hasattr(app, "hold_keys") \
        else None

    def finish(callback: Callable[[Any], None] | None, arg: Any) -> None:
        _in_flight.discard(owner)
        _asked.pop(owner, None)
        if timer is not None:
            timer.stop()
        for label in note:
            label.remove()
        try:
            if callback is not None and owner.is_attached:  # not if the form was closed meanwhile
                callback(arg)
        finally:
            if holding is not None:
                app.release_keys(holding)
            for waiting in _after.pop(owner, []):
                if owner.is_attached:
                    waiting()

    def store_failed(kind: str) -> None:
        (note_in or owner).mount(Label(app.t(f"store.save.{kind}"), classes=STORE_NOTE))
        app.store_watch.lost(kind)
        if on_store_failed is not None:
            on_store_failed(kind)

    def work() -> None:
        try:
            result = store.write(fn)
        except DeskError as error:
            app.call_from_thread(finish, refuse, error)
            return
        except Exception as exc:
            kind = classify(exc)
            if kind is not None:
                app.call_from_thread(finish, store_failed, kind)
                return
            app.call_from_thread(finish, None, None)  # the form stays, a retry is allowed
            raise  # the app's worker-error handler logs it and says so
        app.call_from_thread(app.store_watch.back)
        app.call_from_thread(finish, on_done, result)

    owner.run_worker(work, thread=True, exit_on_error=False, group="store_write")
    return True
