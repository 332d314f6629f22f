"""Keys typed ahead act in order on the field they were typed for (a fast typist, a badge
scanner, an IME committing a word): bursts posted with no pause at all between keys, across
field changes, screen changes and saves."""

from contextlib import asynccontextmanager

import pytest
from sqlalchemy import select
from textual import events

from deskconsole.models import Visit
from deskconsole.ui.screens.reception import ReceptionScreen
from tests.ui.helpers import build_app, seed_operator, settle

SPECIAL = {"\t": "tab", "\r": "enter", " ": "space"}


@asynccontextmanager
async def at_reception(sqlite_store, clock, tmp_path):
    """A receptionist signed on (self-check skipped), the check-in form in front, at 100x30."""
    from tests.ui.test_reception import open_reception

    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        yield app, pilot


def burst(app, keys) -> None:
    """Every key in the app's queue at once, as a terminal delivers a paste or a scanner."""
    for key in keys:
        if len(key) == 1:
            name = SPECIAL.get(key, key)
            char = None if key in "\t\r" else key
        else:
            name, char = key, None
        app.post_message(events.Key(name, char))


async def test_a_burst_on_the_sign_on_screen_puts_the_pin_in_the_pin_field(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock, staff_no="8001", pin="246810")
    app = build_app(sqlite_store, clock, tmp_path, language="zh-CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, "8001\t246810\r")
        await settle(pilot)
        assert app.actor is not None and app.actor.staff_no == "8001"


async def test_a_name_and_ctrl_s_typed_during_sign_on_save_the_whole_name(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock, staff_no="8001", pin="246810")
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    app.session.sign_on_steps = ()  # a desk whose self-check is done: the form comes first
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, [*"8001", "enter", *"246810", "enter", *"Wang", "ctrl+s", *"Li", "ctrl+s"])
        await settle(pilot)
        for _ in range(20):  # the self-check offer may stand in front: the burst must still land
            if isinstance(app.screen, ReceptionScreen):
                break
            await settle(pilot)
        for _ in range(3):  # the check-ins typed ahead are saved one after another
            await settle(pilot)
        with sqlite_store.read() as s:
            names = [v.name for v in s.execute(select(Visit).order_by(Visit.id)).scalars()]
        assert names == ["Wang", "Li"]


async def test_a_burst_across_fields_screens_and_saves_lands_where_it_was_typed(sqlite_store, clock, tmp_path):
    async with at_reception(sqlite_store, clock, tmp_path) as (app, pilot):
        burst(app, [*"Zhang", "tab", "right", "tab", *"13800138000", "enter", *"1-1202", "ctrl+s",
                    *"Li", "enter", "enter", *"13900139000", "ctrl+s",
                    "f4", "f2", *"Wu", "ctrl+s"])
        for _ in range(4):
            await settle(pilot)
        with sqlite_store.read() as s:
            rows = [(v.name, v.honorific, v.phone, v.unit) for v in s.execute(select(Visit).order_by(Visit.id)).scalars()]
        assert rows == [("Zhang", "mr", "13800138000", "1-1202"), ("Li", "", "13900139000", ""),
                        ("Wu", "", None, "")]


async def test_a_sign_on_step_is_on_top_from_the_first_frame_and_keys_typed_ahead_do_not_answer_it(
        sqlite_store, clock, tmp_path):
    """The self-check offer is pushed in the same step that shows the first screen: no frame
    shows the form uncovered (where a receptionist would start typing a visitor's name), and a
    name typed during the sign-on neither lands in the form nor answers the self-check unread:
    it is dropped, and the message line says so."""
    from deskconsole.ui.modals.self_check import SelfCheckModal
    from deskconsole.ui.widgets.checklist import ChecklistTable

    seed_operator(sqlite_store, clock, staff_no="8001", pin="246810")
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    frames: list[str] = []
    display = app._display

    def noted(screen, renderable) -> None:
        frames.append(type(app.screen).__name__)
        display(screen, renderable)

    app._display = noted
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, [*"8001", "enter", *"246810", "enter", *"Wang", "enter"])
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, SelfCheckModal)
        after_sign_on = frames[next(i for i, f in enumerate(frames) if f not in ("SignOnScreen",)):]
        assert "ReceptionScreen" not in after_sign_on, after_sign_on
        assert app.screen.query_one(ChecklistTable).results == {}  # the typed Enter passed no item
        assert "not used" in app.messages.latest.text.plain
        with sqlite_store.read() as s:
            assert s.execute(select(Visit)).first() is None


async def test_keys_typed_right_after_an_f_key_go_to_the_screen_it_opens(sqlite_store, clock, tmp_path):
    """F4 and a queue number typed at once: the number picks the queue; nothing lands in the
    visitor's name that had the focus when F4 was typed."""
    from deskconsole.services.tickets.queues import QUEUES
    from deskconsole.ui.screens.tickets import TicketsScreen

    async with at_reception(sqlite_store, clock, tmp_path) as (app, pilot):
        reception = app.screen
        burst(app, [*"Wang", "ctrl+s", "f4", *"1234567", "3", "7"])
        for _ in range(3):
            await settle(pilot)
        assert isinstance(app.screen, TicketsScreen)
        assert app.screen.query_state.queue == QUEUES[6]
        assert reception.query_one("#name").value == ""
        with sqlite_store.read() as s:
            assert [v.name for v in s.execute(select(Visit)).scalars()] == ["Wang"]
        burst(app, ["f2", *"Li"])
        await settle(pilot)
        assert app.screen is reception and reception.query_one("#name").value == "Li"


async def test_an_f_key_under_a_question_waits_for_the_answer(sqlite_store, clock, tmp_path):
    """Under a modal (here: discard what was typed?) an F-key opens nothing, as before."""
    from deskconsole.ui.modals.confirm import ConfirmModal

    async with at_reception(sqlite_store, clock, tmp_path) as (app, pilot):
        reception = app.screen
        burst(app, [*"Wang", "escape", "f4"])
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal) and app.current_mode == "reception"
        burst(app, ["n"])
        await settle(pilot)
        assert app.screen is reception and reception.query_one("#name").value == "Wang"


async def test_keys_held_behind_an_f_key_a_widget_takes_are_let_go(
        sqlite_store, clock, tmp_path, monkeypatch):
    """A widget that takes the F-key for itself: the keys typed after it are not lost, they go
    where the focus is at once."""
    from deskconsole.ui.widgets.form import FormInput
    from tests.ui.test_forms import _until

    def on_key(self, event) -> None:
        if event.key == "f4":
            event.stop()

    async with at_reception(sqlite_store, clock, tmp_path) as (app, pilot):
        reception = app.screen
        monkeypatch.setattr(FormInput, "on_key", on_key, raising=False)
        burst(app, ["f4", *"Li"])
        assert await _until(pilot, lambda: reception.query_one("#name").value == "Li")
        assert app.screen is reception


async def test_keys_typed_after_skipping_the_self_check_go_to_the_form_it_uncovers(
        sqlite_store, clock, tmp_path):
    """Esc, y (skip the self-check) and a name with Ctrl+S typed at once: the skip is saved
    while the name is typed; the name goes to the check-in form, not to the closing checklist."""
    from tests.ui.helpers import sign_on

    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot, self_check="keep")
        burst(app, ["escape", "y", "f2", *"a[/b]", "ctrl+s"])
        for _ in range(4):
            await settle(pilot)
        assert isinstance(app.screen, ReceptionScreen)
        with sqlite_store.read() as s:
            assert [v.name for v in s.execute(select(Visit)).scalars()] == ["a[/b]"]


@pytest.mark.parametrize("machine", ["quick", "slow"])
async def test_answering_the_phone_in_a_burst_puts_the_keys_before_in_the_form_and_after_in_the_call(
        sqlite_store, clock, tmp_path, monkeypatch, machine):
    """F7 acts in its turn: the name typed before it stays in the check-in form; the caller's
    name typed right after it waits for the call form instead of going into the form behind.
    A hold's time limit is counted on the console's clock, not by how long the machine takes:
    in CI (two test workers and a wheel build on two cores) the answer took longer than the
    limit and "Chen" went into the visitor form. "slow": every wall-clock timer of the hold is
    due at once, and the console's clock stands still."""
    from deskconsole.ui.key_order import KeyOrder
    from deskconsole.ui.modals.call_form import CallFormModal
    from tests.ui.test_phone import tick

    if machine == "slow":
        monkeypatch.setattr(KeyOrder, "HOLD_AT_MOST", 0.0001)
        monkeypatch.setattr(KeyOrder, "SURE_AFTER", 0.0001)
    async with at_reception(sqlite_store, clock, tmp_path) as (app, pilot):
        reception = app.screen
        burst(app, ["f7"])  # the phone rings
        await settle(pilot)
        await tick(pilot, clock, 3)
        burst(app, [*"Wa", "f7", *"Chen"])
        for _ in range(3):
            await settle(pilot)
        assert isinstance(app.screen, CallFormModal)
        assert app.screen.values()["caller_name"] == "Chen"
        assert reception.query_one("#name").value == "Wa"


async def test_ctrl_s_on_a_modal_form_saves_the_text_typed_just_before_it(sqlite_store, clock, tmp_path):
    """Ctrl+S on a modal form acts as soon as Textual reads it (a priority key); it now waits
    until the field has taken the text typed before it. The expected-visit form saved nothing
    (and the end-of-shift handover note was saved empty)."""
    from deskconsole.models import ExpectedVisit
    from deskconsole.ui.modals.expected import ExpectedModal

    async with at_reception(sqlite_store, clock, tmp_path) as (app, pilot):
        burst(app, ["ctrl+t"])
        await settle(pilot)
        assert isinstance(app.screen, ExpectedModal)
        burst(app, [*"23:30", "tab", *"Diao", "ctrl+s"])
        for _ in range(3):
            await settle(pilot)
        with sqlite_store.read() as s:
            assert [v.name for v in s.execute(select(ExpectedVisit)).scalars()] == ["Diao"]


async def test_tab_waits_its_turn_behind_held_keys(sqlite_store, clock, tmp_path):
    """Tab moves the focus as it is read, but not past keys still waiting: the name typed
    before it goes to the name, the phone after it to the phone."""
    async with at_reception(sqlite_store, clock, tmp_path) as (app, pilot):
        reception = app.screen
        saving = app.hold_keys()
        burst(app, [*"Li", "tab", "tab", *"138"])
        await settle(pilot)
        app.release_keys(saving)
        await settle(pilot)
        assert (reception.query_one("#name").value, reception.query_one("#phone").value) == ("Li", "138")


async def test_a_hold_ends_by_its_own_release_or_its_time_limit_only(sqlite_store, clock, tmp_path, monkeypatch):
    """An earlier hold's late timer does not end a new hold; a hold nobody releases (a save
    whose form closed first) ends by itself, and the keys go on."""
    from deskconsole.ui.key_order import KeyOrder
    from tests.ui.test_forms import _until

    async with at_reception(sqlite_store, clock, tmp_path) as (app, pilot):
        name = app.screen.query_one("#name")
        monkeypatch.setattr(KeyOrder, "SURE_AFTER", 0.001)
        first = app.hold_keys()
        app.release_keys(first)
        await settle(pilot)
        app.hold_keys()  # never released
        burst(app, [*"Li"])
        for _ in range(5):
            await settle(pilot)
        assert name.value == "" and app.key_order.held
        monkeypatch.setattr(KeyOrder, "HOLD_AT_MOST", 0.001)
        app.hold_keys()  # this one's time limit lets all of them go, once it has passed
        burst(app, ["u"])
        for _ in range(5):
            await settle(pilot)
        assert name.value == ""  # the console's clock has not moved
        clock.advance(3)
        assert await _until(pilot, lambda: name.value == "Liu")


async def test_keys_typed_right_after_the_unlock_pin_reach_the_desk(sqlite_store, clock, tmp_path):
    """Back from a break: PIN, Enter, and straight on with the visitor's name. The name went
    into the PIN field of the closing lock (digits) or nowhere (letters)."""
    from deskconsole.ui.screens.lock import LockScreen

    async with at_reception(sqlite_store, clock, tmp_path) as (app, pilot):
        reception = app.screen
        burst(app, ["ctrl+l"])
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        burst(app, [*"2468", "enter", *"Wang8"])
        for _ in range(3):
            await settle(pilot)
        assert app.screen is reception and not app.locked
        assert reception.query_one("#name").value == "Wang8"


async def test_a_wrong_unlock_pin_keeps_the_lock_and_drops_what_was_typed_after_it(sqlite_store, clock, tmp_path):
    from deskconsole.ui.screens.lock import LockScreen

    async with at_reception(sqlite_store, clock, tmp_path) as (app, pilot):
        reception = app.screen
        burst(app, ["ctrl+l"])
        await settle(pilot)
        burst(app, [*"1111", "enter", *"Wang"])
        for _ in range(3):
            await settle(pilot)
        lock = app.screen
        assert isinstance(lock, LockScreen) and app.locked
        assert "PIN" in str(lock.query_one("#error-pin").render())
        assert reception.query_one("#name").value == ""
        burst(app, [*"2468", "enter"])
        for _ in range(3):
            await settle(pilot)
        assert app.screen is reception and reception.query_one("#name").value == ""


async def test_the_store_lost_while_unlocking_is_said_at_the_pin_and_enter_tries_again(
        sqlite_store, clock, tmp_path, monkeypatch):
    import sqlite3

    from deskconsole.ui.screens.lock import LockScreen

    async with at_reception(sqlite_store, clock, tmp_path) as (app, pilot):
        burst(app, ["ctrl+l"])
        await settle(pilot)
        check = app.session.check_pin

        def lost(pin):
            raise sqlite3.OperationalError("unable to open database file")

        monkeypatch.setattr(app.session, "check_pin", lost)
        burst(app, [*"2468", "enter"])
        for _ in range(3):
            await settle(pilot)
        lock = app.screen
        assert isinstance(lock, LockScreen)
        assert "unreachable" in str(lock.query_one("#error-pin").render())
        monkeypatch.setattr(app.session, "check_pin", check)
        burst(app, [*"2468", "enter"])
        for _ in range(3):
            await settle(pilot)
        assert not app.locked


async def test_the_callers_name_typed_after_the_unlock_pin_goes_to_the_call_answered_while_locked(
        sqlite_store, clock, tmp_path):
    """F7 answers at a locked desk; the call form opens once the PIN is given, after the keys
    typed after the PIN had been handed to the desk (they were lost)."""
    from deskconsole.ui.modals.call_form import CallFormModal
    from deskconsole.ui.screens.lock import LockScreen
    from tests.ui.test_phone import tick

    async with at_reception(sqlite_store, clock, tmp_path) as (app, pilot):
        reception = app.screen
        burst(app, ["ctrl+l"])
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        await pilot.press("f7")
        await tick(pilot, clock, 3)
        await pilot.press("f7")  # answered: the form waits for the PIN
        await tick(pilot, clock, 1)
        burst(app, [*"2468", "enter", *"Chen"])
        for _ in range(4):
            await settle(pilot)
        assert isinstance(app.screen, CallFormModal)
        assert app.screen.values()["caller_name"] == "Chen" and reception.query_one("#name").value == ""


async def test_enter_typed_after_the_unlock_pin_goes_on_with_the_keys_around_it(sqlite_store, clock, tmp_path):
    async with at_reception(sqlite_store, clock, tmp_path) as (app, pilot):
        reception = app.screen
        burst(app, ["ctrl+l"])
        await settle(pilot)
        burst(app, [*"2468", "enter", *"Li", "enter", "enter", *"139"])
        for _ in range(4):
            await settle(pilot)
        assert (reception.query_one("#name").value, reception.query_one("#phone").value) == ("Li", "139")
