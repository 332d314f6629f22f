"""Snapshots of the etiquette screens at 100x30 and 80x24, in zh-CN and en: the
self-check offered after sign-on, F5 with an inspection's result and trend, and the
inspection with measured evidence beside the items."""

from datetime import timedelta

import pytest

from deskconsole.models import Call
from deskconsole.services import etiquette, operators, shifts
from tests.ui.helpers import build_app, seed_operator, settle, sign_on

SIZES = [(100, 30), (80, 24)]
LANGUAGES = ["zh-CN", "en"]


def seed_history(store, clock):
    """101 李娜 with two signed inspections by 001 王芳 a day apart, then a missed call today."""
    seed_operator(store, clock)
    seed_operator(store, clock, staff_no="001", name="王芳", role="supervisor", pin="135790")
    checklist = etiquette.load_checklist()

    def shift_of(staff_no):
        def work(s):
            op = next(o for o in operators.list_operators(s) if o.staff_no == staff_no)
            return shifts.sign_on(s, op, desk_name="Lobby-1", clock=clock)

        return store.write(work)

    lina, boss = shift_of("101"), shift_of("001")
    items = checklist.inspection_items()
    for n, value in enumerate(("1", "2")):
        results = {i.id: value for i in items}
        results[items[n].id] = "0"
        etiquette.sign_inspection(store, boss, checklist, pin="135790", kind="daily", operator_id=lina.operator_id,
                                  results=results, comments="电话第四声才接" if n else "")
        clock.advance(86400)
    store.write(lambda s: s.add(Call(direction="in", started_at=clock.now() - timedelta(minutes=5),
                                     status="missed", rings=7, **lina.stamps())))
    return checklist


@pytest.mark.parametrize("size", SIZES, ids=["100x30", "80x24"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_self_check_offered_after_sign_on(snap_compare, sqlite_store, clock, tmp_path, language, size):
    seed_operator(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language=language)

    async def run_before(pilot):
        await sign_on(pilot, self_check="keep")
        await pilot.press("enter", "enter", "enter", "space", "space")
        pilot.app.clear_notifications()
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["100x30", "80x24"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_etiquette_screen_with_trend_and_history(snap_compare, sqlite_store, clock, tmp_path, language, size):
    seed_history(sqlite_store, clock)
    # the supervisor's shift of the seed, two days old, is resumed (not handed over to himself)
    app = build_app(sqlite_store, clock, tmp_path, language=language, stale_shift_hours=72)

    async def run_before(pilot):
        await sign_on(pilot, "001", "135790")
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)
        pilot.app.clear_notifications()
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("language", LANGUAGES)
def test_inspection_shows_evidence_beside_the_items(snap_compare, sqlite_store, clock, tmp_path, language):
    seed_history(sqlite_store, clock)
    # the supervisor's shift of the seed, two days old, is resumed (not handed over to himself)
    app = build_app(sqlite_store, clock, tmp_path, language=language, stale_shift_hours=72)

    async def run_before(pilot):
        await sign_on(pilot, "001", "135790")
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("down", "i")
        await settle(pilot)
        for _ in range(9):
            await pilot.press("enter")
        pilot.app.clear_notifications()
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
