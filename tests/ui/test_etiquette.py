"""Etiquette by keys only (DOMAIN §4-§6): the self-check offered after sign-on, a skip that is
recorded, the supervisor's inspection signed with a PIN, and the result the operator sees."""

from deskconsole.models import EtiquetteCheck
from deskconsole.services import etiquette
from deskconsole.ui.modals.inspection import CheckResultModal, InspectionModal, SignModal
from deskconsole.ui.modals.self_check import SelfCheckModal
from deskconsole.ui.screens.etiquette import EtiquetteScreen
from tests.ui.helpers import build_app, seed_operator, settle, sign_on, type_text


class KeyCounter:
    """Counts the keys a test presses (the self-check must take fewer than 20)."""

    def __init__(self, pilot) -> None:
        self.pilot, self.count = pilot, 0

    async def press(self, *keys: str) -> None:
        self.count += len(keys)
        await self.pilot.press(*keys)


def checks(store):
    from sqlalchemy import select

    with store.read() as s:
        return list(s.execute(select(EtiquetteCheck).order_by(EtiquetteCheck.id)).scalars())


async def test_clean_self_check_after_sign_on_takes_fewer_than_20_keys(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="zh-CN")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot, self_check="keep")
        assert isinstance(app.screen, SelfCheckModal)
        keys = KeyCounter(pilot)
        for _ in app.screen.items:
            await keys.press("enter")
        await keys.press("ctrl+s")
        await settle(pilot)
        assert keys.count < 20
        assert not isinstance(app.screen, SelfCheckModal)
    [check] = checks(sqlite_store)
    assert check.kind == "self" and not check.skipped and check.score == check.max_score == keys.count - 1


async def test_saving_with_an_item_unanswered_points_at_that_item(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_on(pilot, self_check="keep")
        modal = app.screen
        await pilot.press("enter", "enter", "down", "space", "space")  # R1 R2 pass, R3 skipped, R4 fail
        await pilot.press("n")
        await type_text(pilot, "工牌忘带")
        await pilot.press("enter")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SelfCheckModal)
        assert modal.table.current.id == "R3"
        assert "R3" in str(modal.query_one("#check-error").render())
        assert modal.table.notes == {"R4": "工牌忘带"}
    assert checks(sqlite_store) == []


async def test_skipping_the_self_check_is_recorded_and_not_offered_again_this_shift(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)  # skips by keys: Esc, y
        assert not isinstance(app.screen, SelfCheckModal)
        [check] = checks(sqlite_store)
        assert check.skipped and check.kind == "self"
        await pilot.press("ctrl+l")
        await settle(pilot)
        await type_text(pilot, "2468")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, SelfCheckModal)
    app2 = build_app(sqlite_store, clock, tmp_path)
    async with app2.run_test(size=(100, 30)) as pilot:  # same shift resumed: no second offer
        await sign_on(pilot, self_check="keep")
        assert not isinstance(app2.screen, SelfCheckModal)


async def test_supervisor_inspection_is_signed_with_the_pin_and_the_operator_sees_it(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    seed_operator(sqlite_store, clock, staff_no="001", name="王芳", role="supervisor", pin="135790")
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot, "001", "135790")
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, EtiquetteScreen)
        assert app.screen.subject.staff_no == "001"
        await pilot.press("down")  # operator list: 001 王芳, 101 李娜
        await settle(pilot)
        assert app.screen.subject.staff_no == "101"
        await pilot.press("i")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, InspectionModal)
        await pilot.press("space", "space")  # A01: 2 -> 1
        await pilot.press("down")
        for _ in modal.items[1:]:
            await pilot.press("enter")
        await pilot.press("ctrl+o")
        await type_text(pilot, "问候主动")
        await pilot.press("enter")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SignModal)
        await type_text(pilot, "0000")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SignModal)
        assert "wrong" in str(app.screen.query_one("#error-pin").render())
        await type_text(pilot, "135790")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EtiquetteScreen)
        assert "1/1" not in str(app.screen.query_one("#etq-history").render())
    [skip, check] = checks(sqlite_store)
    assert skip.skipped and check.kind == "daily" and check.comments == "问候主动"
    assert check.score == check.max_score - 1 and check.seen_at is None

    app2 = build_app(sqlite_store, clock, tmp_path)
    async with app2.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await pilot.press("f5")
        await settle(pilot)
        new = str(app2.screen.query_one("#etq-new").render())
        assert "王芳" in new and "问候主动" in new
        await pilot.press("down", "enter")  # under her skipped self-check: the inspection in full
        await settle(pilot)
        assert isinstance(app2.screen, CheckResultModal)
        first = [str(c) for c in app2.screen.query_one("#result-items").get_row_at(0)]
        assert first[0] == "A01" and first[1] == "1 Partly"
        await pilot.press("escape")
        assert isinstance(app2.screen, EtiquetteScreen)
    with sqlite_store.read() as s:
        assert etiquette.unseen(s, check.operator_id) == []


async def test_receptionist_cannot_open_an_inspection(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, EtiquetteScreen)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, SelfCheckModal) and not app.screen.offer


async def test_marks_survive_a_language_switch_during_the_self_check(sqlite_store, clock, tmp_path):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot, self_check="keep")
        await pilot.press("enter", "space", "space")  # R1 pass, R2 fail
        app.language = "zh-CN"
        await settle(pilot)
        table = app.screen.query_one("#checklist")
        assert table.results == {"R1": "pass", "R2": "fail"}
        assert [str(table.get_cell_at((n, 2))) for n in (0, 1, 2)] == ["合格", "不合格", "-"]


async def test_a_reload_keeps_the_history_cursor_on_its_check(sqlite_store, clock, tmp_path):
    """The 2 s poll reloads F5 after the results are marked seen; the cursor must not jump."""
    from deskconsole.services import shifts
    from deskconsole.services.operators import authenticate

    seed_operator(sqlite_store, clock)
    checklist = etiquette.load_checklist(build_app(sqlite_store, clock, tmp_path).config)

    def past_shifts(s):
        op = authenticate(s, staff_no="101", pin="2468", now=clock.now())
        for _ in range(3):
            actor = shifts.sign_on(s, op, desk_name="Lobby-1", clock=clock)
            etiquette.skip_self_check(s, actor, checklist)
            clock.advance(3600)

    sqlite_store.write(past_shifts)
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot)
        await pilot.press("f5")
        await settle(pilot)
        table = app.screen.query_one("#etq-history")
        assert table.row_count >= 3
        await pilot.press("down")
        app.screen.refresh_view()
        await settle(pilot)
        assert table.cursor_row == 1


async def test_a_supervisor_still_picks_an_operator_on_f5_after_a_change_of_language(sqlite_store, clock, tmp_path):
    """The screen rebuilt in the other language has a new, empty operator list; it was filled
    only when the operators changed, so the supervisor's left pane stayed blank."""
    seed_operator(sqlite_store, clock)
    seed_operator(sqlite_store, clock, staff_no="001", name="王芳", role="supervisor", pin="135790")
    app = build_app(sqlite_store, clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_on(pilot, "001", "135790")
        await pilot.press("f5")
        await settle(pilot)
        app.language = "zh-CN"
        await settle(pilot)
        operators = app.screen.query_one("#etq-operators")
        assert operators.option_count == 2
        await pilot.press("down")
        await settle(pilot)
        assert app.screen.subject.staff_no == "101"
