"""Outgoing calls from the desk's own extension through the AMI feed (feeds/ami_out.py), with
the fake AMI server replaying an Asterisk 20 desk calling back: logged once with the PBX's
dialled / answered / ended times (source pbx, the Linkedid as its id, a replay or a reconnect
never doubles it), and the missed call from that number is marked called back."""

from __future__ import annotations

import pytest

from tests.unit.fake_ami import AmiSession, channel, event, hangup, newstate
from tests.unit.test_ami_feed import Run

DESK = channel("8001", 2)
L1, OUT_ID = "1764032400.1", "1764033000.9"


@pytest.fixture
def run(store, actor, clock) -> Run:
    return Run(store, actor, clock)


def callback(run: Run, t: float, status: str = "ANSWER", dialled: str = "913800138000") -> list[bytes]:
    out = channel("8001", 9)
    blocks = [
        event("Newchannel", run.at(t), Channel=out, ChannelState="4", ChannelStateDesc="Ring", CallerIDNum="8001",
              CallerIDName="Front desk", ConnectedLineNum="<unknown>", Exten=dialled, Linkedid=OUT_ID),
        event("DialBegin", run.at(t + 1), Channel=out, Linkedid=OUT_ID, DestChannel="PJSIP/trunk-0000000a",
              DestLinkedid=OUT_ID, DialString=f"trunk/{dialled}"),
        event("DialEnd", run.at(t + 8), Channel=out, Linkedid=OUT_ID, DestChannel="PJSIP/trunk-0000000a",
              DestLinkedid=OUT_ID, DialStatus=status)]
    if status == "ANSWER":
        blocks.append(newstate(run.at(t + 8), out, "Up", OUT_ID))  # ConnectedLineNum: the party reached
    return [*blocks, hangup(run.at(t + 68), out, OUT_ID), hangup(run.at(t + 68), out, OUT_ID)]


def missed_then(run: Run, *later: bytes) -> list[bytes]:
    return [newstate(run.at(0), DESK, "Ringing", L1), hangup(run.at(12), DESK, L1), *later]


async def test_a_callback_from_the_desk_is_logged_with_the_pbx_times_and_returns_the_missed_call(run):
    await run.play(AmiSession(events=missed_then(run, *callback(run, 600))))
    missed, out = run.calls()
    assert (out.direction, out.status, out.source, out.pbx_call_id, out.phone, out.returns_call_id) == \
        ("out", "ended", "pbx", OUT_ID, "13800138000", missed.id)
    assert [(t - missed.started_at).total_seconds() for t in (out.started_at, out.answered_at, out.ended_at)] == \
        [600, 608, 668]
    assert (missed.status, missed.returned_at) == ("missed", out.started_at)


async def test_a_callback_reported_again_after_a_reconnect_is_not_doubled(run):
    await run.play(AmiSession(events=missed_then(run, *callback(run, 600))),
                   AmiSession(events=callback(run, 600)))
    assert [(c.direction, c.pbx_call_id) for c in run.calls()] == [("in", L1), ("out", OUT_ID)]


async def test_an_unanswered_callback_is_logged_without_an_answer_time_with_the_dialled_number(run):
    events = callback(run, 600, status="NOANSWER", dialled="13800138000")
    await run.play(AmiSession(events=missed_then(run, *events)))
    missed, out = run.calls()
    assert (out.answered_at, out.phone, out.returns_call_id) == (None, "13800138000", missed.id)
    assert (out.ended_at - out.started_at).total_seconds() == 68
    assert missed.returned_at == out.started_at  # called back, as the HTTP feed and F-keys count it


async def test_a_callback_under_way_across_a_reconnect_is_one_outgoing_call_not_a_ringing_line(run):
    out = channel("8001", 9)
    dialling = callback(run, 600)[:2]  # Newchannel, DialBegin; then the connection drops
    under_way = {"Channel": out, "ChannelState": "6", "ChannelStateDesc": "Up", "CallerIDNum": "8001",
                 "ConnectedLineNum": "13800138000", "Exten": "913800138000", "Application": "Dial",
                 "Linkedid": OUT_ID, "Uniqueid": OUT_ID + "9", "Duration": "00:00:20"}
    await run.play(AmiSession(events=missed_then(run, *dialling)),
                   AmiSession(channels=[under_way], events=[hangup(run.at(668), out, OUT_ID)]))
    missed, out_call = run.calls()
    assert (out_call.direction, out_call.phone, out_call.returns_call_id) == ("out", "13800138000", missed.id)
    assert (out_call.started_at - missed.started_at).total_seconds() == 600  # the time seen before the drop
    assert out_call.answered_at is not None


async def test_a_callback_found_under_way_at_login_is_logged_at_its_hangup(run):
    out = channel("8001", 9)
    under_way = {"Channel": out, "ChannelState": "6", "ChannelStateDesc": "Up", "CallerIDNum": "8001",
                 "ConnectedLineNum": "13800138000", "Exten": "13800138000", "Application": "Dial",
                 "Linkedid": OUT_ID, "Uniqueid": OUT_ID + "9", "Duration": "00:00:20"}
    await run.play(AmiSession(channels=[under_way], events=[hangup(run.at(60), out, OUT_ID)]))
    (call,) = run.calls()
    assert (call.direction, call.status, call.phone, call.pbx_call_id) == ("out", "ended", "13800138000", OUT_ID)
