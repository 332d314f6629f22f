"""Snapshots of the registers (F10) at 100x30 and 80x24, zh-CN and en: the key board with one
key overdue in red and one out on time; the goods releases; the lending counter."""

from datetime import timedelta

import pytest

from deskconsole.services.registers import (
    ItemLendForm,
    KeyLendForm,
    ReleaseForm,
    issue_release,
    lend_item,
    lend_key,
)
from tests.ui.helpers import build_app, seed_operator, settle, sign_on

SIZES = [(100, 30), (80, 24)]
LANGS = ["zh-CN", "en"]


def _seed(store, clock) -> None:
    from deskconsole.services import operators, shifts

    def work(s):
        op = next(o for o in operators.list_operators(s) if o.staff_no == "101")
        a = shifts.sign_on(s, op, desk_name="Lobby-1", clock=clock)
        lend_key(s, a, KeyLendForm("PUMP-1", "张师傅", "水泵检修", company="好帮手维修", borrower_kind="contractor",
                                   phone="13800138000", due_at=clock.now() + timedelta(minutes=30)))
        lend_key(s, a, KeyLendForm("3-1202", "李工", "Check the water meter", due_at=clock.now() + timedelta(hours=6)))
        issue_release(s, a, ReleaseForm("B-0302", "陈", "旧沙发一张\n纸箱三个", applicant_kind="tenant",
                                        confirmed_by="王业主", confirmed_how="phone", vehicle_plate="粤B12345"),
                      tz="Asia/Shanghai")
        lend_item(s, a, ItemLendForm("umbrella", "刘", unit="C-0808"))
        lend_item(s, a, ItemLendForm("trolley", "Smith", deposit="", id_note="Staff card held"))

    store.write(work)
    clock.advance(3600)  # the pump room key is 30 minutes overdue


# Every tab at both sizes. (At 80x24 the keys tab once needed a sideways scroll, and its
# scrollbar could linger a frame into the next tab under load: the tables now fit the width,
# tests/ui/test_registers.py.)
CASES = [(size, tab) for size in SIZES for tab in "123"]


@pytest.mark.parametrize("language", LANGS)
@pytest.mark.parametrize(("size", "tab"), CASES, ids=lambda c: f"{c[0]}x{c[1]}" if isinstance(c, tuple) else c)
def test_registers(snap_compare, sqlite_store, clock, tmp_path, language, size, tab):
    seed_operator(sqlite_store, clock)
    _seed(sqlite_store, clock)
    app = build_app(sqlite_store, clock, tmp_path, language=language)

    async def run_before(pilot):
        await sign_on(pilot)
        await pilot.press("f10")
        await settle(pilot)
        await pilot.press(tab)
        await settle(pilot)
        pilot.app.clear_notifications()
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
