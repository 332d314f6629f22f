"""Forms save off the event loop and behave the same everywhere (STYLE §5, §13): one save at a
time per form, "saving..." only while a save is slow, and one choice widget with one set of
keys in the reception and the ticket forms."""

from __future__ import annotations

import threading

from sqlalchemy import select

from deskconsole.models import Ticket, Visit
from deskconsole.ui import store_work
from deskconsole.ui.modals.ticket_form import TicketFormModal
from deskconsole.ui.screens.reception import ReceptionScreen
from deskconsole.ui.widgets.choice import ChoiceInput
from tests.ui.helpers import build_app, seed_operator, settle, sign_on, type_text
from tests.ui.test_reception import open_reception


class HeldWrites:
    """Wraps a store so each write waits until the test lets it through: a database that is
    busy (another terminal holds the lock) for exactly as long as the test wants."""

    def __init__(self, store) -> None:
        self.store = store
        self.real_write = store.write
        self.gate = threading.Event()
        self.started = 0

    def __enter__(self) -> HeldWrites:
        def write(fn):
            self.started += 1
            self.gate.wait(timeout=30)
            return self.real_write(fn)

        self.store.write = write
        return self

    def __exit__(self, *exc) -> None:
        self.gate.set()
        self.store.write = self.real_write


def _count(store, model) -> int:
    with store.read() as s:
        return len(s.execute(select(model)).scalars().all())


async def _until(pilot, condition, rounds: int = 200) -> bool:
    """Let the loop turn (no sleeping) until `condition()` holds; False if it never does."""
    for _ in range(rounds):
        if condition():
            return True
        await pilot.pause()
    return condition()


def _saving_notes(screen) -> list[str]:
    return [str(label.render()) for label in screen.query(".saving-note")]


async def test_a_second_ctrl_s_while_a_check_in_is_saving_saves_once(sqlite_store, clock, tmp_path, monkeypatch):
    # The note waits a frame before it shows; a millisecond here, so the test waits no frame.
    monkeypatch.setattr(store_work, "SHOW_SAVING_AFTER", 0.001)
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        await type_text(pilot, "Wang")
        with HeldWrites(sqlite_store) as held:
            await pilot.press("ctrl+s", "ctrl+s")
            assert await _until(pilot, lambda: held.started and _saving_notes(app.screen))
            assert held.started == 1
            assert _saving_notes(app.screen) == ["Saving..."]
            await type_text(pilot, "x")  # the console still answers keys while the store is busy
            held.gate.set()
            await settle(pilot)
        assert isinstance(app.screen, ReceptionScreen)
        with sqlite_store.read() as s:
            assert [v.name for v in s.execute(select(Visit)).scalars()] == ["Wang"]
        assert _saving_notes(app.screen) == []


async def test_a_fast_save_shows_no_saving_note(sqlite_store, clock, tmp_path, monkeypatch):
    monkeypatch.setattr(store_work, "SHOW_SAVING_AFTER", 60)  # longer than any save here
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        await type_text(pilot, "Li")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert _count(sqlite_store, Visit) == 1
        assert _saving_notes(app.screen) == []
        assert not store_work.is_saving(app.screen)


async def test_a_double_ctrl_s_on_the_ticket_form_opens_one_ticket(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        app.push_screen(TicketFormModal({"kind": "repair", "customer_name": "Li", "unit": "1-101"}))
        await settle(pilot)
        await type_text(pilot, "Leak")
        with HeldWrites(sqlite_store) as held:
            await pilot.press("ctrl+s", "ctrl+s")
            assert await _until(pilot, lambda: held.started)
            assert held.started == 1
            held.gate.set()
            await settle(pilot)
        assert _count(sqlite_store, Ticket) == 1


async def test_choices_answer_the_same_keys_in_reception_and_ticket_forms(sqlite_store, clock, tmp_path):
    """Down/Up step, a digit picks, in both forms (the ticket form once ignored Up/Down)."""
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        await pilot.press("enter")  # name -> honorific
        for field in ("#honorific", "#ticket_kind"):
            choice = app.screen.query_one(field, ChoiceInput)
            assert app.screen.focused is choice
            await pilot.press("down", "down", "up")
            assert choice.index == 1
            await pilot.press("3")
            assert choice.index == 2
            assert str(choice.render()).startswith("< 3.")  # the digit that picks it, before the label
            app.push_screen(TicketFormModal())  # then the same keys in the new-ticket form
            await settle(pilot)
