"""Calls fed by the phone system (services/pbx_calls.py through PhoneEvents.feed), on SQLite
and PostgreSQL: the PBX's own times make the figures exact; a replayed event or a key pressed
for a call the PBX reports is never a second row."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from deskconsole.cadence import parse_cadence
from deskconsole.models import Call
from deskconsole.services.pbx_calls import PbxEvent
from deskconsole.services.ring_lines import PhoneEvents
from deskconsole.services.summary.calls import call_figures


def events(store, actor) -> PhoneEvents:
    return PhoneEvents(store, lambda: actor, parse_cadence("cn"), 3)


def rows(store) -> list[Call]:
    with store.read() as s:
        return list(s.execute(select(Call).order_by(Call.id)).scalars())


def ev(kind, cid, at, **kw) -> PbxEvent:
    return PbxEvent(kind, cid, at, **kw)


def test_pbx_times_are_exact_whenever_the_event_arrives(store, actor, clock):
    ph = events(store, actor)
    t0 = clock.now()
    clock.advance(2)  # the event arrives 2 s after the PBX's ring: the start is still t0
    kind, live = ph.feed(ev("ring", "c1", t0, number="13800138000", name="Chen"))
    assert (kind, live.source, live.phone, live.caller_name) == ("ring", "pbx", "13800138000", "Chen")
    assert ph.elapsed(live) == pytest.approx(2.0)
    clock.advance(20)
    ph.feed(ev("answer", "c1", t0 + timedelta(seconds=14.9)))
    ph.feed(ev("hangup", "c1", t0 + timedelta(seconds=60)))
    (call,) = rows(store)
    assert (call.source, call.status, call.rings, call.within_limit) == ("pbx", "ended", 3, True)
    assert call.answer_seconds == pytest.approx(14.9)
    assert (call.started_at, call.ended_at) == (t0, t0 + timedelta(seconds=60))
    assert ph.live == {}


def test_a_replayed_event_changes_nothing(store, actor, clock):
    ph = events(store, actor)
    t0 = clock.now()
    for _ in range(2):
        ph.feed(ev("ring", "c1", t0))
        ph.feed(ev("answer", "c1", t0 + timedelta(seconds=4)))
        ph.feed(ev("hangup", "c1", t0 + timedelta(seconds=30)))
    (call,) = rows(store)
    assert (call.status, call.rings) == ("ended", 1)


def test_hangup_while_ringing_is_missed_with_the_number_for_the_callback(store, actor, clock):
    ph = events(store, actor)
    t0 = clock.now()
    ph.feed(ev("ring", "c1", t0, number="13800138000"))
    kind, _live = ph.feed(ev("hangup", "c1", t0 + timedelta(seconds=22), cause="noAnswer"))
    (call,) = rows(store)
    assert kind == "missed"
    assert (call.status, call.phone, call.rings, call.within_limit) == ("missed", "13800138000", 5, False)


def test_a_key_pressed_before_the_pbx_ring_is_adopted_not_doubled(store, actor, clock):
    ph = events(store, actor)
    t0 = clock.now()
    ph.ring_or_answer()  # F7: nothing rings yet, the key starts a ring
    clock.advance(1)
    ph.feed(ev("ring", "c1", t0 - timedelta(seconds=3), number="13800138000"))
    ph.ring_or_answer()  # F7 answers that same call
    ph.feed(ev("answer", "c1", t0 + timedelta(seconds=1)))
    (call,) = rows(store)
    assert (call.source, call.pbx_call_id, call.status) == ("pbx", "c1", "answered")
    assert call.answer_seconds == pytest.approx(4.0)  # the PBX's exact answer time wins
    assert len(ph.live) == 1


def test_a_key_never_doubles_a_call_the_feed_reported(store, actor, clock):
    ph = events(store, actor)
    ph.feed(ev("ring", "c1", clock.now()))
    clock.advance(3)
    assert ph.ring_or_answer()[0] == "answer"
    ph.feed(ev("answer", "c1", clock.now()))
    assert len(rows(store)) == 1


def test_picked_up_at_a_neighbour_is_covered_and_leaves_this_desk(store, actor, clock):
    ph = events(store, actor)
    t0 = clock.now()
    ph.feed(ev("ring", "c1", t0))
    kind, _ = ph.feed(ev("answer", "c1", t0 + timedelta(seconds=8), neighbour=True))
    (call,) = rows(store)
    assert kind == "covered" and ph.live == {}
    assert (call.status, call.covering_neighbour, call.within_limit) == ("answered", True, True)
    ph.feed(ev("hangup", "c1", t0 + timedelta(seconds=40)))
    assert rows(store)[0].status == "ended"


def test_another_console_follows_the_store(store, actor, clock):
    listener, console = events(store, actor), events(store, actor)
    listener.feed(ev("ring", "c1", clock.now(), number="13800138000"))
    assert [k for k, _ in console.sync()] == ["ring"]
    assert console.sync() == []
    listener.feed(ev("answer", "c1", clock.now() + timedelta(seconds=3)))
    assert [k for k, _ in console.sync()] == ["answer"]
    listener.feed(ev("hangup", "c1", clock.now() + timedelta(seconds=9)))
    assert [k for k, _ in console.sync()] == ["hang_up"]
    assert console.live == {}


def test_summary_separates_exact_pbx_times_from_key_timed_lower_bounds(store, actor, clock):
    ph = events(store, actor)
    t0 = clock.now()
    ph.feed(ev("ring", "c1", t0))
    ph.feed(ev("answer", "c1", t0 + timedelta(seconds=20)))
    clock.advance(120)
    ph.ring()
    clock.advance(4)
    ph.answer()
    with store.read() as s:
        f = call_figures(s, t0 - timedelta(hours=1), t0 + timedelta(hours=1))
    assert f.answered == 2
    assert f.timed_by["pbx"] == {"answered": 1, "within_three_rings": 0, "avg_speed_of_answer_s": 20.0}
    assert f.timed_by["keys"] == {"answered": 1, "within_three_rings": 1, "avg_speed_of_answer_s": 4.0}


def test_the_caller_is_guessed_from_the_directory_and_past_calls(store, actor, clock):
    from deskconsole.models import DirectoryEntry, Ticket

    def seed(s):
        s.add(DirectoryEntry(kind="resident", name="陈", unit="A-1201", phone="13800138000"))
        s.add(Call(direction="in", status="ended", started_at=clock.now() - timedelta(days=3), phone="13800138000",
                   caller_name="陈", honorific="mrs", unit="A-1201", **actor.stamps()))
        for status in ("new", "in_progress", "closed"):
            s.add(Ticket(kind="repair", status=status, unit="A-1201", created_at=clock.now(), updated_at=clock.now(),
                         first_owner_id=actor.operator_id,
                         **{k: v for k, v in actor.stamps().items() if k in Ticket.model_fields}))
    store.write(seed)
    ph = events(store, actor)
    _kind, live = ph.feed(ev("ring", "c9", clock.now(), number="13800138000"))
    assert (live.guess.name, live.guess.honorific, live.guess.unit, live.guess.open_tickets) == \
        ("陈", "mrs", "A-1201", 2)
    assert live.draft == {"caller_name": "陈", "honorific": "mrs", "phone": "13800138000", "unit": "A-1201"}


def test_the_name_the_pbx_sent_does_not_hide_the_directorys(store, actor, clock):
    from deskconsole.models import DirectoryEntry

    store.write(lambda s: s.add(DirectoryEntry(kind="resident", name="陈静", unit="A-1201", phone="13800138000")))
    _kind, live = events(store, actor).feed(ev("ring", "c10", clock.now(), number="13800138000", name="CHEN J"))
    assert (live.guess.name, live.guess.unit) == ("陈静", "A-1201")
