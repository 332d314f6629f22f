"""The Asterisk AMI feed (feeds/ami.py) against a fake AMI server that speaks the real
protocol and replays recorded sequences of an Asterisk 20 desk (extension 8001, neighbour
8002), on SQLite and PostgreSQL. Each scenario ends in the right call rows and figures.
Time is the injected clock and the events' own Timestamps; reconnects wait on an injected
sleep (no real waiting)."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from deskconsole.cadence import parse_cadence
from deskconsole.feeds.ami import AmiFeed
from deskconsole.models import Call
from deskconsole.phone_config import PhoneSettings
from deskconsole.services.ring_lines import PhoneEvents
from deskconsole.services.summary.calls import call_figures
from tests.unit.fake_ami import AmiSession, FakeAmi, channel, dial_end, hangup, newstate

DESK, NEIGHBOUR = channel("8001", 2), channel("8002", 3)
L1, L2 = "1764032400.1", "1764032403.5"


class Run:
    def __init__(self, store, actor, clock) -> None:
        self.store, self.clock = store, clock
        self.phone = PhoneEvents(store, lambda: actor, parse_cadence("cn"), 3)
        self.states: list[str] = []
        self.waits: list[float] = []
        self.t0 = clock.now().timestamp()

    def at(self, seconds: float) -> float:
        return self.t0 + seconds

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.clock.advance(seconds)

    async def play(self, *sessions: AmiSession) -> AmiFeed:
        async with FakeAmi(list(sessions)) as pbx:
            settings = PhoneSettings(feed="ami", ami_user="deskconsole", ami_host="127.0.0.1", ami_port=pbx.port,
                                     extensions=("8001", "8002"))
            feed = AmiFeed(self.phone, settings, "s3cret", self.clock, on_state=self.states.append,
                           sleep=self.sleep)
            await feed.run(max_sessions=len(sessions))
            self.actions = pbx.actions
        return feed

    def calls(self) -> list[Call]:
        with self.store.read() as s:
            return list(s.execute(select(Call).order_by(Call.id)).scalars())

    def figures(self):
        start = self.clock.now() - timedelta(hours=2)
        with self.store.read() as s:
            return call_figures(s, start, start + timedelta(hours=4))


@pytest.fixture
def run(store, actor, clock) -> Run:
    return Run(store, actor, clock)


async def test_answered_within_three_rings(run):
    feed = await run.play(AmiSession(events=[newstate(run.at(0), DESK, "Ringing", L1), newstate(run.at(9), DESK, "Up", L1),
                                      hangup(run.at(70), DESK, L1)]))
    (call,) = run.calls()
    assert (call.status, call.source, call.pbx_call_id, call.phone, call.caller_name) == \
        ("ended", "pbx", L1, "13800138000", "Chen")
    assert (call.rings, call.within_limit, call.answer_seconds) == (2, True, 9.0)
    assert (call.ended_at - call.started_at).total_seconds() == 70
    f = run.figures()
    assert (f.answered, f.within_three_rings_pct, f.avg_speed_of_answer_s) == (1, 100.0, 9.0)
    assert f.timed_by["pbx"]["answered"] == 1 and f.timed_by["keys"]["answered"] == 0
    login = run.actions[0]
    assert (login["Action"], login["Username"], login["Secret"], login["ActionID"]) == \
        ("Login", "deskconsole", "s3cret", "deskconsole-1")
    assert run.states == ["online", "offline"]
    assert feed.calls == {}  # an ended call is not kept in memory


async def test_answered_at_ring_five(run):
    await run.play(AmiSession(events=[newstate(run.at(0), DESK, "Ringing", L1), newstate(run.at(21), DESK, "Up", L1),
                                      hangup(run.at(90), DESK, L1)]))
    (call,) = run.calls()
    assert (call.rings, call.within_limit, call.answer_seconds) == (5, False, 21.0)
    f = run.figures()
    assert (f.within_three_rings_pct, f.service_level_pct, f.longest_ring_s) == (0.0, 0.0, 21.0)


async def test_caller_hung_up_while_ringing_is_missed_with_the_number(run):
    await run.play(AmiSession(events=[newstate(run.at(0), DESK, "Ringing", L1),
                                      dial_end(run.at(12), DESK, L1, "CANCEL"),
                                      hangup(run.at(12), DESK, L1, cause="16")]))
    (call,) = run.calls()
    assert (call.status, call.phone, call.rings, call.within_limit) == ("missed", "13800138000", 3, False)
    f = run.figures()
    assert (f.missed, f.abandon_rate_pct, f.longest_ring_s) == (1, 100.0, 12.0)
    assert run.phone.live == {}


async def test_two_lines_at_once(run):
    second = channel("8001", 4)
    await run.play(AmiSession(events=[
        newstate(run.at(0), DESK, "Ringing", L1),
        newstate(run.at(3), second, "Ringing", L2, caller="13900139000", caller_name="Wang"),
        newstate(run.at(6), DESK, "Up", L1),
        hangup(run.at(15), second, L2),
        hangup(run.at(60), DESK, L1)]))
    first, other = run.calls()
    assert (first.line, first.status, first.rings, first.phone) == ("1", "ended", 2, "13800138000")
    assert (other.line, other.status, other.rings, other.phone) == ("2", "missed", 3, "13900139000")
    f = run.figures()
    assert (f.incoming, f.answered, f.missed, f.service_level_pct) == (2, 1, 1, 50.0)


async def test_picked_up_by_a_neighbour(run):
    await run.play(AmiSession(events=[
        newstate(run.at(0), DESK, "Ringing", L1),
        newstate(run.at(0), NEIGHBOUR, "Ringing", L1, ext="8002"),
        newstate(run.at(7), NEIGHBOUR, "Up", L1, ext="8002"),
        dial_end(run.at(7), NEIGHBOUR, L1, "ANSWER"),
        dial_end(run.at(7), DESK, L1, "CANCEL"),
        hangup(run.at(7), DESK, L1, cause="26", desc="Answered elsewhere"),
        hangup(run.at(50), NEIGHBOUR, L1)]))
    (call,) = run.calls()
    assert (call.status, call.covering_neighbour, call.rings, call.within_limit) == ("ended", True, 2, True)
    assert (call.ended_at - call.started_at).total_seconds() == 50
    assert run.phone.live == {}
    assert run.figures().within_three_rings == 1


async def test_pbx_restart_mid_ring_is_reconciled_as_missed_once(run):
    await run.play(AmiSession(events=[newstate(run.at(0), DESK, "Ringing", L1)]),
                   AmiSession(channels=[]))  # restarted: the call is gone
    (call,) = run.calls()
    assert (call.status, call.pbx_call_id) == ("missed", L1)
    assert run.states == ["online", "offline", "online", "offline"]
    assert run.waits == [1.0]  # reconnected after the first back-off step


async def test_a_call_under_way_across_a_reconnect_is_never_doubled(run):
    ringing = {"Channel": DESK, "ChannelState": "5", "ChannelStateDesc": "Ringing", "CallerIDNum": "8001",
               "ConnectedLineNum": "13800138000", "Linkedid": L1, "Uniqueid": L1 + "2", "Duration": "00:00:01"}
    await run.play(AmiSession(events=[newstate(run.at(0), DESK, "Ringing", L1)]),
                   AmiSession(channels=[ringing], events=[newstate(run.at(8), DESK, "Up", L1),
                                                          hangup(run.at(30), DESK, L1)]))
    (call,) = run.calls()
    assert (call.status, call.answer_seconds, call.rings) == ("ended", 8.0, 2)  # the exact times kept


async def test_a_garbled_event_block_is_skipped_with_one_log_line(run):
    seen: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = seen.append
    logging.getLogger("deskconsole").addHandler(handler)
    try:
        await run.play(AmiSession(events=[newstate(run.at(0), DESK, "Ringing", L1),
                                          b"Event: Newstate\r\n\x00garbage without a colon\r\nChannel: PJSIP/8001\r\n\r\n",
                                          newstate(run.at(4), DESK, "Up", L1), hangup(run.at(20), DESK, L1)]))
    finally:
        logging.getLogger("deskconsole").removeHandler(handler)
    (call,) = run.calls()
    assert (call.status, call.rings) == ("ended", 1)
    assert [r.getMessage() for r in seen] == ["ami: a garbled event block was skipped"]


async def test_a_refused_login_stores_nothing_and_stops(run):
    feed = await run.play(AmiSession(login_ok=False), AmiSession())
    assert run.calls() == [] and run.states == ["refused"] and feed.state == "refused"
    assert run.waits == []  # a wrong secret is not tried again and again
