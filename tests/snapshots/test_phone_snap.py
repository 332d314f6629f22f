"""Snapshots (DOMAIN §2): the ringing bar in each colour (calm rings 1-2, warning at ring 3,
alarm after), the call form, and the Phone screen's register at 100x30 and 80x24 in both
languages. The clock is fake, so every number on screen is fixed."""

import pytest

from deskconsole.cadence import PRESETS
from deskconsole.services import calls as phone_service
from deskconsole.services import handover, shifts
from deskconsole.services.operators import authenticate_in
from deskconsole.services.ring_lines import PhoneEvents
from deskconsole.services.sla import rules_from
from deskconsole.services.tickets import create_ticket
from tests.conftest import make_config
from tests.ui.helpers import build_app, seed_operator, settle, sign_on, type_text


def seed_register(store, clock, tmp) -> None:
    """A morning at the desk: answered within and after three rings, a message, a missed call
    not yet returned, and a callback of an earlier missed call."""
    seed_operator(store, clock, staff_no="102", name="赵敏", pin="1111")
    op = authenticate_in(store, staff_no="102", pin="1111", now=clock.now())
    actor = store.write(lambda s: shifts.sign_on(s, op, desk_name="Lobby-1", clock=clock))
    ev = PhoneEvents(store, lambda: actor, PRESETS["cn"], 3)
    rows = [
        (6.0, "王", "mr", "13800138000", "3-1201", "repair", "resolved", ""),
        (17.5, "李", "ms", "01065528888", "5-0802", "complaint", "ticket", ""),
        (3.2, "陈", "miss", "13912345678", "2-0301", "message", "message", "001"),
    ]
    for ring_s, name, hon, number, unit, cat, outcome, message_for in rows:
        live = ev.ring()
        clock.advance(ring_s)
        ev.answer()
        clock.advance(80)
        ev.hang_up(live.call_id)
        details = phone_service.CallDetails(caller_name=name, honorific=hon, phone=number, unit=unit,
                                            category=cat, outcome=outcome, message_for=message_for,
                                            summary="")
        store.write(lambda s, i=live.call_id, d=details: phone_service.save_details(s, actor, i, d))
        if outcome == "ticket":  # DOMAIN §3: "ticket opened" once the ticket exists
            store.write(lambda s, i=live.call_id, who=name: create_ticket(
                s, actor, kind="complaint", customer_name=who, description="-", source="call", call_id=i,
                rules=rules_from(make_config(tmp))))
            store.write(lambda s, i=live.call_id: phone_service.ticket_opened(s, actor, i))
        clock.advance(600)
    earlier = ev.ring()
    clock.advance(12)
    ev.missed()
    clock.advance(120)
    store.write(lambda s: phone_service.log_outgoing(s, actor, phone="13700001111", caller_name="周",
                                                     honorific="mr", returns_call_id=earlier.call_id))
    ev.ring()
    clock.advance(31)
    ev.missed()
    clock.advance(300)


@pytest.mark.parametrize(("level", "seconds"), [("calm", 4.2), ("warning", 12.6), ("alarm", 21.0)])
def test_ringing_bar_colour(snap_compare, sqlite_store, clock, tmp_path, level, seconds):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="zh-CN")

    async def run_before(pilot):
        await sign_on(pilot)
        await pilot.press("f3")
        await pilot.press("f7")
        if level == "alarm":
            clock.advance(10)
            await pilot.press("shift+f7")  # a second line rings: ring 3 (warning) while line 1 is at ring 5
            clock.advance(seconds - 10)
        else:
            clock.advance(seconds)
        pilot.app.phone_controller.tick()
        pilot.app.clear_notifications()
        await settle(pilot)
        pilot.app.phone_controller.tick()
        await settle(pilot)

    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)


@pytest.mark.parametrize("size", [(100, 30), (80, 24)], ids=["100x30", "80x24"])
@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_phone_register(snap_compare, sqlite_store, clock, tmp_path, language, size):
    seed_register(sqlite_store, clock, tmp_path)
    op = seed_operator(sqlite_store, clock)
    # 101 has taken over 102's desk and read the handover: the register is what shows next
    sqlite_store.write(lambda s: handover.acknowledge(s, shifts.sign_on(s, op, desk_name="Lobby-1", clock=clock)))
    app = build_app(sqlite_store, clock, tmp_path, language=language)

    async def run_before(pilot):
        await sign_on(pilot)
        await pilot.press("f3")
        pilot.app.clear_notifications()
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_call_form_at_80x24(snap_compare, sqlite_store, clock, tmp_path, language):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language=language)

    async def run_before(pilot):
        await sign_on(pilot)
        await pilot.press("f3", "f7")
        clock.advance(7.5)
        await pilot.press("f7")
        await settle(pilot)
        await type_text(pilot, "王")
        clock.advance(42)
        pilot.app.phone_controller.tick()
        pilot.app.clear_notifications()
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_lock_screen_shows_the_ringing_line_at_80x24(snap_compare, sqlite_store, clock, tmp_path, language):
    # DOMAIN §2: a locked desk still sees the phone ring; F7 / F8 work before the PIN.
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language=language)

    async def run_before(pilot):
        await sign_on(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        await pilot.press("f7")
        clock.advance(8.4)
        pilot.app.phone_controller.tick()
        pilot.app.clear_notifications()
        await settle(pilot)
        pilot.app.phone_controller.tick()
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_missed_call_number_at_80x24(snap_compare, sqlite_store, clock, tmp_path, language):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language=language)

    async def run_before(pilot):
        await sign_on(pilot)
        await pilot.press("f3", "f7")
        clock.advance(21)
        await pilot.press("f8")
        await settle(pilot)
        await type_text(pilot, "138")
        pilot.app.clear_notifications()
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
