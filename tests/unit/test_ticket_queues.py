"""Queues and search: who sees what, keyset pages that neither repeat nor
skip a ticket, and one search field over text, unit, phone and ticket number."""

import pytest
from sqlmodel import select

from deskconsole.models import FollowUp
from deskconsole.services import tickets
from deskconsole.services.sla import rules_from
from deskconsole.services.tickets import followups
from deskconsole.services.tickets.queues import QueueQuery, fetch_page, list_for_export
from tests.conftest import make_config


@pytest.fixture
def rules(tmp_path):
    return rules_from(make_config(tmp_path))


def _new(store, actor, rules, **kw):
    values = dict(kind="repair", customer_name="王", unit="3-1201", description="水管漏水", rules=rules)
    values.update(kw)
    return store.write(lambda s: tickets.create_ticket(s, actor, **values)).id


def _ids(store, actor, rules, **q):
    with store.read() as s:
        return [r.id for r in fetch_page(s, actor, QueueQuery(**q), rules=rules).rows]


def test_mine_holds_what_i_received_or_was_assigned_and_escalated_ones_stay_there(
        store, actor, make_actor, rules):
    other = make_actor(store, staff_no="102", name="赵敏")
    mine = _new(store, actor, rules)
    theirs = _new(store, other, rules)
    given_to_me = _new(store, other, rules)
    store.write(lambda s: tickets.assign_to(s, other, given_to_me, who="101"))
    store.write(lambda s: tickets.assign_to(s, actor, mine, who="102"))  # passed on, still mine
    store.write(lambda s: tickets.escalate(s, actor, mine, reason="无法解决"))
    assert sorted(_ids(store, actor, rules, queue="mine")) == sorted([mine, given_to_me])
    assert theirs not in _ids(store, actor, rules, queue="mine")
    assert _ids(store, actor, rules, queue="escalated") == [mine]


def test_overdue_due_today_and_follow_up_queues(store, actor, clock, rules):
    urgent = _new(store, actor, rules, priority="urgent")  # due 10:00 today
    later = _new(store, actor, rules, priority="low")  # due in 24 business hours
    done = _new(store, actor, rules)
    store.write(lambda s: tickets.assign_to(s, actor, done, who="张师傅"))
    store.write(lambda s: tickets.resolve(s, actor, done, note="好了", rules=rules))
    clock.advance(2 * 3600)  # 11:00
    assert _ids(store, actor, rules, queue="overdue") == [urgent]
    assert _ids(store, actor, rules, queue="due_today") == [urgent]
    assert _ids(store, actor, rules, queue="follow_up") == [done]
    store.write(lambda s: followups.record(s, actor, done, satisfaction="satisfied", rules=rules))
    assert _ids(store, actor, rules, queue="follow_up") == []
    assert set(_ids(store, actor, rules, queue="all")) == {urgent, later, done}


def test_department_queue_and_the_not_yet_passed_on_queue(store, actor, rules):
    eng = _new(store, actor, rules, department="engineering")
    none = _new(store, actor, rules)
    assert _ids(store, actor, rules, queue="department", department="engineering") == [eng]
    assert _ids(store, actor, rules, queue="department", department=None) == [none]


def test_kind_filter(store, actor, rules):
    repair = _new(store, actor, rules)
    inquiry = _new(store, actor, rules, kind="inquiry")
    assert _ids(store, actor, rules, queue="all", kind="inquiry") == [inquiry]
    assert _ids(store, actor, rules, queue="all", kind="repair") == [repair]


def test_keyset_pages_neither_repeat_nor_skip_tickets_with_equal_due_times(store, actor, rules):
    # 23 tickets created at the same instant: same due time, so only the id breaks ties.
    ids = store.write(lambda s: [tickets.create_ticket(s, actor, kind="repair", unit=f"1-{i:03d}",
                                                       description=f"第 {i} 号", rules=rules).id
                                 for i in range(23)])
    seen, cursor = [], None
    with store.read() as s:
        while True:
            page = fetch_page(s, actor, QueueQuery(queue="all", sort="due"), after=cursor, limit=5, rules=rules)
            assert len(page.rows) <= 5
            seen += [r.id for r in page.rows]
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
    assert seen == sorted(ids)


def test_newest_first_pages_too(store, actor, clock, rules):
    ids = []
    for i in range(7):
        ids.append(_new(store, actor, rules, unit=f"2-{i}"))
        clock.advance(60)
    with store.read() as s:
        rows = list_for_export(s, actor, QueueQuery(queue="all", sort="newest"), limit=100, rules=rules)
    assert [r.id for r in rows] == list(reversed(ids))


def test_search_finds_by_number_unit_phone_name_and_text(store, actor, rules):
    a = _new(store, actor, rules, unit="8-0901", phone="13912345678", description="电梯异响")
    b = _new(store, actor, rules, unit="3-1201", customer_name="李", description="门锁坏了")
    assert _ids(store, actor, rules, search=f"#{a}") == [a]
    assert _ids(store, actor, rules, search="8-09") == [a]
    assert _ids(store, actor, rules, search="139 1234") == [a]
    assert _ids(store, actor, rules, search="李") == [b]
    assert _ids(store, actor, rules, search="锁坏") == [b]
    assert _ids(store, actor, rules, search="100%") == []


def test_search_covers_closed_tickets_too(store, actor, rules):
    tid = _new(store, actor, rules, unit="6-0606")
    store.write(lambda s: tickets.assign_to(s, actor, tid, who="张师傅"))
    store.write(lambda s: tickets.resolve(s, actor, tid, note="好了", rules=rules))
    store.write(lambda s: followups.record(s, actor, tid, satisfaction="satisfied", rules=rules))
    store.write(lambda s: tickets.close(s, actor, tid))
    assert _ids(store, actor, rules, queue="mine", search="6-0606") == [tid]


def test_the_follow_up_queue_is_a_worklist_of_calls_due_for_the_kinds_that_need_one(store, actor, clock, rules):
    from deskconsole.services.sla import time_left

    assert rules.follow_up_kinds == {"repair", "complaint"}  # data/sla.toml
    repair = _new(store, actor, rules)
    inquiry = _new(store, actor, rules, kind="inquiry", description="停车卡怎么办理")
    for tid in (repair, inquiry):
        store.write(lambda s, tid=tid: tickets.assign_to(s, actor, tid, who="101"))
        store.write(lambda s, tid=tid: tickets.resolve(s, actor, tid, note="已办好", rules=rules))
    with store.read() as s:
        [row] = fetch_page(s, actor, QueueQuery(queue="follow_up"), rules=rules).rows
        calls_to_make = {f.ticket_id for f in s.exec(select(FollowUp)).all()}
    assert row.id == repair and calls_to_make == {repair}  # the inquiry answered needs no call back
    assert row.follow_up_due == rules.follow_up_due(clock.now())
    assert time_left(row.follow_up_due, clock.now()) == "8:00"
    clock.advance(9 * 24 * 3600)
    assert rules.state(row.follow_up_due, clock.now()) == "overdue"
