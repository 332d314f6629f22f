"""The generic HTTP feed (feeds/cti.py) over real HTTP on 127.0.0.1, on SQLite and
PostgreSQL: Zammad-shaped events, form-encoded and JSON, a wrong token, malformed bodies and a
burst of 1,000 events (all stored, none doubled)."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from deskconsole.cadence import parse_cadence
from deskconsole.feeds.cti import CtiListener
from deskconsole.models import AuditEvent, Call
from deskconsole.services.ring_lines import PhoneEvents

TOKEN = "s3cret-token"


@pytest.fixture
def feed(store, actor, clock):
    phone = PhoneEvents(store, lambda: actor, parse_cadence("cn"), 3)
    listener = CtiListener(phone.feed, host="127.0.0.1", port=0, token=TOKEN, clock=clock,
                           own_extension="8001").start()
    yield phone, listener
    listener.stop()


def post(listener, fields: dict, *, json_body=False, token=TOKEN, raw: bytes | None = None,
         content_type=None) -> int:
    host, port = listener.address
    if raw is not None:
        body, ctype = raw, content_type or "application/x-www-form-urlencoded"
    elif json_body:
        body, ctype = json.dumps(fields).encode(), "application/json"
    else:
        body, ctype = urlencode(fields, doseq=True).encode(), "application/x-www-form-urlencoded"
    req = urllib.request.Request(f"http://{host}:{port}/cti/{token}", data=body, method="POST",
                                 headers={"Content-Type": ctype})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status
    except urllib.error.HTTPError as err:
        return err.code


def calls(store) -> list[Call]:
    with store.read() as s:
        return list(s.execute(select(Call).order_by(Call.id)).scalars())


@pytest.mark.parametrize("json_body", [False, True], ids=["form", "json"])
def test_new_call_answer_hangup_is_one_answered_call_with_the_feeds_times(feed, store, clock, json_body):
    phone, listener = feed
    assert post(listener, {"event": "newCall", "from": "13800138000", "to": "8001", "direction": "in",
                           "callId": "z-1", "user[]": ["Li Na"]}, json_body=json_body) == 200
    assert [c.phone for c in phone.ringing()] == ["13800138000"]
    clock.advance(9)
    assert post(listener, {"event": "answer", "callId": "z-1", "direction": "in", "answeringNumber": "8001"},
                json_body=json_body) == 200
    clock.advance(60)
    assert post(listener, {"event": "hangup", "callId": "z-1", "direction": "in", "cause": "normalClearing"},
                json_body=json_body) == 200
    (call,) = calls(store)
    assert (call.status, call.source, call.pbx_call_id, call.rings, call.within_limit) == \
        ("ended", "pbx", "z-1", 2, True)
    assert call.answer_seconds == pytest.approx(9.0)
    assert phone.live == {}


@pytest.mark.parametrize("json_body", [False, True], ids=["form", "json"])
def test_new_call_then_hangup_no_answer_is_a_missed_call_with_the_number(feed, store, clock, json_body):
    _phone, listener = feed
    post(listener, {"event": "newCall", "from": "13800138000", "to": "8001", "direction": "in",
                    "callId": "z-2"}, json_body=json_body)
    clock.advance(30)
    post(listener, {"event": "hangup", "callId": "z-2", "direction": "in", "cause": "noAnswer"},
         json_body=json_body)
    (call,) = calls(store)
    assert (call.status, call.phone, call.rings, call.within_limit) == ("missed", "13800138000", 7, False)


def test_a_wrong_token_is_refused_and_nothing_is_stored(feed, store):
    _phone, listener = feed
    assert post(listener, {"event": "newCall", "callId": "x", "from": "1"}, token="guess") == 403
    assert post(listener, {"event": "newCall", "callId": "x", "from": "1"}, token="") in (403, 404)
    assert calls(store) == []


@pytest.mark.parametrize(("raw", "ctype"), [
    (b"event=ring&callId=1", None),  # not a CTI event
    (b"event=newCall", None),  # no callId
    (b"{not json", "application/json"),
    (b"[1, 2]", "application/json"),
    (b"\xff\xfe", None),
    (b"event=newCall&callId=1&time=yesterday", None),
    (b"event=newCall&callId=1&direction=sideways", None),
])
def test_a_malformed_body_is_400_with_one_log_line_and_nothing_stored(feed, store, raw, ctype):
    _phone, listener = feed
    seen: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = seen.append
    logger = logging.getLogger("deskconsole")
    logger.addHandler(handler)
    try:
        assert post(listener, {}, raw=raw, content_type=ctype) == 400
    finally:
        logger.removeHandler(handler)
    assert len(seen) == 1 and "malformed" in seen[0].getMessage()
    assert calls(store) == []


def test_it_binds_only_to_the_configured_address(feed):
    _phone, listener = feed
    assert listener.address[0] == "127.0.0.1"
    assert listener.server.socket.getsockname()[0] == "127.0.0.1"


def test_a_burst_of_1000_events_is_all_stored_and_none_doubled(feed, store):
    """250 calls: newCall, answer, hangup, and the newCall replayed (1,000 events), sent by
    eight clients at once; each call's own events in order."""
    _phone, listener = feed

    def one_call(n: int) -> list[int]:
        cid = f"burst-{n}"
        return [post(listener, {"event": "newCall", "from": f"1380013{n:04d}", "direction": "in", "callId": cid}),
                post(listener, {"event": "answer", "callId": cid, "direction": "in"}, json_body=True),
                post(listener, {"event": "hangup", "callId": cid, "direction": "in", "cause": "normalClearing"}),
                post(listener, {"event": "newCall", "from": f"1380013{n:04d}", "direction": "in", "callId": cid})]

    with ThreadPoolExecutor(8) as pool:
        codes = [c for result in pool.map(one_call, range(250)) for c in result]
    assert codes == [200] * 1000
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Call)) == 250
        assert s.scalar(select(func.count(func.distinct(Call.pbx_call_id)))) == 250
        assert s.scalar(select(func.count()).select_from(Call).where(Call.status == "ended")) == 250
        # create, answer, hang up: three audited changes per call, none for the replays
        assert s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.entity == "call")) == 750


def test_an_outgoing_callback_is_logged_once_and_returns_the_missed_call(feed, store, clock):
    _phone, listener = feed
    post(listener, {"event": "newCall", "from": "13800138000", "to": "8001", "direction": "in", "callId": "in-1"})
    post(listener, {"event": "hangup", "callId": "in-1", "direction": "in", "cause": "cancel"})
    clock.advance(600)
    out = {"from": "8001", "to": "13800138000", "direction": "out", "callId": "out-1"}
    for event in ("newCall", "answer", "hangup", "hangup"):  # the hangup replayed
        assert post(listener, {"event": event, **out}) == 200
    missed, callback = calls(store)
    assert (missed.status, missed.returned_at) == ("missed", callback.started_at)
    assert (callback.direction, callback.phone, callback.returns_call_id, callback.source) == \
        ("out", "13800138000", missed.id, "pbx")
