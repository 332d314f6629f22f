"""The console outlives the store: a save that meets a full disk or a lost database keeps the
form as typed, says what happened in one line, and saves once on Ctrl+S after recovery; the
poll says when the store is back; sign-on says a full store where the operator looks."""

import sqlite3

import pytest
from sqlalchemy import event, select
from textual.widgets import Input

from deskconsole.models import Call, Visit
from deskconsole.ui.modals.call_form import CallFormModal
from deskconsole.ui.screens.phone import PhoneScreen
from deskconsole.ui.screens.signon import SignOnScreen
from deskconsole.ui.store_work import STORE_NOTE
from tests.ui.helpers import build_app, seed_operator, settle, sign_on, type_text
from tests.ui.test_reception import open_reception

WRITES = ("INSERT", "UPDATE", "DELETE")


class Fault:
    """A store that fails on demand: `disk_full` refuses writes as SQLite does when the disk
    is full; `unreachable` refuses every statement as a lost server does."""

    def __init__(self, store) -> None:
        self.mode: str | None = None
        self.store = store
        event.listen(store.engine, "before_cursor_execute", self._check)

    def _check(self, conn, cursor, statement, params, context, executemany) -> None:
        if self.mode == "disk_full" and statement.lstrip().upper().startswith(WRITES):
            raise sqlite3.OperationalError("database or disk is full")
        if self.mode == "unreachable":
            if self.store.is_sqlite:
                raise sqlite3.OperationalError("unable to open database file")
            import psycopg

            raise psycopg.OperationalError("server closed the connection unexpectedly")

    def remove(self) -> None:
        event.remove(self.store.engine, "before_cursor_execute", self._check)


def notes(widget) -> list[str]:
    return [str(label.render()) for label in widget.query(f".{STORE_NOTE}")]


def shown_messages(app) -> list[str]:
    return [str(m.text.plain) for m in app.messages.entries]


def rows(store, model):
    with store.read() as s:
        return list(s.execute(select(model).order_by(model.id)).scalars())


async def test_a_full_disk_keeps_the_check_in_form_and_ctrl_s_saves_it_once_after(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    fault = Fault(sqlite_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        screen = app.screen
        await type_text(pilot, "Wang Wei")
        await pilot.press("enter", "enter")
        await type_text(pilot, "13800138000")
        fault.mode = "disk_full"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.is_running and app.screen is screen
        assert screen.query_one("#name", Input).value == "Wang Wei"
        assert screen.query_one("#phone", Input).value == "13800138000"
        assert notes(screen) == ["Disk full — free space, then Ctrl+S"]
        assert not any("Unexpected" in m for m in shown_messages(app))
        assert rows(sqlite_store, Visit) == []
        fault.mode = None
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert notes(screen) == []
        assert screen.query_one("#name", Input).value == ""
    [visit] = rows(sqlite_store, Visit)
    assert (visit.name, visit.phone) == ("Wang Wei", "13800138000")


async def test_a_store_lost_while_typing_a_visitor_keeps_the_console_and_the_form(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    fault = Fault(sqlite_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        screen = app.screen
        fault.mode = "unreachable"
        await type_text(pilot, "Wang Wei")
        await pilot.press("tab", "tab")  # leaving the name looks up a returning visitor: a read
        await type_text(pilot, "13800138000")
        await pilot.press("tab")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.is_running and app.screen is screen
        assert (screen.query_one("#name", Input).value, screen.query_one("#phone", Input).value) == \
            ("Wang Wei", "13800138000")
        assert notes(screen) == ["Store unreachable — nothing lost, retrying; Ctrl+S again when it is back"]
        fault.mode = None
        await pilot.press("ctrl+s")
        await pilot.press("ctrl+s")  # a second press while the first saves is ignored: one record
        await settle(pilot)
    [visit] = rows(sqlite_store, Visit)
    assert (visit.name, visit.phone) == ("Wang Wei", "13800138000")


async def test_a_lost_store_keeps_the_call_form_the_poll_says_when_it_is_back(store, clock, tmp_path):
    seed_operator(store, clock)
    app = build_app(store, clock, tmp_path)
    fault = Fault(store)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await sign_on(pilot)
            await pilot.press("f3")
            await settle(pilot)
            assert isinstance(app.screen, PhoneScreen)
            await pilot.press("o")
            await settle(pilot)
            form = app.screen
            assert isinstance(form, CallFormModal)
            await type_text(pilot, "Liu")
            await pilot.press("tab", "tab")
            await type_text(pilot, "13912345678")
            fault.mode = "unreachable"
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.is_running and app.screen is form
            assert form.query_one("#caller_name", Input).value == "Liu"
            assert form.query_one("#phone", Input).value == "13912345678"
            assert notes(form) == ["Store unreachable — nothing lost, retrying; Ctrl+S again when it is back"]
            assert app.store_watch.down == "unreachable"
            app.store_watch.poll()  # backing off: the first tick after a failure is skipped
            app.store_watch.poll(force=True)
            await settle(pilot)
            assert app.store_watch.down == "unreachable"
            assert "Store is back — Ctrl+S saves what is waiting" not in shown_messages(app)
            fault.mode = None
            app.store_watch.poll(force=True)
            await settle(pilot)
            assert app.store_watch.down is None
            assert "Store is back — Ctrl+S saves what is waiting" in shown_messages(app)
            assert not any("Unexpected" in m for m in shown_messages(app))
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert not isinstance(app.screen, CallFormModal)
    finally:
        fault.remove()
    [call] = rows(store, Call)
    assert (call.caller_name, call.phone, call.direction) == ("Liu", "13912345678", "out")


async def test_the_poll_backs_off_while_the_store_is_away(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        watch = app.store_watch
        skipped = []
        for _ in range(4):
            watch.lost("unreachable")
            skipped.append(watch._skip)
        assert skipped == [1, 2, 4, 8]
        for _ in range(20):
            watch.lost("unreachable")
        assert (watch._skip + 1) * 2 <= 30  # never more than 30 s between tries


@pytest.mark.parametrize(("mode", "said"), [
    ("disk_full", "Disk full — cannot sign on until space is freed"),
    ("unreachable", "Store unreachable — cannot sign on now; retrying")])
async def test_sign_on_with_a_full_or_lost_store_says_so_on_the_sign_on_screen(sqlite_store, clock, tmp_path,
                                                                               mode, said):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    fault = Fault(sqlite_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        fault.mode = mode
        await type_text(pilot, "101")
        await pilot.press("enter")
        await type_text(pilot, "2468")
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, SignOnScreen)
        assert str(app.screen.query_one("#signon-status").render()) == said
        fault.mode = None
        await type_text(pilot, "2468")
        await pilot.press("enter")
        await settle(pilot)
        assert app.actor is not None


async def test_a_store_that_could_not_be_opened_is_tried_again_and_sign_on_says_when_it_is_back(clock, tmp_path):
    from deskconsole.db.store import Store, StoreError

    url = f"sqlite:///{tmp_path / 'desk.db'}"
    seeded = Store(url).open()
    seed_operator(seeded, clock)
    seeded.close()
    store = Store(url)
    real_open, tries = store.open, []

    def open_after_a_failure(*args, **kwargs):
        tries.append(1)
        if len(tries) == 1:
            raise StoreError("database server: connection refused")
        return real_open(*args, **kwargs)

    store.open = open_after_a_failure
    app = build_app(store, clock, tmp_path)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            for _ in range(5000):  # the console opens its store a moment after the first frame
                if tries:
                    break
                await pilot.pause()
            await settle(pilot)
            assert "connection refused" in str(app.screen.query_one("#signon-status").render())
            app.store_watch.poll()  # backing off: the first tick after the failure is skipped
            await settle(pilot)
            assert len(tries) == 1
            app.store_watch.poll()
            await settle(pilot)
            assert len(tries) == 2 and store.is_open and app.store_error is None
            assert str(app.screen.query_one("#signon-status").render()) == ""
            assert "Store is back — Ctrl+S saves what is waiting" in shown_messages(app)
            await sign_on(pilot)
            assert app.actor is not None
    finally:
        store.close()


async def test_a_callback_asked_for_while_the_store_is_away_leaves_the_console_running(sqlite_store, clock, tmp_path):
    from deskconsole.services import shifts

    op = seed_operator(sqlite_store, clock)

    def missed(s):
        actor = shifts.sign_on(s, op, desk_name="Lobby-1", clock=clock)
        s.add(Call(direction="in", status="missed", started_at=clock.now(), ended_at=clock.now(), rings=5,
                   within_limit=False, phone="13800138000", **actor.stamps()))

    sqlite_store.write(missed)
    app = build_app(sqlite_store, clock, tmp_path)
    fault = Fault(sqlite_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, PhoneScreen)
        fault.mode = "unreachable"
        await pilot.press("c")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, PhoneScreen)
        assert app.store_watch.down == "unreachable"
        fault.mode = None
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CallFormModal)
