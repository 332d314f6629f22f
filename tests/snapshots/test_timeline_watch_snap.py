"""Snapshots of the timeline (Ctrl+Y from the check-in form's unit field) and the watch list
(F6, W) at 100x30 and 80x24, zh-CN and en."""

from datetime import timedelta

import pytest

from deskconsole.services import watch
from deskconsole.services.context import Actor
from tests.snapshots.test_tickets_snap import _seed
from tests.ui.helpers import build_app, seed_operator, settle, sign_on, type_text

SIZES = [(100, 30), (80, 24)]
LANGS = ["zh-CN", "en"]


@pytest.mark.parametrize("language", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_timeline_of_a_unit(snap_compare, sqlite_store, clock, tmp_path, language, size):
    seed_operator(sqlite_store, clock)
    _seed(sqlite_store, clock, tmp_path)
    app = build_app(sqlite_store, clock, tmp_path, language=language)

    async def run_before(pilot):
        await sign_on(pilot)
        await pilot.press("enter", "enter", "enter")  # name, honorific, phone: the unit field
        await type_text(pilot, "3-1201")
        await settle(pilot)
        await pilot.press("ctrl+y")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("language", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_watch_list(snap_compare, sqlite_store, clock, tmp_path, language, size):
    op = seed_operator(sqlite_store, clock, staff_no="001", name="王芳", role="supervisor", pin="135790")
    boss = Actor(op.id, "001", "王芳", "supervisor", None, None, "", clock)  # type: ignore[arg-type]
    sqlite_store.write(lambda s: [
        watch.add(s, boss, name="赵大海", phone="13812345678", reason="法院禁止令, 不得进入小区",
                  action="refuse_entry", valid_until=clock.now() + timedelta(days=90)),
        watch.add(s, boss, phone="13900001111", reason="多次骚扰来电", action="tell_supervisor",
                  valid_until=clock.now() + timedelta(days=30))])
    app = build_app(sqlite_store, clock, tmp_path, language=language)

    async def run_before(pilot):
        await sign_on(pilot, staff_no="001", pin="135790")
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
