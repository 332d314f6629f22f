"""Snapshots of the ticket queue (F4) and the ticket view at 100x30 and 80x24, zh-CN and en:
time left in amber when due soon and red when overdue, the escalation mark, repair progress."""

import pytest

from deskconsole.models import Call
from deskconsole.services import tickets
from deskconsole.services.sla import rules_from
from tests.conftest import make_config
from tests.ui.helpers import build_app, seed_operator, settle, sign_on

SIZES = [(100, 30), (80, 24)]
LANGS = ["zh-CN", "en"]


def _seed(store, clock, tmp_path) -> int:
    """A morning at the desk: returns the id of the complaint opened from a call."""
    from deskconsole.services import operators, shifts

    rules = rules_from(make_config(tmp_path))

    def work(s):
        op = next(o for o in operators.list_operators(s) if o.staff_no == "101")
        a = shifts.sign_on(s, op, desk_name="Lobby-1", clock=clock)
        call = Call(direction="in", status="ended", started_at=clock.now(), caller_name="王", honorific="mr",
                    phone="13800138000", unit="3-1201", summary="楼上装修噪音", **a.stamps())
        s.add(call)
        s.flush()
        urgent = tickets.create_ticket(s, a, kind="repair", priority="urgent", customer_name="陈", honorific="ms",
                                       unit="5-0302", phone="13912345678", description="卫生间水管爆裂,漏水到楼下",
                                       category="plumbing", department="engineering", rules=rules)
        tickets.assign_to(s, a, urgent.id, who="张师傅")
        tickets.tick_repair_step(s, a, urgent.id, note="10:30", rules=rules)
        tickets.tick_repair_step(s, a, urgent.id, fee="80", rules=rules)
        complaint = tickets.create_ticket(s, a, kind="complaint", customer_name="王", honorific="mr",
                                          unit="3-1201", phone="13800138000", source="call", call_id=call.id,
                                          description="楼上装修噪音,晚上十点还在施工", category="noise", rules=rules)
        tickets.assign_to(s, a, complaint.id, who="李队长", department="security", note="已通知安管部")
        tickets.escalate(s, a, complaint.id, reason="业主要求赔偿,需经理决定")
        tickets.create_ticket(s, a, kind="inquiry", customer_name="Smith", honorific="mr", unit="8-0901",
                              description="How do I register a car for the garage?", category="parking",
                              rules=rules)
        tickets.create_ticket(s, a, kind="suggestion", unit="2-1101", description="大堂增加雨伞架",
                              priority="low", rules=rules)
        return complaint.id

    complaint_id = store.write(work)
    clock.advance(80 * 60)  # 10:20: the urgent repair is overdue
    return complaint_id


@pytest.mark.parametrize("language", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_ticket_queue(snap_compare, sqlite_store, clock, tmp_path, language, size):
    seed_operator(sqlite_store, clock)
    _seed(sqlite_store, clock, tmp_path)
    app = build_app(sqlite_store, clock, tmp_path, language=language)

    async def run_before(pilot):
        await sign_on(pilot)
        await pilot.press("f4")
        await settle(pilot)
        pilot.app.clear_notifications()
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("language", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_ticket_view(snap_compare, sqlite_store, clock, tmp_path, language, size):
    seed_operator(sqlite_store, clock)
    complaint_id = _seed(sqlite_store, clock, tmp_path)
    app = build_app(sqlite_store, clock, tmp_path, language=language)

    async def run_before(pilot):
        await sign_on(pilot)
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("slash")
        for ch in f"#{complaint_id}":
            await pilot.press(ch)
        await pilot.press("enter", "enter")
        await settle(pilot)
        pilot.app.clear_notifications()
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
