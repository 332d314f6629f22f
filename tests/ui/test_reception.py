"""Reception by keys only (DOMAIN §1): check-in in Chinese and English,
serve, apology, hand-off, check-out; returning-visitor recall; discard confirmation;
refusals at their field."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from textual.widgets import Input

from deskconsole.models import Visit
from deskconsole.services import reception as rs
from deskconsole.services import shifts
from deskconsole.ui.modals.confirm import ConfirmModal
from deskconsole.ui.modals.handoff import HandoffModal
from deskconsole.ui.screens.reception import ReceptionScreen
from deskconsole.ui.widgets.script_panel import ScriptPanel
from tests.ui.helpers import build_app, seed_operator, settle, sign_on, type_text
from tests.ui.screen_text import screen_text


async def open_reception(pilot) -> None:
    """Sign on by keys and pass any sign-on step (handover, self-check) with Esc, as a
    receptionist in a hurry does, until the reception screen shows."""
    await sign_on(pilot)
    for _ in range(4):
        await settle(pilot)
        if isinstance(pilot.app.screen, ReceptionScreen):
            return
        await pilot.press("escape")
        await settle(pilot)
        if isinstance(pilot.app.screen, ConfirmModal):
            await pilot.press("y")
    assert isinstance(pilot.app.screen, ReceptionScreen)


def visits(store):
    with store.read() as s:
        return s.execute(select(Visit).order_by(Visit.id)).scalars().all()


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


async def check_in(pilot, name: str, *, honorific_steps=0, phone="", unit="", host="", note="") -> None:
    """Fill the form field by field with Enter, as a receptionist does; Enter on Note saves."""
    await type_text(pilot, name)
    await pilot.press("enter", *["right"] * honorific_steps, "enter")
    await type_text(pilot, phone)
    await pilot.press("enter")
    await type_text(pilot, unit)
    await pilot.press("enter")
    await type_text(pilot, host)
    await pilot.press("enter", "enter", "enter", "enter")  # purpose, party, level as they are
    await type_text(pilot, note)
    await pilot.press("enter")
    await settle(pilot)


async def test_full_visit_by_keys_in_chinese(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="zh-CN")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        assert isinstance(app.screen, ReceptionScreen)
        await check_in(pilot, "王", honorific_steps=1, phone="138 0013 8000", unit="1-1202",
                       host="张三", note="送文件")
        await check_in(pilot, "李", honorific_steps=3)
        assert [(v.name, v.honorific, v.phone, v.status) for v in visits(sqlite_store)] == [
            ("王", "mr", "13800138000", "waiting"), ("李", "ms", None, "waiting")]
        assert app.screen.query_one("#name", Input).value == ""
        # Both waited three minutes: the apology prompt shows, and Ctrl+G records it.
        clock.advance(181)
        app.screen.refresh_queue()
        await settle(pilot)
        assert "让您久等了" in text_of(app.screen, "#apology-banner")
        assert "王先生" in text_of(app.screen, "#apology-banner")
        await pilot.press("ctrl+g")
        await settle(pilot)
        first = visits(sqlite_store)[0]
        assert first.apology_shown_at is not None and first.apology_ack_at == clock.now()
        # Serve the longest waiting; the row is ready for the hand-off.
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert visits(sqlite_store)[0].status == "in_building"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HandoffModal)
        await pilot.press("right", "right", "right", "enter")  # post: security
        await pilot.press("enter")  # person: keeps the host
        await pilot.press("right", "enter")  # how: radio
        await type_text(pilot, " 蓝色外套")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReceptionScreen)
        v = visits(sqlite_store)[0]
        assert (v.handoff_post, v.handoff_method) == ("security:张三", "radio")
        assert v.handoff_description.endswith("蓝色外套") and "王先生" in v.handoff_description
        # Check out: one key on the row; the farewell names the staff number.
        await pilot.press("o", "y")  # check-out asks first
        await settle(pilot)
        assert visits(sqlite_store)[0].status == "left"
        script = str(app.screen.query_one(ScriptPanel).render())
        assert "王先生,您走好" in script and "工号101" in script


async def test_full_visit_by_keys_in_english_with_a_skip_recorded(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reception(pilot)
        await check_in(pilot, "Smith", honorific_steps=3, phone="+44 20 7946 0958", unit="A-0501")
        clock.advance(20)
        await check_in(pilot, "Jones", honorific_steps=1)
        # Tab from the last field to the queue, down to Jones, Enter serves out of order.
        await pilot.press("shift+tab")
        while not app.screen.focused or app.screen.focused.id != "queue":
            await pilot.press("tab")
        await pilot.press("down", "enter")
        await settle(pilot)
        jones = visits(sqlite_store)[1]
        assert jones.status == "in_building" and jones.served_out_of_order
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert visits(sqlite_store)[1].handoff_method == "phone"
        await pilot.press("o", "y")  # check-out asks first
        await settle(pilot)
        assert visits(sqlite_store)[1].status == "left"
        assert "Goodbye Mr Jones" in str(app.screen.query_one(ScriptPanel).render())
        assert visits(sqlite_store)[0].status == "waiting"


async def test_returning_visitor_details_fill_in_one_key(sqlite_store, clock, tmp_path):
    op = seed_operator(sqlite_store, clock)
    # yesterday, at the other desk (a shift left open at this one would be handed over at sign-on)
    actor = sqlite_store.write(lambda s: shifts.sign_on(s, op, desk_name="Lobby-2", clock=clock))
    sqlite_store.write(lambda s: rs.check_in(s, actor, rs.CheckInForm(
        name="王", honorific="mr", phone="13800138000", unit="1-1202", host="张三", purpose="repair")))
    clock.advance(86400)
    app = build_app(sqlite_store, clock, tmp_path, language="zh-CN")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        await pilot.press("enter", "enter")  # past name and honorific
        await type_text(pilot, "13800138000")
        await pilot.press("enter")
        await settle(pilot)
        assert "老访客" in text_of(app.screen, "#recall-hint")
        await pilot.press("ctrl+r")
        await pilot.press("ctrl+s")
        await settle(pilot)
    new = visits(sqlite_store)[-1]
    assert (new.name, new.honorific, new.unit, new.host, new.purpose) == ("王", "mr", "1-1202", "张三", "repair")
    assert len(visits(sqlite_store)) == 2


@pytest.mark.parametrize("language", ["en", "zh-CN"])
@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_the_returning_visitor_hint_shows_who_and_when_on_screen(sqlite_store, clock, tmp_path, language,
                                                                       size):
    """The hint has two fixed lines: whatever is cut, the visitor and the date of the last visit
    are on screen, at the smallest terminal too (the unit and host come last)."""
    op = seed_operator(sqlite_store, clock)
    actor = sqlite_store.write(lambda s: shifts.sign_on(s, op, desk_name="Lobby-2", clock=clock))
    sqlite_store.write(lambda s: rs.check_in(s, actor, rs.CheckInForm(
        name="欧阳娜娜", honorific="ms", phone="13227926021", unit="A座 14F", host="金桥银行支行",
        purpose="repair")))
    clock.advance(86400)
    app = build_app(sqlite_store, clock, tmp_path, language=language)
    async with app.run_test(size=size) as pilot:
        await open_reception(pilot)
        await pilot.press("enter", "enter")  # past name and honorific
        await type_text(pilot, "13227926021")
        await pilot.press("enter")
        await settle(pilot)
        shown = screen_text(app)
    last = (clock.now() - timedelta(days=1)).astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d")
    assert ("Ms 欧阳" if language == "en" else "欧阳女士") in shown and last in shown, shown


async def test_escape_asks_before_discarding_a_filled_form(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="zh-CN")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        await type_text(pilot, "王")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.query_one("#name", Input).value == "王"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen.query_one("#name", Input).value == ""
    assert visits(sqlite_store) == []


async def test_bad_phone_is_refused_under_the_phone_field_and_the_form_is_kept(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        await check_in(pilot, "Smith", phone="1380013800")
        assert "Not a phone number" in text_of(app.screen, "#error-phone")
        assert app.screen.focused.id == "phone"
        assert app.screen.query_one("#name", Input).value == "Smith"
        await pilot.press("ctrl+s")  # still wrong: still refused
        await settle(pilot)
        assert visits(sqlite_store) == []
        await pilot.press("ctrl+u")
        await type_text(pilot, "13800138000")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert [v.phone for v in visits(sqlite_store)] == ["13800138000"]


async def test_expected_visitor_arrival_prefills_the_form(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="zh-CN")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        await type_text(pilot, "14:30")
        await pilot.press("enter")
        await type_text(pilot, "陈")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.query_one("#expected").row_count == 1
        await pilot.press("shift+tab")
        while app.screen.focused.id != "expected":
            await pilot.press("tab")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#name", Input).value == "陈"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.query_one("#expected").row_count == 0
    assert visits(sqlite_store)[0].expected_id == 1


async def test_roll_call_writes_a_csv_with_bom_from_the_screen(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="zh-CN")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        await check_in(pilot, "王", honorific_steps=1, unit="1-1202")
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("ctrl+b")
        await settle(pilot)
        await pilot.press("c", "p")
        await settle(pilot)
        await pilot.press("escape")
    csv_file = next((tmp_path / "exports").glob("*.csv"))
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbf")
    assert "王先生" in csv_file.read_text(encoding="utf-8-sig")
    assert "在场人员清点" in next((tmp_path / "exports").glob("*.txt")).read_text(encoding="utf-8")


async def test_t_on_a_visitor_inside_records_the_request_and_opens_a_prefilled_ticket(sqlite_store, clock, tmp_path):
    from deskconsole.ui.modals.ticket_form import TicketFormModal

    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="zh-CN")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        await check_in(pilot, "王", honorific_steps=1, phone="13800138000", unit="1-1202", note="厨房漏水")
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TicketFormModal)
        assert app.screen.prefill["visit_id"] == 1 and app.screen.prefill["customer_name"] == "王"
        assert app.screen.prefill["description"] == "厨房漏水"
    assert visits(sqlite_store)[0].request_kind == "inquiry"  # purpose: consultation


async def test_switching_language_keeps_what_was_typed_and_the_lists(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="zh-CN")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        await check_in(pilot, "王", honorific_steps=1)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("escape")  # from the list back to the form
        await type_text(pilot, "李")
        app.language = "en"
        await settle(pilot)
        assert app.screen.query_one("#name", Input).value == "李"
        assert app.screen.query_one("#inside").row_count == 1
        assert "Check-in" in text_of(app.screen, ".heading")


async def test_ctrl_o_checks_out_by_visit_number_and_refuses_one_not_inside(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reception(pilot)
        await check_in(pilot, "Smith")
        await check_in(pilot, "Jones")
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("ctrl+o")
        await type_text(pilot, "2")  # Jones is still waiting
        await pilot.press("enter")
        await settle(pilot)
        assert [v.status for v in visits(sqlite_store)] == ["in_building", "waiting"]
        await pilot.press("ctrl+o")
        await type_text(pilot, "#1")
        await pilot.press("enter")
        await settle(pilot)
        assert [v.status for v in visits(sqlite_store)] == ["left", "waiting"]


async def test_a_fast_burst_of_keys_lands_each_in_its_own_field(sqlite_store, clock, tmp_path):
    """Type-ahead (foundation): Enter moves on at once, so keys typed faster than the screen
    redraws (Enter, Right, Right, Enter, digits) must still reach the field they were meant for."""
    from textual import events

    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="zh-CN")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        for key, char in [("赵", "赵"), ("enter", "\r"), ("right", None), ("right", None), ("enter", "\r"),
                          ("1", "1"), ("3", "3"), ("9", "9")]:
            app.post_message(events.Key(key, char))  # all queued before any is handled
        await settle(pilot)
        assert app.screen.query_one("#name", Input).value == "赵"
        assert app.screen.query_one("#honorific").value == "mrs"
        assert app.screen.query_one("#phone", Input).value == "139"


async def test_the_script_panel_is_drawn_with_its_change_not_again_in_a_frame_of_its_own(
        sqlite_store, clock, tmp_path, monkeypatch):
    """Its title was set while it drew, and Textual repaints a widget whenever its border title
    is set: after every change of step (each check-in, each row chosen) the panel was drawn a
    second time, in a frame of its own. The title is still there, in the console's language."""
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="zh-CN")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reception(pilot)
        panel = app.screen.query_one(ScriptPanel)
        asked = []
        monkeypatch.setattr(panel, "refresh", lambda *a, **kw: asked.append(a) or panel)
        panel.render()
        assert asked == []
        monkeypatch.undo()
        assert panel.border_title == app.t("reception.script.title")
        app.language = "en"
        await settle(pilot)
        assert app.screen.query_one(ScriptPanel).border_title == app.t("reception.script.title") != ""
