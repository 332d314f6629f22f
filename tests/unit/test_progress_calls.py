"""Progress calls (DOMAIN §3, 000 C: keep the complainant informed until it is solved): a
complaint still open some business hours after it was received is due a progress call in the
follow-up worklist, again after each call, until it is resolved; the call is an outgoing call
in the register, linked to the ticket and in its history."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from deskconsole import catalogs
from deskconsole.config import ConfigError
from deskconsole.models import AuditEvent, Call, ProgressCall, TicketEvent
from deskconsole.services import tickets
from deskconsole.services.errors import DeskError
from deskconsole.services.sla import rules_from
from deskconsole.services.tickets import progress_calls
from deskconsole.services.tickets.queues import QueueQuery, fetch_page
from tests.conftest import make_config

SH = ZoneInfo("Asia/Shanghai")  # START is Wednesday 2026-11-25 09:00 here; hours 09:00-18:00


def sh(d, hh, mm=0) -> datetime:
    return datetime(2026, 11, d, hh, mm, tzinfo=SH)


def _rules(tmp_path, **changes):
    data = dict(catalogs.load("sla.toml"))
    data.update(changes)
    return rules_from(make_config(tmp_path), data)


@pytest.fixture
def rules(tmp_path):
    return _rules(tmp_path)


def _complaint(store, actor, rules, kind="complaint"):
    return store.write(lambda s: tickets.create_ticket(
        s, actor, kind=kind, customer_name="王", honorific="mr", phone="138 0013 8000", unit="3-1201",
        description="楼上装修噪音", rules=rules))


def _worklist(store, actor, rules):
    with store.read() as s:
        return fetch_page(s, actor, QueueQuery(queue="follow_up"), rules=rules).rows


def _tasks(store, tid):
    with store.read() as s:
        return list(s.exec(select(ProgressCall).where(ProgressCall.ticket_id == tid).order_by(ProgressCall.id)))


def test_a_complaint_still_open_is_due_a_progress_call_eight_business_hours_after_it_came_in(
        store, actor, clock, rules):
    t = _complaint(store, actor, rules)
    (task,) = _tasks(store, t.id)
    assert task.due_at == sh(25, 17).astimezone(task.due_at.tzinfo) and task.done_at is None
    clock.advance(6.5 * 3600)  # 15:30: not due within the hour yet
    assert _worklist(store, actor, rules) == []
    clock.advance(1800)  # 16:00: due within the hour, in the follow-up worklist (amber)
    (row,) = _worklist(store, actor, rules)
    assert (row.id, row.status, row.progress_call_due, row.follow_up_due) == (t.id, "new", task.due_at, None)
    clock.advance(2 * 3600)  # 18:00: overdue, still there
    assert [r.id for r in _worklist(store, actor, rules)] == [t.id]


def test_business_hours_skip_the_night_the_weekend_and_a_company_holiday(store, actor, clock, tmp_path):
    rules = _rules(tmp_path, holidays=["2026-11-26"])  # Thursday closed
    clock.advance(8 * 3600)  # Wednesday 17:00: one business hour left today
    t = _complaint(store, actor, rules)
    # 1 h Wednesday, Thursday closed, 7 h Friday -> Friday 16:00
    assert _tasks(store, t.id)[0].due_at == sh(27, 16)
    clock.advance(2 * 86400 + 1 * 3600)  # Friday 18:00
    store.write(lambda s: progress_calls.record(s, actor, t.id, note="施工方承诺周一整改", rules=rules))
    # Saturday and Sunday are no business days: 8 h on Monday -> Monday 17:00
    assert _tasks(store, t.id)[-1].due_at == sh(30, 17)


def test_a_progress_call_is_an_outgoing_call_linked_to_the_ticket_and_the_next_one_is_due(
        store, actor, clock, rules):
    t = _complaint(store, actor, rules)
    clock.advance(8.5 * 3600)  # 17:30, half an hour overdue
    done = store.write(lambda s: progress_calls.record(s, actor, t.id, note="已联系施工方,明天停工", rules=rules))
    first, nxt = _tasks(store, t.id)
    with store.read() as s:
        call = s.get(Call, done.call_id)
        events = list(s.exec(select(TicketEvent).where(TicketEvent.ticket_id == t.id,
                                                       TicketEvent.kind == "progress_call")))
        audited = list(s.exec(select(AuditEvent.action).where(AuditEvent.entity == "progress_call",
                                                              AuditEvent.entity_id == first.id)))
    assert (first.id, first.done_at, first.operator_id, first.shift_id) == (
        done.id, clock.now(), actor.operator_id, actor.shift_id)
    assert (call.direction, call.phone, call.status) == ("out", "13800138000", "ended")
    assert call.summary.startswith(f"#{t.id} ")
    assert [(e.new, e.note) for e in events] == [(str(call.id), "已联系施工方,明天停工")]
    assert audited == ["create", "done"]
    # The next call: 8 business hours after this one (0.5 h today, 7.5 h Thursday)
    assert nxt.done_at is None and nxt.due_at == sh(26, 16, 30)
    assert _worklist(store, actor, rules) == []


def test_progress_calls_repeat_until_the_ticket_is_resolved_and_stop_after(store, actor, clock, rules):
    t = _complaint(store, actor, rules)
    for _ in range(3):
        clock.advance(24 * 3600)
        assert [r.id for r in _worklist(store, actor, rules)] == [t.id]
        store.write(lambda s: progress_calls.record(s, actor, t.id, note="进展已告知", rules=rules))
    assert [x.done_at is not None for x in _tasks(store, t.id)] == [True, True, True, False]
    store.write(lambda s: tickets.assign_to(s, actor, t.id, who="张师傅"))
    store.write(lambda s: tickets.resolve(s, actor, t.id, note="已停工", rules=rules))
    last = _tasks(store, t.id)[-1]
    assert last.stopped_at == clock.now() and last.done_at is None
    clock.advance(7 * 86400)
    # Only the follow-up call (回访) of the resolved ticket waits now, no progress call.
    (row,) = _worklist(store, actor, rules)
    assert (row.status, row.progress_call_due) == ("resolved", None) and row.follow_up_due is not None
    assert len(_tasks(store, t.id)) == 4
    with pytest.raises(DeskError) as refused:
        store.write(lambda s: progress_calls.record(s, actor, t.id, note="x", rules=rules))
    assert refused.value.key == "tickets.error.transition"
    # Reopened: not solved after all, the progress calls start again
    store.write(lambda s: tickets.reopen(s, actor, t.id, reason="又开始施工", rules=rules))
    assert _tasks(store, t.id)[-1].due_at == rules.progress_call_due(clock.now())


def test_a_cancelled_ticket_needs_no_progress_call(store, actor, supervisor, clock, rules):
    t = _complaint(store, actor, rules)
    store.write(lambda s: tickets.cancel(s, supervisor, t.id, reason="重复登记"))
    assert _tasks(store, t.id)[0].stopped_at == clock.now()
    clock.advance(3 * 86400)
    assert _worklist(store, actor, rules) == []


def test_which_kinds_get_progress_calls_is_a_company_setting(store, actor, clock, tmp_path):
    default = _rules(tmp_path)
    repair = _complaint(store, actor, default, kind="repair")
    assert _tasks(store, repair.id) == []
    both = _rules(tmp_path, progress_call_kinds=["complaint", "repair"], progress_call_hours=4)
    repair = _complaint(store, actor, both, kind="repair")
    assert _tasks(store, repair.id)[0].due_at == sh(25, 13)
    with pytest.raises(ConfigError):
        _rules(tmp_path, progress_call_kinds=["gossip"])
    with pytest.raises(ConfigError):
        _rules(tmp_path, progress_call_hours=0)


def test_a_progress_call_says_what_the_customer_was_told(store, actor, rules):
    t = _complaint(store, actor, rules)
    with pytest.raises(DeskError) as refused:
        store.write(lambda s: progress_calls.record(s, actor, t.id, note="  ", rules=rules))
    assert refused.value.field == "ticket_note"
    assert [x.done_at for x in _tasks(store, t.id)] == [None]


def test_a_call_made_before_it_is_due_counts_and_moves_the_next_one_on(store, actor, clock, rules):
    t = _complaint(store, actor, rules)
    clock.advance(2 * 3600)  # 11:00, due at 17:00
    store.write(lambda s: progress_calls.record(s, actor, t.id, note="已派人查看", rules=rules))
    first, nxt = _tasks(store, t.id)
    assert first.done_at < first.due_at and nxt.due_at == sh(26, 10)
    # A ticket of a kind that needs none may still be called: logged, with no task after it
    inquiry = _complaint(store, actor, rules, kind="inquiry")
    store.write(lambda s: progress_calls.record(s, actor, inquiry.id, note="资料已备好", rules=rules))
    (only,) = _tasks(store, inquiry.id)
    assert only.due_at is None and only.done_at == clock.now() and only.call_id is not None
    assert timedelta(0) == only.done_at - clock.now()


def test_the_summary_counts_the_progress_calls_due_and_made_each_day(store, actor, clock, rules):
    from deskconsole.services.summary import Period, summarize

    t = _complaint(store, actor, rules)  # Wednesday 09:00: due 17:00
    resolved = _complaint(store, actor, rules)  # solved before its call fell due: none needed
    store.write(lambda s: tickets.assign_to(s, actor, resolved.id, who="张师傅"))
    store.write(lambda s: tickets.resolve(s, actor, resolved.id, note="已处理", rules=rules))
    clock.advance(8.5 * 3600)  # 17:30: made half an hour late; the next is due Thursday 16:30
    store.write(lambda s: progress_calls.record(s, actor, t.id, note="已联系施工方", rules=rules))
    clock.advance(24 * 3600)  # Thursday 17:30: the second one is an hour overdue

    def figures(first, last=None):
        with store.read() as s:
            period = Period.for_range(first.date(), (last or first).date(), "Asia/Shanghai", clock.now())
            f = summarize(s, period, rules=rules).tickets
        return (f.progress_calls_due, f.progress_calls_done, f.progress_calls_done_late, f.progress_calls_overdue_now)

    assert figures(sh(25, 9)) == (1, 1, 1, 1)
    assert figures(sh(26, 9)) == (1, 0, 0, 1)
    assert figures(sh(25, 9), sh(26, 9)) == (2, 1, 1, 1)
