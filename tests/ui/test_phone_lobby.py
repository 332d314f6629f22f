"""The phone on the lobby floor, by keys (DOMAIN §2): the ring is never hidden and no phone key
is lost, locked or not, under the command palette or a hidden call form; a missed call gets
the number from the phone's display; "ticket opened" needs a ticket (DOMAIN §3)."""

from sqlalchemy import select

from deskconsole.models import Ticket
from deskconsole.ui.controllers.phone import TICK_SECONDS
from deskconsole.ui.modals.call_form import CallFormModal
from deskconsole.ui.modals.confirm import ConfirmModal
from deskconsole.ui.modals.missed_number import MissedNumberModal
from deskconsole.ui.modals.ticket_form import TicketFormModal
from deskconsole.ui.screens.lock import LockScreen
from deskconsole.ui.widgets.ring_timer import RingTimer
from tests.ui.helpers import build_app, seed_operator, settle, sign_on, type_text
from tests.ui.test_phone import calls, tick


def bar_text(app) -> str:
    """What the ringing bars seen now say (the top screen and the ones seen through it)."""
    return " / ".join(str(t.render()) for s in app.screen_stack if s.is_current for t in s.query(RingTimer))


async def pin(pilot, digits: str = "2468") -> None:
    await type_text(pilot, digits)
    await pilot.press("enter")
    await settle(pilot)


# -- 1: the lock ---------------------------------------------------------------------------
async def test_the_console_never_locks_itself_while_a_line_rings_or_a_call_is_live(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, idle_lock_minutes=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await pilot.press("f7")
        await tick(pilot, clock, 65)
        app.session.check_idle()
        await settle(pilot)
        assert not app.locked
        await pilot.press("f7")  # answered; nobody types during the call
        await tick(pilot, clock, 120)
        app.session.check_idle()
        await settle(pilot)
        assert not app.locked and isinstance(app.screen, CallFormModal)


async def test_phone_keys_work_while_locked_and_the_form_opens_once_the_pin_is_given(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        await pilot.press("f7")  # the phone rings at a locked desk
        await tick(pilot, clock, 4.5)
        assert "RINGING 4.5 s" in bar_text(app)  # the ring bar is drawn on the lock screen
        await pilot.press("f7")  # picked up at 4.5 s: the time is taken at the key
        await tick(pilot, clock, 30)
        [call] = calls(sqlite_store)
        assert (call.status, call.rings, call.within_limit) == ("answered", 1, True)
        assert isinstance(app.screen, LockScreen)  # no caller's form before the PIN
        await pin(pilot)
        assert isinstance(app.screen, CallFormModal) and app.screen.call_id == call.id


async def test_f8_and_shift_f7_while_locked_are_recorded_and_the_number_asked_after_unlock(
        sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        await pilot.press("f7")
        await tick(pilot, clock, 2)
        await pilot.press("shift+f7")
        await tick(pilot, clock, 20)
        await pilot.press("f8")  # line 1 hung up at 22 s: ring 5
        await settle(pilot)
        first, second = calls(sqlite_store)
        assert (first.status, first.rings, second.status) == ("missed", 5, "ringing")
        await pin(pilot)
        assert isinstance(app.screen, MissedNumberModal)


# -- 2: the command palette ----------------------------------------------------------------
async def test_the_ring_bar_keeps_counting_while_the_command_palette_is_open(sqlite_store, clock, tmp_path):
    from textual.command import CommandPalette

    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await pilot.press("f7")
        await tick(pilot, clock, 1.2)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        clock.advance(10)  # the ticker's own interval, not a hand-driven tick, must show it
        for _ in range(50):
            await pilot.pause(TICK_SECONDS)
            if "11.2 s" in screen_text(app):
                break
        assert "RINGING 11.2 s - ring 3" in screen_text(app)


def screen_text(app) -> str:
    import html
    import re

    svg = app.export_screenshot()
    return html.unescape(" ".join(re.findall(r">([^<]*)</text>", svg))).replace("\xa0", " ")


# -- 3: the hidden call form ---------------------------------------------------------------
async def test_f7_during_a_call_brings_back_its_hidden_form_and_starts_no_second_line(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await pilot.press("f7")
        await tick(pilot, clock, 3)
        await pilot.press("f7")
        await settle(pilot)
        await type_text(pilot, "Wang")
        await pilot.press("escape")  # hidden, kept with the line
        await tick(pilot, clock, 5)
        assert not isinstance(app.screen, CallFormModal)
        assert "F7 form" in bar_text(app)  # the bar says how to get it back
        await pilot.press("f7")
        await tick(pilot, clock, 0)
        assert isinstance(app.screen, CallFormModal)
        assert app.screen.query_one("#caller_name").value == "Wang"
        assert "F7 form" not in bar_text(app)
        await pilot.press("f7")  # the form is open: still no phantom line
        await settle(pilot)
        assert len(calls(sqlite_store)) == 1
        await pilot.press("shift+f7")  # another line really rings
        await settle(pilot)
        assert [c.line for c in calls(sqlite_store)] == ["1", "2"]


# -- 4: the number of a missed call --------------------------------------------------------
async def test_f8_asks_for_the_number_on_the_display_for_the_callback(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock, role="supervisor", pin="135790")
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot, pin="135790")
        await pilot.press("f7")
        await tick(pilot, clock, 16)
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(app.screen, MissedNumberModal)
        await type_text(pilot, "138 0013 8000")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, MissedNumberModal)
        [call] = calls(sqlite_store)
        assert (call.status, call.phone) == ("missed", "13800138000")
        await pilot.press("f3")
        await settle(pilot)
        assert "13800138000" in screen_text(app)


async def test_enter_on_an_empty_number_skips_it(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await pilot.press("f7")
        await tick(pilot, clock, 16)
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, MissedNumberModal)
        [call] = calls(sqlite_store)
        assert (call.status, call.phone) == ("missed", None)


# -- 5: "ticket opened" needs a ticket (DOMAIN §3) ----------------------------------------
async def end_call_with_ticket_outcome(pilot, clock) -> None:
    await pilot.press("f7")
    await tick(pilot, clock, 3)
    await pilot.press("f7")
    await settle(pilot)
    await type_text(pilot, "Wang")
    await pilot.press("enter", "down", "enter")  # honorific
    await pilot.press("enter", "enter")  # phone, unit left blank
    await pilot.press("down", "enter")  # category: the first
    await pilot.press("down", "down", "enter")  # outcome: ticket opened
    await pilot.press("f9")
    await settle(pilot)


async def test_a_ticket_form_from_a_call_asks_before_discarding_and_the_call_keeps_no_outcome(
        sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await end_call_with_ticket_outcome(pilot, clock)
        assert isinstance(app.screen, TicketFormModal)
        await pilot.press("escape")  # one Esc does not lose the caller's request
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, TicketFormModal)
        await pilot.press("escape", "y")
        await settle(pilot)
        assert not isinstance(app.screen, TicketFormModal)
        [call] = calls(sqlite_store)
        assert call.status == "ended" and call.outcome is None  # not "ticket opened": there is none


async def test_a_call_is_ticket_opened_once_its_ticket_is_saved(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await end_call_with_ticket_outcome(pilot, clock)
        assert isinstance(app.screen, TicketFormModal)
        await type_text(pilot, "Leak in the kitchen")
        await pilot.press("ctrl+s")
        await settle(pilot)
        [call] = calls(sqlite_store)
        with sqlite_store.read() as s:
            tickets = list(s.execute(select(Ticket.id).where(Ticket.call_id == call.id)).scalars())
        assert len(tickets) == 1 and call.outcome == "ticket"


# -- 6: the greeting -----------------------------------------------------------------------
async def test_the_greeting_says_hello_and_the_operators_name(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="zh-CN")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await pilot.press("f7", "f7")
        await settle(pilot)
        greeting = str(app.screen.query_one("#call-greeting").render())
        assert "您好,Harbour View,我是李娜" in greeting and "工号" not in greeting


async def test_a_company_may_add_the_staff_number_to_the_greeting(sqlite_store, clock, tmp_path):
    data = tmp_path / "home" / "data"
    data.mkdir(parents=True)
    from deskconsole.paths import data_file

    shipped = data_file("reception_scripts.toml").read_text(encoding="utf-8")
    (data / "reception_scripts.toml").write_text(
        shipped.replace("greeting_staff_no = false", "greeting_staff_no = true"), encoding="utf-8")
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="zh-CN")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await pilot.press("f7", "f7")
        await settle(pilot)
        assert "我是李娜,工号101" in str(app.screen.query_one("#call-greeting").render())


# -- 7: the call-centre figures side by side -----------------------------------------------
async def test_f3_shows_the_service_level_beside_the_answered_only_figure_marked_when_calls_were_missed(
        sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await sign_on(pilot)
        await pilot.press("f7")
        await tick(pilot, clock, 3)
        await pilot.press("f7")
        await settle(pilot)
        await pilot.press("escape")
        await pilot.press("f3")
        await settle(pilot)
        line = str(app.screen.query_one("#phone-figures").render())
        assert "service level 100.0% |" in line and "abandoned 0.0% |" in line
        await pilot.press("shift+f7")
        await tick(pilot, clock, 80)  # line 2 rings 80 s, then the caller gives up
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("escape")  # no number on the display
        await settle(pilot)
        app.screen.refresh_view()
        await settle(pilot)
        line = str(app.screen.query_one("#phone-figures").render())
        # one answered within three rings, one missed: 100 % of the answered, 50 % of all
        assert "service level 50.0% !" in line and "answered in 3 rings 100.0% !" in line
        assert "abandoned 50.0% !" in line
        assert "longest ring 80.0 s" in line
