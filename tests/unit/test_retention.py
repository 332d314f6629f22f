"""Retention (DOMAIN §1: privacy): `purge --older-than DAYS` anonymises visitor
and caller names and phones past the retention period, keeps every row, and leaves the
summary a supervisor reads exactly as it was. Supervisor only."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from deskconsole.cadence import parse_cadence
from deskconsole.i18n import Translator
from deskconsole.models import Call, ExpectedVisit, Ticket, TicketEvent, Visit
from deskconsole.services import audit, reception, reception_query, retention, tickets
from deskconsole.services.errors import DeskError
from deskconsole.services.ring_lines import PhoneEvents
from deskconsole.services.sla import rules_from
from deskconsole.services.summary import summarize
from deskconsole.services.summary.period import Period
from tests.conftest import make_config
from tests.reliability.cli import run_cli

DAY = 86400


def _seed_day(store, actor, supervisor, clock, tag: str) -> dict:
    """A day's work through the real services: a visit, an expected visitor, an answered call
    with details, a cancelled ticket whose phone was corrected, and an open ticket."""
    rules = rules_from(make_config(Path(__file__).parent))  # SLA rules need no data folder
    from deskconsole.services import calls as phone

    visit = store.write(lambda s: reception.check_in(s, actor, reception.CheckInForm(
        name=f"王{tag}", honorific="mr", phone="13800138000", unit="3-502", purpose="consultation")))
    store.write(lambda s: reception_query.expect(
        s, actor, when=clock.now() + timedelta(hours=1), name=f"陈{tag}", phone="13900139000", now=clock.now()))
    ev = PhoneEvents(store, lambda: actor, parse_cadence("cn"), 3)
    live = ev.ring()
    clock.advance(6)
    ev.answer()
    store.write(lambda s: phone.save_details(s, actor, live.call_id, phone.CallDetails(
        caller_name=f"李{tag}", phone="13700137000", category=phone.category_codes()[0], summary="水管漏水",
        outcome="resolved"), complete=False))
    done = store.write(lambda s: tickets.create_ticket(
        s, actor, kind="repair", customer_name=f"赵{tag}", phone="13600136000", description="漏水",
        rules=rules).id)
    store.write(lambda s: tickets.update_fields(s, actor, done, {"phone": "13600136001"}, rules=rules))
    store.write(lambda s: tickets.cancel(s, supervisor, done, reason="重复登记"))
    open_ = store.write(lambda s: tickets.create_ticket(
        s, actor, kind="complaint", customer_name=f"孙{tag}", phone="13500135000", description="噪音",
        rules=rules).id)
    return {"visit": visit.id, "call": live.call_id, "done": done, "open": open_}


@pytest.fixture
def two_days(store, actor, supervisor, clock):
    old = _seed_day(store, actor, supervisor, clock, "旧")
    clock.advance(40 * DAY)
    new = _seed_day(store, actor, supervisor, clock, "新")
    return old, new


def _counts(store) -> dict:
    with store.read() as s:
        return {m.__name__: s.execute(select(func.count()).select_from(m)).scalar_one()
                for m in (Visit, ExpectedVisit, Call, Ticket, TicketEvent)}


def _summary(store, clock) -> dict:
    first = (clock.now() - timedelta(days=45)).date()
    with store.read() as s:
        return summarize(s, Period.for_range(first, clock.now().date(), "Asia/Shanghai", clock.now())).to_dict()


def test_purge_anonymises_old_names_and_phones_and_keeps_new_ones(store, supervisor, clock, two_days):
    old, new = two_days
    counts = store.write(lambda s: retention.purge_as(s, supervisor, 30))
    assert (counts.visits, counts.expected_visits, counts.calls, counts.tickets) == (1, 1, 1, 1)
    # the phone correction, the creation's and the cancellation's notes (the reason may name someone)
    assert counts.ticket_history == 3
    with store.read() as s:
        v_old, v_new = s.get(Visit, old["visit"]), s.get(Visit, new["visit"])
        c_old, c_new = s.get(Call, old["call"]), s.get(Call, new["call"])
        t_done, t_open = s.get(Ticket, old["done"]), s.get(Ticket, old["open"])
        history = s.execute(select(TicketEvent).where(
            TicketEvent.ticket_id == old["done"], TicketEvent.field_name.in_(("phone", "customer_name")))).scalars().all()
        expected = s.execute(select(ExpectedVisit).order_by(ExpectedVisit.id)).scalars().all()
    assert (v_old.name, v_old.phone, v_old.anonymised) == ("", None, True)
    assert (v_new.name, v_new.phone, v_new.anonymised) == ("王新", "13800138000", False)
    assert (c_old.caller_name, c_old.phone, c_old.anonymised) == ("", None, True)
    assert c_new.caller_name == "李新" and c_new.phone == "13700137000"
    assert (t_done.customer_name, t_done.phone, t_done.anonymised) == ("", None, True)
    # DOMAIN §3: an open ticket is a promise still being kept; its customer stays reachable.
    assert (t_open.customer_name, t_open.phone, t_open.anonymised) == ("孙旧", "13500135000", False)
    assert history and all(h.old is None and h.new is None for h in history)
    assert [(e.name, e.phone) for e in expected] == [("", None), ("陈新", "13900139000")]
    assert v_old.unit == "3-502" and v_old.purpose == "consultation"  # not personal: kept


def test_summary_and_counts_are_identical_before_and_after_purge(store, supervisor, clock, two_days):
    before_counts, before_summary = _counts(store), _summary(store, clock)
    store.write(lambda s: retention.purge_as(s, supervisor, 30))
    assert _counts(store) == before_counts
    assert _summary(store, clock) == before_summary
    assert before_summary["visitors"] != _summary_of_nothing(store, clock)["visitors"]


def _summary_of_nothing(store, clock) -> dict:
    day = (clock.now() + timedelta(days=3)).date()
    with store.read() as s:
        return summarize(s, Period.for_range(day, day, "Asia/Shanghai", clock.now())).to_dict()


def test_a_second_purge_finds_nothing_new_and_records_no_event(store, supervisor, two_days):
    store.write(lambda s: retention.purge_as(s, supervisor, 30))
    again = store.write(lambda s: retention.purge_as(s, supervisor, 30))
    assert again.total == 0
    with store.read() as s:
        purges = [e for e in audit.events(s, entity="retention")]
        assert audit.verify(s).ok
    assert len(purges) == 1 and purges[0].operator_id == supervisor.operator_id


def test_dry_run_counts_and_changes_nothing(store, supervisor, two_days):
    old, _ = two_days
    counts = store.write(lambda s: retention.purge_as(s, supervisor, 30, dry_run=True))
    assert (counts.visits, counts.calls) == (1, 1)
    with store.read() as s:
        assert s.get(Visit, old["visit"]).name == "王旧"


def test_a_receptionist_may_not_purge_and_is_told_why(store, actor):
    with pytest.raises(DeskError) as err:
        store.write(lambda s: retention.purge_as(s, actor, 30))
    assert err.value.message(Translator("en")) == "Only a supervisor may purge old personal data"
    assert err.value.message(Translator("zh-CN")) == "只有主管可以清除过期个人信息"


@pytest.mark.parametrize("days", ["0", "-3", "abc", "", "36501", "1.5"])
def test_retention_days_out_of_range_are_refused_with_the_range_named(days):
    with pytest.raises(DeskError) as err:
        retention.check_days(days)
    assert err.value.key == "reliability.error.days" and err.value.field == "older_than"


def test_purge_command_needs_a_supervisor_pin(tmp_path, make_actor, clock, monkeypatch, capsys):
    from deskconsole.db.store import Store

    db = tmp_path / "cli.db"
    store = Store(f"sqlite:///{db}").open()
    make_actor(store, staff_no="001", role="supervisor", pin="135790")
    make_actor(store, staff_no="101", role="receptionist", pin="2468")
    receptionist = store_actor(store)
    store.write(lambda s: reception.check_in(s, receptionist, reception.CheckInForm(name="王")))
    base = ["--db", str(db), "--lang", "en", "purge", "--older-than", "30", "--pin-stdin"]
    code, _, err = run_cli(monkeypatch, capsys, *base, "--staff-no", "101", stdin="2468\n")
    assert code == 2 and "Only a supervisor may purge" in err
    code, _, err = run_cli(monkeypatch, capsys, *base, "--staff-no", "001", stdin="0000\n")
    assert code == 2 and "wrong" in err
    code, out, _ = run_cli(monkeypatch, capsys, *base, "--staff-no", "001", stdin="135790\n")
    assert code == 0 and "1 visits" in out
    code, _, err = run_cli(monkeypatch, capsys, "--db", str(db), "purge", "--older-than", "0",
                           "--staff-no", "001", "--pin-stdin", stdin="135790\n")
    assert code == 2 and "whole number of days" in err
    store.close()


def store_actor(store):
    from deskconsole.clock import FakeClock
    from deskconsole.services import operators, shifts
    from tests.conftest import START

    clock = FakeClock(START - timedelta(days=400))  # the CLI purges by the real clock

    def work(s):
        op = next(o for o in operators.list_operators(s) if o.staff_no == "101")
        return shifts.sign_on(s, op, desk_name="Lobby-1", clock=clock)

    return store.write(work)


def test_purge_blanks_every_free_text_that_can_hold_a_persons_details(store, actor, supervisor, clock):
    from deskconsole.models import FollowUp, RepairStep, Shift

    st = actor.stamps()

    def work(s):
        now = clock.now()
        s.add(Visit(arrived_at=now, status="left", name="王", host="张三业主", note="王先生的车牌 沪A12345",
                    handoff_description="带去 3-502 找张三", void_reason="王先生登记重复", **st))
        s.add(ExpectedVisit(expected_at=now, name="陈", host="李四", note="陈女士 13900139000", created_at=now))
        s.add(Call(started_at=now, status="ended", caller_name="李", summary="李先生说 13700137000 漏水",
                   message_for="张三业主", **st))
        t = Ticket(kind="repair", status="closed", closed_at=now, created_at=now, updated_at=now,
                   customer_name="赵", description="赵女士家 3-502 漏水", escalation_reason="赵女士要求赔偿",
                   first_owner_id=actor.operator_id, **st)
        s.add(t)
        s.flush()
        s.add(TicketEvent(ticket_id=t.id, at=now, operator_id=actor.operator_id, kind="note", note="已电话赵女士"))
        s.add(TicketEvent(ticket_id=t.id, at=now, operator_id=actor.operator_id, kind="field",
                          field_name="description", old="赵女士家漏水", new="赵女士家 3-502 漏水"))
        s.add(FollowUp(ticket_id=t.id, created_at=now, due_at=now, done_at=now, comment="赵女士很满意"))
        s.add(RepairStep(ticket_id=t.id, step="appointment", done_at=now, operator_id=actor.operator_id,
                         note="赵女士 10 点在家"))
        sh = s.get(Shift, actor.shift_id)
        sh.ended_at, sh.handover_note = now, "赵女士下午来取钥匙"
        return t.id

    tid = store.write(work)
    clock.advance(40 * DAY)
    counts = store.write(lambda s: retention.purge_as(s, supervisor, 30))
    assert (counts.follow_ups, counts.repair_steps, counts.handover_notes) == (1, 1, 1)
    with store.read() as s:
        v = s.execute(select(Visit)).scalar_one()
        e = s.execute(select(ExpectedVisit)).scalar_one()
        c = s.execute(select(Call)).scalar_one()
        t = s.get(Ticket, tid)
        texts = [
            v.host, v.note, v.handoff_description, v.void_reason, e.host, e.note, c.summary, c.message_for,
            t.description, t.escalation_reason,
            *(x for ev in s.execute(select(TicketEvent).where(TicketEvent.ticket_id == tid)).scalars()
              for x in (ev.note, ev.old, ev.new)),
            s.execute(select(FollowUp.comment)).scalar_one(), s.execute(select(RepairStep.note)).scalar_one(),
            s.get(Shift, actor.shift_id).handover_note,
        ]
    assert all(not x for x in texts), texts
    assert (v.unit, c.status, t.kind, t.status) == ("", "ended", "repair", "closed")  # kept: no person in them


def test_purge_blanks_the_registers_people_and_keeps_a_key_or_item_still_out(store, actor, supervisor, clock):
    from deskconsole.models import GoodsRelease, ItemLoan, KeyLoan

    st = actor.stamps()

    def work(s):
        now = clock.now()
        back = dict(returned_at=now + timedelta(hours=1), returned_to=actor.operator_id)
        s.add(KeyLoan(key_code="PUMP-1", name="林师傅", company="好帮手维修", phone="13800138000",
                      purpose="给林师傅开 3-502", lent_at=now, due_at=now + timedelta(hours=4),
                      return_note="林师傅交回", **back, **st))
        s.add(KeyLoan(key_code="ROOF-A", name="陈师傅", company="明亮电梯", phone="13900139000", purpose="天台",
                      lent_at=now, due_at=now + timedelta(hours=4), **st))  # still out: the desk calls him
        s.add(GoodsRelease(number="GR-1", unit="3-502", name="王先生", phone="13700137000", confirmed_by="王业主",
                           confirmed_how="in_person", items="王先生的钢琴", vehicle_plate="沪A12345",
                           valid_on=now.date(), issued_at=now, expires_at=now + timedelta(hours=8), **st))
        s.add(ItemLoan(item_code="umbrella", name="赵女士", unit="3-502", phone="13600136000",
                       id_note="身份证 110101199001011234", lent_at=now, **back, **st))
        s.add(ItemLoan(item_code="trolley", name="孙先生", phone="13500135000", id_note="工牌", lent_at=now, **st))

    store.write(work)
    clock.advance(40 * DAY)
    before = _summary(store, clock)["registers"]
    counts = store.write(lambda s: retention.purge_as(s, supervisor, 30))
    assert (counts.key_loans, counts.goods_releases, counts.item_loans) == (1, 1, 1)
    with store.read() as s:
        keys = {k.key_code: k for k in s.execute(select(KeyLoan)).scalars()}
        g = s.execute(select(GoodsRelease)).scalar_one()
        items = {i.item_code: i for i in s.execute(select(ItemLoan)).scalars()}
        sealed = {(e.entity, e.entity_id) for e in audit.events(s) if e.action == "purge"}
    k, i = keys["PUMP-1"], items["umbrella"]
    texts = [k.name, k.company, k.phone, k.purpose, k.return_note, g.name, g.phone, g.confirmed_by, g.items,
             g.vehicle_plate, i.name, i.phone, i.id_note]
    assert all(not x for x in texts), texts
    assert (keys["ROOF-A"].name, keys["ROOF-A"].phone) == ("陈师傅", "13900139000")  # still out
    assert (items["trolley"].name, items["trolley"].phone) == ("孙先生", "13500135000")
    assert (k.key_code, k.lent_at is not None, g.number, g.unit, i.item_code, i.unit) == (
        "PUMP-1", True, "GR-1", "3-502", "umbrella", "3-502")  # kept: no person in them
    assert {("key_loan", str(k.id)), ("goods_release", str(g.id)), ("item_loan", str(i.id))} <= sealed
    assert _summary(store, clock)["registers"] == before
    again = store.write(lambda s: retention.purge_as(s, supervisor, 30))
    assert again.total == 0
