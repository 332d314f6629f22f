"""Retention at sign-on (reliability §7): with retention_days set, a supervisor's sign-on
anonymises records past the period; a receptionist's sign-on leaves them for a supervisor."""

from __future__ import annotations

from textual.screen import ModalScreen

from deskconsole.models import Visit
from deskconsole.services import operators, reception, shifts
from tests.ui.helpers import build_app, seed_operator, settle, sign_on

DAY = 86400


def _old_visit(store, clock) -> int:
    seed_operator(store, clock, staff_no="101", pin="2468")
    seed_operator(store, clock, staff_no="001", name="王芳", role="supervisor", pin="135790")
    with store.read() as s:
        op = next(o for o in operators.list_operators(s) if o.staff_no == "101")
    actor = store.write(lambda s: shifts.sign_on(s, op, desk_name="Lobby-2", clock=clock))
    vid = store.write(lambda s: reception.check_in(s, actor, reception.CheckInForm(
        name="王", phone="13800138000"))).id
    clock.advance(40 * DAY)
    return vid


async def _sign_on_and_pass_the_steps(pilot, staff_no, pin):
    await sign_on(pilot, staff_no=staff_no, pin=pin)
    for _ in range(3):  # handover / self-check offers: Esc skips each (recorded by them)
        if not isinstance(pilot.app.screen, ModalScreen):
            break
        await pilot.press("escape")
        await settle(pilot)


def _visit(store, vid):
    with store.read() as s:
        return s.get(Visit, vid)


async def test_a_supervisor_sign_on_anonymises_visits_past_the_retention_period(sqlite_store, clock, tmp_path):
    vid = _old_visit(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="zh-CN", retention_days=30)
    async with app.run_test(size=(100, 30)) as pilot:
        await _sign_on_and_pass_the_steps(pilot, "001", "135790")
        await settle(pilot)
    visit = _visit(sqlite_store, vid)
    assert (visit.name, visit.phone, visit.anonymised) == ("", None, True)


async def test_a_receptionist_sign_on_leaves_the_purge_to_a_supervisor(sqlite_store, clock, tmp_path):
    vid = _old_visit(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="en", retention_days=30)
    async with app.run_test(size=(100, 30)) as pilot:
        await _sign_on_and_pass_the_steps(pilot, "101", "2468")
        await settle(pilot)
    assert _visit(sqlite_store, vid).name == "王"


async def test_without_the_setting_nothing_is_purged(sqlite_store, clock, tmp_path):
    vid = _old_visit(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await _sign_on_and_pass_the_steps(pilot, "001", "135790")
        await settle(pilot)
    assert _visit(sqlite_store, vid).name == "王"
