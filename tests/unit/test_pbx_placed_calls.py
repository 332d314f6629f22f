"""Outgoing calls the phone system saw from the desk's extension (AMI and the HTTP feed) that
reach a customer whose ticket waits for a follow-up call (回访) or a progress call: the call is
linked to the task (its call, the ticket's number in its summary) without doing it; recording
the follow-up / progress call from the worklist then uses that call instead of a second one."""

from __future__ import annotations

from sqlalchemy import select

from deskconsole.models import Call, FollowUp, ProgressCall
from deskconsole.services import audit, audit_rows, tickets
from deskconsole.services.tickets import followups, progress_calls
from tests.unit.fake_ami import AmiSession, channel, event, hangup, newstate
from tests.unit.test_ami_feed import Run
from tests.unit.test_cti_http import feed, post  # noqa: F401 - feed: the HTTP listener fixture
from tests.unit.test_progress_calls import _complaint, rules  # noqa: F401 - fixture


def _resolved_and_open(store, actor, rules):  # noqa: F811
    done = _complaint(store, actor, rules, kind="repair")
    store.write(lambda s: tickets.assign_to(s, actor, done.id, who="张师傅"))
    store.write(lambda s: tickets.resolve(s, actor, done.id, note="已修好", rules=rules))
    still = store.write(lambda s: tickets.create_ticket(
        s, actor, kind="complaint", customer_name="李", honorific="ms", phone="139 0013 9000", unit="5-0302",
        description="电梯异响", rules=rules))
    return done, still


def _task(store, model, tid):
    with store.read() as s:
        return s.execute(select(model).where(model.ticket_id == tid).order_by(model.id.desc())).scalars().first()


def _calls(store) -> list[Call]:
    with store.read() as s:
        return list(s.execute(select(Call).order_by(Call.id)).scalars())


def _check_linked_then_recorded(store, actor, rules, done, still):  # noqa: F811
    fu, pc = _task(store, FollowUp, done.id), _task(store, ProgressCall, still.id)
    to_done, to_still = _calls(store)
    assert (to_done.phone, to_done.summary, to_done.unit) == ("13800138000", f"#{done.id}", "3-1201")
    assert (to_still.phone, to_still.summary, to_still.unit) == ("13900139000", f"#{still.id}", "5-0302")
    assert (fu.call_id, fu.done_at, pc.call_id, pc.done_at) == (to_done.id, None, to_still.id, None)
    _sealed(store)
    # not done: the satisfaction is still asked; recording it uses the PBX's call, not a second one
    store.write(lambda s: followups.record(s, actor, done.id, satisfaction="satisfied", comment="满意",
                                           rules=rules))
    store.write(lambda s: progress_calls.record(s, actor, still.id, note="已联系电梯公司", rules=rules))
    assert [c.id for c in _calls(store)] == [to_done.id, to_still.id]
    with store.read() as s:
        fu, pc = s.get(FollowUp, fu.id), s.get(ProgressCall, pc.id)
    assert (fu.call_id, fu.satisfaction, pc.done_at is not None) == (to_done.id, "satisfied", True)
    assert pc.call_id == to_still.id
    assert _task(store, ProgressCall, still.id).call_id is None  # the next one waits for its own call
    assert _calls(store)[0].summary == f"#{done.id} 满意"
    _sealed(store)


def _sealed(store) -> None:
    """Every row changed here is pinned by its audit event (sealed records)."""
    with store.read() as s:
        assert audit.verify(s).ok and list(audit_rows.verify_rows(s)) == []


def test_http_outgoing_calls_link_to_the_follow_up_and_progress_call_due(feed, store, actor, clock,  # noqa: F811
                                                                          rules):  # noqa: F811
    _phone, listener = feed
    done, still = _resolved_and_open(store, actor, rules)
    clock.advance(3600)
    for cid, to in (("out-1", "13800138000"), ("out-2", "13900139000")):
        for ev in ("newCall", "answer", "hangup", "hangup"):
            post(listener, {"event": ev, "from": "8001", "to": to, "direction": "out", "callId": cid})
    _check_linked_then_recorded(store, actor, rules, done, still)


def _out(run: Run, t: float, linkedid: str, number: str) -> list[bytes]:
    chan = channel("8001", int(t))
    return [event("Newchannel", run.at(t), Channel=chan, ChannelState="4", ChannelStateDesc="Ring",
                  CallerIDNum="8001", ConnectedLineNum="<unknown>", Exten=number, Linkedid=linkedid),
            newstate(run.at(t + 4), chan, "Up", linkedid, caller=number),
            hangup(run.at(t + 40), chan, linkedid)]


async def test_ami_outgoing_calls_link_to_the_follow_up_and_progress_call_due(store, actor, clock,
                                                                               rules):  # noqa: F811
    done, still = _resolved_and_open(store, actor, rules)
    run = Run(store, actor, clock)
    await run.play(AmiSession(events=[*_out(run, 3600, "l-1", "13800138000"),
                                      *_out(run, 3700, "l-2", "13900139000")]))
    _check_linked_then_recorded(store, actor, rules, done, still)


async def test_an_outgoing_call_to_a_number_with_no_task_is_linked_to_nothing(store, actor, clock,
                                                                               rules):  # noqa: F811
    done, _still = _resolved_and_open(store, actor, rules)
    run = Run(store, actor, clock)
    await run.play(AmiSession(events=_out(run, 60, "l-3", "13700137000")))
    (call,) = _calls(store)
    assert (call.summary, _task(store, FollowUp, done.id).call_id) == (None, None)
