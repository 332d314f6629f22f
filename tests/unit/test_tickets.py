"""Tickets (DOMAIN §3): first-contact ownership, append-only history, same-day complaint
checks, follow-up calls and what a dissatisfied customer leads to, the repair flow."""

import subprocess
import sys
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlmodel import select

from deskconsole.models import Call, FollowUp, RepairStep, Ticket, TicketEvent
from deskconsole.services import tickets
from deskconsole.services.errors import DeskError
from deskconsole.services.sla import rules_from
from deskconsole.services.tickets import followups
from tests.conftest import make_config


@pytest.fixture
def rules(tmp_path):
    return rules_from(make_config(tmp_path))


def _complaint(store, actor, rules, **kw):
    values = dict(kind="complaint", customer_name="王", honorific="mr", phone="138 0013 8000",
                  unit="3-1201", description="楼上装修噪音", rules=rules)
    values.update(kw)
    return store.write(lambda s: tickets.create_ticket(s, actor, **values))


def _events(store, tid):
    with store.read() as s:
        return list(s.exec(select(TicketEvent).where(TicketEvent.ticket_id == tid).order_by(TicketEvent.id)))


def test_receiver_becomes_first_contact_owner_and_stays_owner_through_reassignment(store, actor, make_actor, rules):
    colleague = make_actor(store, staff_no="102", name="赵敏")
    t = _complaint(store, actor, rules)
    assert t.first_owner_id == actor.operator_id and t.status == "new"
    store.write(lambda s: tickets.assign_to(s, actor, t.id, who="102", department="security"))
    store.write(lambda s: tickets.assign_to(s, colleague, t.id, who="张师傅", department="engineering"))
    with store.read() as s:
        got = s.get(Ticket, t.id)
    assert got.first_owner_id == actor.operator_id  # 首问负责: never changed by assignment
    assert (got.assignee_id, got.assignee_text, got.department) == (None, "张师傅", "engineering")


def test_assigning_by_staff_number_names_the_operator(store, actor, make_actor, rules):
    colleague = make_actor(store, staff_no="102", name="赵敏")
    t = _complaint(store, actor, rules)
    store.write(lambda s: tickets.assign_to(s, actor, t.id, who="102"))
    with store.read() as s:
        assert s.get(Ticket, t.id).assignee_id == colleague.operator_id


def test_assigning_to_nobody_is_refused_at_the_field(store, actor, rules):
    t = _complaint(store, actor, rules)
    with pytest.raises(DeskError) as err:
        store.write(lambda s: tickets.assign_to(s, actor, t.id, who="  "))
    assert err.value.field == "ticket_assignee"


def test_every_change_is_appended_to_history_with_who_and_when(store, actor, clock, rules):
    t = _complaint(store, actor, rules)
    clock.advance(120)
    store.write(lambda s: tickets.assign_to(s, actor, t.id, who="张师傅", note="已通知"))
    clock.advance(60)
    store.write(lambda s: tickets.update_fields(s, actor, t.id, {"priority": "high"}, rules=rules))
    events = _events(store, t.id)
    kinds = [(e.kind, e.field_name) for e in events]
    assert kinds[0] == ("created", None)
    assert ("status", "status") in kinds and ("assign", "assignee_text") in kinds and ("note", None) in kinds
    assert ("field", "priority") in kinds
    assert all(e.operator_id == actor.operator_id for e in events)
    assert events[-1].at > events[0].at


def test_history_is_append_only(store, actor, rules):
    t = _complaint(store, actor, rules)

    def edit(s):
        ev = s.exec(select(TicketEvent).where(TicketEvent.ticket_id == t.id)).first()
        ev.note = "rewritten"
        s.add(ev)

    def delete(s):
        s.delete(s.exec(select(TicketEvent).where(TicketEvent.ticket_id == t.id)).first())

    for change in (edit, delete):
        with pytest.raises(PermissionError):
            store.write(change)
    assert _events(store, t.id)[0].note == "楼上装修噪音"


def test_history_stays_append_only_in_a_process_that_never_imported_the_ticket_services(
        sqlite_store, make_actor, rules):
    t = _complaint(sqlite_store, make_actor(sqlite_store), rules)
    code = f"""
import sys
from sqlmodel import select
from deskconsole.db.store import Store
from deskconsole.models import TicketEvent

def edit(s):
    ev = s.exec(select(TicketEvent).where(TicketEvent.ticket_id == {t.id})).first()
    ev.note = "rewritten"
    s.add(ev)

store = Store({sqlite_store.url!r}).open()
try:
    store.write(edit)
    print("edited")
except PermissionError:
    print("refused")
print("deskconsole.services.tickets" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["refused", "False"]
    assert _events(sqlite_store, t.id)[0].note == "楼上装修噪音"


def test_complaint_due_at_end_of_the_business_day_and_checked_moves_it_to_the_solution_time(
        store, actor, clock, rules):
    # clock: Wednesday 09:00 Shanghai
    t = _complaint(store, actor, rules)
    assert t.due_at == datetime(2026, 11, 25, 10, 0, tzinfo=UTC)  # 18:00 local
    clock.advance(3 * 3600)
    store.write(lambda s: tickets.check(s, actor, t.id, finding="已到现场核实,确有施工", rules=rules))
    with store.read() as s:
        got = s.get(Ticket, t.id)
    assert got.first_checked_at == clock.now()
    assert got.due_at == rules.due_after_check("complaint", clock.now())
    with pytest.raises(DeskError):
        store.write(lambda s: tickets.check(s, actor, t.id, finding="again", rules=rules))


def test_ticket_from_a_call_links_the_call_and_counts_as_a_call(store, actor, clock, rules):
    def call(s):
        c = Call(direction="in", status="ended", started_at=clock.now(), caller_name="王", phone="13800138000",
                 **actor.stamps())
        s.add(c)
        s.flush()
        return c.id

    call_id = store.write(call)
    t = _complaint(store, actor, rules, call_id=call_id)
    assert (t.source, t.call_id) == ("call", call_id)
    with pytest.raises(DeskError) as err:
        _complaint(store, actor, rules, call_id=call_id + 99)
    assert err.value.key == "tickets.error.no_call"


@pytest.mark.parametrize("changes, field", [
    ({"description": "  "}, "ticket_description"),
    ({"phone": "12"}, "ticket_phone"),
    ({"customer_name": "", "phone": None, "unit": ""}, "ticket_customer_name"),
    ({"kind": "repair", "category": "noise"}, "ticket_category"),
    ({"department": "kitchen"}, "ticket_department"),
    ({"priority": "asap"}, "ticket_priority"),
])
def test_bad_input_is_refused_at_its_field_and_nothing_is_saved(store, actor, rules, changes, field):
    with pytest.raises(DeskError) as err:
        _complaint(store, actor, rules, **changes)
    assert err.value.field == field
    with store.read() as s:
        assert s.exec(select(Ticket)).first() is None


def test_phone_is_stored_normalised(store, actor, rules):
    assert _complaint(store, actor, rules).phone == "13800138000"


def test_resolving_creates_the_follow_up_task(store, actor, clock, rules):
    t = _complaint(store, actor, rules)
    store.write(lambda s: tickets.assign_to(s, actor, t.id, who="张师傅"))
    store.write(lambda s: tickets.resolve(s, actor, t.id, note="已协调施工方停工", rules=rules))
    with store.read() as s:
        tasks = list(s.exec(select(FollowUp).where(FollowUp.ticket_id == t.id)))
    assert len(tasks) == 1 and tasks[0].done_at is None
    assert tasks[0].due_at == rules.follow_up_due(clock.now())


def _resolved(store, actor, rules, **kw):
    t = _complaint(store, actor, rules, **kw)
    store.write(lambda s: tickets.assign_to(s, actor, t.id, who="张师傅"))
    store.write(lambda s: tickets.resolve(s, actor, t.id, note="已处理", rules=rules))
    return t


def test_satisfied_follow_up_records_the_call_and_lets_the_ticket_close(store, actor, rules):
    t = _resolved(store, actor, rules)
    fu = store.write(lambda s: followups.record(s, actor, t.id, satisfaction="very_satisfied",
                                                comment="很及时", rules=rules))
    store.write(lambda s: tickets.close(s, actor, t.id))
    with store.read() as s:
        got = s.get(Ticket, t.id)
        call = s.get(Call, fu.call_id)
    assert (got.status, got.satisfaction) == ("closed", "very_satisfied")
    # DOMAIN §2: every call is registered; the follow-up is an outgoing call to the customer
    assert call.direction == "out" and call.phone == "13800138000"


def test_dissatisfied_follow_up_reopens_the_ticket(store, actor, clock, rules):
    t = _resolved(store, actor, rules)
    clock.advance(3600)
    fu = store.write(lambda s: followups.record(s, actor, t.id, satisfaction="dissatisfied",
                                                comment="晚上还在施工", if_dissatisfied="reopen", rules=rules))
    with store.read() as s:
        got = s.get(Ticket, t.id)
    assert fu.outcome == "reopened"
    assert (got.status, got.reopened_count, got.resolved_at) == ("assigned", 1, None)
    assert got.due_at == rules.due_at("complaint", "normal", clock.now())
    # resolving again makes a new follow-up task
    store.write(lambda s: tickets.resolve(s, actor, t.id, note="再次处理", rules=rules))
    with store.read() as s:
        assert followups.pending_for(s, t.id) is not None


def test_dissatisfied_follow_up_may_escalate_to_the_manager_instead(store, actor, rules):
    t = _resolved(store, actor, rules)
    fu = store.write(lambda s: followups.record(s, actor, t.id, satisfaction="dissatisfied",
                                                comment="要求赔偿", if_dissatisfied="escalate", rules=rules))
    with store.read() as s:
        got = s.get(Ticket, t.id)
    assert fu.outcome == "escalated"
    assert got.status == "assigned" and got.escalated_at is not None and got.escalation_reason == "要求赔偿"


def test_dissatisfied_without_a_choice_is_refused_and_nothing_changes(store, actor, rules):
    t = _resolved(store, actor, rules)
    with pytest.raises(DeskError) as err:
        store.write(lambda s: followups.record(s, actor, t.id, satisfaction="dissatisfied", comment="不满意",
                                               rules=rules))
    assert err.value.field == "ticket_next"
    with store.read() as s:
        assert s.get(Ticket, t.id).status == "resolved"
        assert followups.pending_for(s, t.id) is not None


def test_follow_up_without_a_phone_is_recorded_without_a_call(store, actor, rules):
    t = _resolved(store, actor, rules, phone=None)
    fu = store.write(lambda s: followups.record(s, actor, t.id, satisfaction="neutral", rules=rules))
    assert fu.call_id is None and fu.outcome == "followed_up"


def test_escalation_needs_a_reason_and_happens_once(store, actor, rules):
    t = _complaint(store, actor, rules)
    with pytest.raises(DeskError) as err:
        store.write(lambda s: tickets.escalate(s, actor, t.id, reason=""))
    assert err.value.field == "ticket_reason"
    store.write(lambda s: tickets.escalate(s, actor, t.id, reason="涉及赔偿,需经理决定"))
    with pytest.raises(DeskError):
        store.write(lambda s: tickets.escalate(s, actor, t.id, reason="again"))


def test_repair_steps_are_ticked_in_order_and_the_fee_is_a_decimal(store, actor, rules):
    t = store.write(lambda s: tickets.create_ticket(s, actor, kind="repair", unit="5-302",
                                                    description="卫生间漏水", rules=rules))
    store.write(lambda s: tickets.assign_to(s, actor, t.id, who="张师傅"))
    assert store.write(lambda s: tickets.tick_repair_step(s, actor, t.id, note="明天 10 点", rules=rules)) == "appointment"
    with pytest.raises(DeskError) as err:  # the fee step asks for the fee
        store.write(lambda s: tickets.tick_repair_step(s, actor, t.id, rules=rules))
    assert err.value.field == "ticket_fee"
    with pytest.raises(DeskError) as err:
        store.write(lambda s: tickets.tick_repair_step(s, actor, t.id, fee="12.345", rules=rules))
    assert err.value.field == "ticket_fee"
    assert store.write(lambda s: tickets.tick_repair_step(s, actor, t.id, fee="¥120.5", rules=rules)) == "confirmed"
    with store.read() as s:
        got = s.get(Ticket, t.id)
        steps = [r.step for r in s.exec(select(RepairStep).where(RepairStep.ticket_id == t.id).order_by(RepairStep.id))]
    assert got.fee_amount == Decimal("120.50") and isinstance(got.fee_amount, Decimal)
    assert got.fee_currency == "CNY"
    assert steps == ["appointment", "confirmed"]


def test_repair_steps_only_on_repair_tickets(store, actor, rules):
    t = _complaint(store, actor, rules)
    with pytest.raises(DeskError) as err:
        store.write(lambda s: tickets.tick_repair_step(s, actor, t.id, rules=rules))
    assert err.value.key == "tickets.error.not_repair"


def test_repair_steps_wait_for_assignment_skip_only_with_a_reason_and_the_last_resolves(store, actor, rules):
    from deskconsole.models import FollowUp

    t = store.write(lambda s: tickets.create_ticket(s, actor, kind="repair", unit="5-302",
                                                    description="卫生间漏水", rules=rules))

    def tick(**kw):
        return store.write(lambda s: tickets.tick_repair_step(s, actor, t.id, rules=rules, **kw))

    with pytest.raises(DeskError) as err:  # 新建, never assigned: nobody is there to repair it
        tick()
    assert err.value.key == "tickets.error.transition"
    store.write(lambda s: tickets.assign_to(s, actor, t.id, who="张师傅"))
    assert tick() == "appointment"
    with pytest.raises(DeskError) as err:
        tick(skip=True)
    assert err.value.key == "tickets.error.skip_reason" and err.value.field == "ticket_note"
    assert tick(skip=True, note="业主自行确认,免费") == "confirmed"
    codes = [row["code"] for row in tickets.repair_steps()]
    for code in codes[2:-1]:
        assert tick() == code
        with store.read() as s:
            assert s.get(Ticket, t.id).status == "assigned"  # not resolved before the last step
    assert tick() == codes[-1]
    with store.read() as s:
        got = s.get(Ticket, t.id)
        skipped = s.exec(select(RepairStep.step).where(RepairStep.ticket_id == t.id, RepairStep.skipped)).all()
        follow_ups = s.exec(select(FollowUp).where(FollowUp.ticket_id == t.id)).all()
    assert got.status == "resolved" and got.resolved_at is not None and len(follow_ups) == 1
    assert skipped == ["confirmed"] and got.fee_amount is None
    with pytest.raises(DeskError):
        tick()
