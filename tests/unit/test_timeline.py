"""One timeline per unit and per caller: newest first across visits, calls, tickets,
follow-ups and watch-list hits; open tickets first; keyset pages that neither skip nor repeat
a line, even where lines of different kinds share a second."""

from __future__ import annotations

from datetime import timedelta

import pytest

from deskconsole.models import Call, FollowUp, Ticket, Visit
from deskconsole.services import timeline as tl
from deskconsole.services.errors import DeskError
from deskconsole.services.registers import rules as registers_rules


def add(store, actor, rows):
    def work(s):
        for row in rows:
            s.add(row)
        s.flush()
        return [r.id for r in rows]
    return store.write(work)


def visit(actor, at, unit="A-1201", phone="13812345678", name="王建国"):
    return Visit(arrived_at=at, name=name, phone=phone, unit=unit, status="left", **actor.stamps())


def call(actor, at, unit="A-1201", phone="13812345678", status="answered", direction="in", summary=""):
    return Call(started_at=at, phone=phone, unit=unit, status=status, direction=direction, caller_name="王建国",
                summary=summary, **actor.stamps())


def ticket(actor, at, unit="A-1201", status="new", due=None, kind="repair", department="engineering"):
    return Ticket(kind=kind, status=status, unit=unit, phone="13812345678", customer_name="王建国",
                  description="卫生间漏水", department=department, due_at=due, first_owner_id=actor.operator_id,
                  created_at=at, updated_at=at, shift_id=actor.shift_id, desk_id=actor.desk_id)


def test_a_units_timeline_is_newest_first_across_every_kind_of_record(store, actor, clock):
    t0 = clock.now()
    add(store, actor, [visit(actor, t0), call(actor, t0 + timedelta(minutes=5), status="missed"),
                       call(actor, t0 + timedelta(minutes=7), direction="out", status="done"),
                       call(actor, t0 + timedelta(minutes=1), unit="B-0101", phone="13900000000")])
    [tid] = add(store, actor, [ticket(actor, t0 + timedelta(minutes=10), status="resolved")])
    add(store, actor, [FollowUp(ticket_id=tid, created_at=t0 + timedelta(minutes=20), due_at=t0 + timedelta(hours=1),
                                done_at=t0 + timedelta(minutes=30), satisfaction="satisfied",
                                operator_id=actor.operator_id)])
    with store.read() as s:
        page = tl.page(s, tl.Target.of(unit="A-1201"))
    assert [e.kind for e in page.entries] == ["follow_up", "ticket", "call_out", "call_missed", "visit"]
    assert page.entries[0].status == "tickets.satisfaction.satisfied"
    assert page.next_cursor is None


def test_a_callers_timeline_follows_the_number_across_units(store, actor, clock):
    t0 = clock.now()
    add(store, actor, [visit(actor, t0, unit="A-1201"), call(actor, t0 + timedelta(minutes=1), unit="B-0101"),
                       call(actor, t0 + timedelta(minutes=2), phone="13900000000")])
    with store.read() as s:
        page = tl.page(s, tl.Target.of(phone="138 1234 5678"))
    assert [(e.kind, e.unit) for e in page.entries] == [("call_in", "B-0101"), ("visit", "A-1201")]


def test_pages_neither_skip_nor_repeat_lines_that_share_a_second(store, actor, clock):
    t0 = clock.now()
    rows = []
    for i in range(7):  # every minute: a visit, a call and a ticket at the same second
        at = t0 + timedelta(minutes=i)
        rows += [visit(actor, at), call(actor, at), ticket(actor, at, status="closed")]
    add(store, actor, rows)
    with store.read() as s:
        whole = tl.page(s, tl.Target.of(unit="A-1201"), limit=100).entries
        seen, cursor, pages = [], None, 0
        while True:
            page = tl.page(s, tl.Target.of(unit="A-1201"), limit=4, after=cursor)
            seen += page.entries
            pages += 1
            cursor = page.next_cursor
            if cursor is None:
                break
    assert len(whole) == 21 and pages == 6
    assert [(e.source, e.id) for e in seen] == [(e.source, e.id) for e in whole]
    assert [e.at for e in whole] == sorted((e.at for e in whole), reverse=True)


def test_open_tickets_come_first_soonest_due_with_owner_and_department(store, actor, clock):
    t0 = clock.now()
    add(store, actor, [ticket(actor, t0, due=t0 + timedelta(hours=8)),
                       ticket(actor, t0 + timedelta(minutes=1), due=t0 + timedelta(hours=2), kind="complaint"),
                       ticket(actor, t0 + timedelta(minutes=2), status="closed"),
                       ticket(actor, t0 + timedelta(minutes=3), unit="B-0101")])
    with store.read() as s:
        page = tl.page(s, tl.Target.of(unit="A-1201"))
        first = page.entries[0]
        later = tl.page(s, tl.Target.of(unit="A-1201"), limit=1, after=tl.Cursor(first.at, first.source, first.id))
    assert page.open_count == 2
    assert [(o.kind, o.department, o.owner) for o in page.open_tickets] == [
        ("complaint", "engineering", "李娜"), ("repair", "engineering", "李娜")]
    assert later.open_tickets == []  # the open tickets head the first page only


def test_the_call_form_banner_names_the_count_and_the_soonest_due(store, actor, clock):
    from deskconsole.i18n import Translator
    from deskconsole.services.timeline import render

    t0 = clock.now()
    [first, _] = add(store, actor, [ticket(actor, t0, due=t0 + timedelta(hours=2)),
                                    ticket(actor, t0, due=t0 + timedelta(hours=5), kind="complaint")])
    target = tl.Target.of(unit="A-1201")
    with store.read() as s:
        tickets, count = tl.open_tickets(s, target)
    due = (t0 + timedelta(hours=2)).astimezone(render_tz()).strftime("%m-%d %H:%M")
    assert render.banner(Translator("en"), target, tickets, count, render_tz()) == \
        f"2 open tickets for A-1201 (#{first} Repair, due {due})"
    assert render.banner(Translator("zh-CN"), target, tickets, count, render_tz()) == \
        f"A-1201 有 2 张未完成工单 (#{first} 报修, {due} 到期)"


def render_tz():
    from zoneinfo import ZoneInfo
    return ZoneInfo("Asia/Shanghai")


def test_voided_records_stay_off_the_timeline(store, actor, clock):
    t0 = clock.now()
    v = visit(actor, t0)
    v.voided_at = t0
    add(store, actor, [v, call(actor, t0)])
    with store.read() as s:
        assert [e.kind for e in tl.page(s, tl.Target.of(unit="A-1201")).entries] == ["call_in"]


def test_a_timeline_needs_exactly_one_of_unit_and_phone():
    for kw in ({}, {"unit": "A-1201", "phone": "13812345678"}):
        with pytest.raises(DeskError) as err:
            tl.Target.of(**kw)
        assert err.value.key == "timeline.error.target"
    with pytest.raises(DeskError):
        tl.Cursor.parse("yesterday")


def test_cli_timeline_prints_a_page_with_phones_masked_and_json(sqlite_store, make_actor, clock):
    import json

    from typer.testing import CliRunner

    from deskconsole.cli.main import app

    actor = make_actor(sqlite_store)
    t0 = clock.now()
    add(sqlite_store, actor, [visit(actor, t0), call(actor, t0 + timedelta(minutes=1), summary="卫生间漏水"),
                              ticket(actor, t0 + timedelta(minutes=2), due=t0 + timedelta(hours=4))])
    runner = CliRunner()
    table = runner.invoke(app, ["--db", sqlite_store.url, "--lang", "en", "timeline", "--unit", "A-1201"],
                          env={"COLUMNS": "160"})
    assert table.exit_code == 0, table.output
    assert "Open tickets (1)" in table.output and "Missed call" not in table.output
    assert "13812345678" not in table.output and "138****5678" in table.output
    out = runner.invoke(app, ["--db", sqlite_store.url, "timeline", "--phone", "13812345678", "--limit", "2",
                              "--format", "json"])
    data = json.loads(out.output)
    assert [e["kind"] for e in data["entries"]] == ["ticket", "call_in"]
    assert data["entries"][0]["phone"] == "138****5678" and data["next"]
    rest = json.loads(runner.invoke(app, ["--db", sqlite_store.url, "timeline", "--phone", "13812345678",
                                          "--after", data["next"], "--format", "json"]).output)
    assert [e["kind"] for e in rest["entries"]] == ["visit"] and rest["next"] is None
    bad = runner.invoke(app, ["--db", sqlite_store.url, "timeline"])
    assert isinstance(bad.exception, DeskError) and bad.exception.key == "timeline.error.target"


def test_keys_lent_and_goods_released_for_a_unit_are_on_its_timeline(store, actor, clock):
    """The registers join the timeline (services/timeline/sources.py): a unit's key lent to a
    contractor and its goods release show beside its visits and calls, newest first."""
    from zoneinfo import ZoneInfo

    from deskconsole.services.registers import KeyLendForm, ReleaseForm, issue_release, lend_key

    unit_key = next(k for k in registers_rules.keys().values() if k.unit)
    add(store, actor, [visit(actor, clock.now() - timedelta(hours=3), unit=unit_key.unit)])
    store.write(lambda s: lend_key(s, actor, KeyLendForm(key_code=unit_key.code, name="张师傅", purpose="漏水检修",
                                                         phone="13900001111")))
    clock.advance(60)
    store.write(lambda s: issue_release(s, actor, ReleaseForm(unit=unit_key.unit, name="李四", items="沙发一张",
                                                              phone="13900002222"),
                                        tz=ZoneInfo("Asia/Shanghai")))
    with store.read() as s:
        entries = tl.page(s, tl.Target.of(unit=unit_key.unit)).entries
        by_phone = tl.page(s, tl.Target.of(phone="13900001111")).entries
    assert [e.source for e in entries] == ["goods_release", "key_loan", "visit"]
    assert entries[1].status == "timeline.key_state.out" and unit_key.code in entries[1].text
    assert [e.source for e in by_phone] == ["key_loan"]
