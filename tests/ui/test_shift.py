"""Shift (F6) by keys only: the live summary with figures that miss the standard marked,
closing a shift with open items, the next operator acknowledging the handover (DOMAIN §6),
and picking a day by keys with a bad date refused at its field."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Static

from deskconsole.models import Call, Shift, Ticket, Visit
from deskconsole.ui.modals.handover import HandoverAckModal, HandoverCloseModal
from deskconsole.ui.modals.period_pick import PeriodModal
from deskconsole.ui.screens.shift import ShiftScreen
from deskconsole.ui.screens.signon import SignOnScreen
from tests.ui.helpers import build_app, seed_operator, settle, sign_on, type_text


async def skip_self_check_if_offered(pilot) -> None:
    """The etiquette feature offers a self-check after sign-on; skipping it is its own keys."""
    await settle(pilot)  # the sign-on steps run after the next refresh
    if type(pilot.app.screen).__name__ == "SelfCheckModal":
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)


def open_items_for(store, actor, clock) -> None:
    now = clock.now()
    st = actor.stamps()

    def work(s):
        s.add(Visit(arrived_at=now, status="in_building", name="王", unit="3-1201", **st))
        s.add(Ticket(kind="repair", status="new", created_at=now, updated_at=now, first_owner_id=actor.operator_id,
                     shift_id=actor.shift_id, desk_id=actor.desk_id, customer_name="钱", due_at=now + timedelta(hours=4)))
        s.add(Call(started_at=now, status="missed", ended_at=now + timedelta(seconds=20), phone="13800138000", **st))
        s.add(Call(started_at=now, answered_at=now + timedelta(seconds=18), answer_seconds=18.0, within_limit=False,
                   status="ended", **st))

    store.write(work)


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_closing_a_shift_with_open_items_and_the_next_operator_acknowledging(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    seed_operator(sqlite_store, clock, staff_no="102", name="张伟")
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await skip_self_check_if_offered(pilot)
        open_items_for(sqlite_store, app.actor, clock)
        first = app.actor
        clock.advance(3600)
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, ShiftScreen)
        calls = {label: (value, red) for label, value, red in app.screen.query_one("#section-calls").lines}
        assert calls["! Answered in 3 rings (%)"] == ("0.0", True)  # DOMAIN §2: misses stand out
        assert calls["! Missed"] == ("1", True) and calls["Incoming"] == ("2", False)
        assert calls["! Service level (%)"] == ("0.0", True)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, HandoverCloseModal)
        assert app.screen.items.counts() == {"visitor": 1, "ticket": 1, "follow_up": 0, "missed_call": 1,
                                             "expected": 0, "key_overdue": 0, "item_out": 0}
        await type_text(pilot, "钥匙在抽屉里")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SignOnScreen) and app.actor is None
        with sqlite_store.read() as s:
            assert s.get(Shift, first.shift_id).handover_note == "钥匙在抽屉里"
        clock.advance(300)
        await sign_on(pilot, "102", "2468")
        assert isinstance(app.screen, HandoverAckModal)
        assert "钥匙在抽屉里" in str(app.screen.query_one("#ack-note", Static).render())
        await pilot.press("enter")
        await settle(pilot)
        await skip_self_check_if_offered(pilot)
        assert not isinstance(app.screen, HandoverAckModal) and app.actor.staff_no == "102"
        with sqlite_store.read() as s:
            new = s.get(Shift, app.actor.shift_id)
            assert new.prev_shift_id == first.shift_id and new.handover_ack_at == clock.now()
        clock.advance(60)
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, ShiftScreen) and app.screen.period.shift_id == app.actor.shift_id
        assert [h["staff_no"] for h in app.screen.data["handover"]] == ["102"]


async def test_escape_leaves_the_shift_open(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="zh-CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_on(pilot)
        await skip_self_check_if_offered(pilot)
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, HandoverCloseModal)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ShiftScreen) and app.actor is not None
        with sqlite_store.read() as s:
            assert s.get(Shift, app.actor.shift_id).ended_at is None


async def test_a_day_is_picked_by_keys_and_a_bad_date_is_refused_at_its_field(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await skip_self_check_if_offered(pilot)
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, PeriodModal)
        for _ in range(10):
            await pilot.press("backspace")
        await type_text(pilot, "2026-11-32")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "is not a date" in str(app.screen.query_one("#error-date").render())
        await pilot.press("backspace", "backspace", "2", "5", "enter")  # 2026-11-25, then From
        await type_text(pilot, "22:00")
        await pilot.press("enter")
        await type_text(pilot, "06:00")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ShiftScreen)
        period = app.screen.period
        assert period.kind == "day" and (period.end - period.start) == timedelta(hours=8)
        assert "2026-11-25 22:00 - 2026-11-26 06:00" in str(app.screen.query_one("#shift-title").render())
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert app.screen.period.end == period.start
        await pilot.press("t")
        await settle(pilot)
        assert app.screen.period.shift_id == app.actor.shift_id


async def test_a_supervisor_closes_a_shift_left_open_from_the_shift_list(sqlite_store, clock, tmp_path):
    from deskconsole.services import operators, shifts
    from deskconsole.ui.modals.confirm import ConfirmModal
    from deskconsole.ui.modals.period_pick import ShiftPickModal

    seed_operator(sqlite_store, clock, staff_no="001", name="王芳", role="supervisor", pin="135790")
    left = sqlite_store.write(lambda s: shifts.sign_on(
        s, operators.create_operator(s, staff_no="103", name="赵敏", role="receptionist", pin="2468",
                                     now=clock.now()), desk_name="desk-1", clock=clock))
    clock.advance(3600)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot, "001", "135790")
        await skip_self_check_if_offered(pilot)
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, ShiftPickModal)
        await pilot.press("down")  # the newest first: the supervisor's own, then 103's left open
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ShiftPickModal)
    with sqlite_store.read() as s:
        shift = s.get(Shift, left.shift_id)
    assert shift.closed_by == "001" and shift.ended_at is not None
