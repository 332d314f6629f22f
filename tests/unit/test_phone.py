"""Phone calls by the standard (DOMAIN §2), on SQLite and PostgreSQL, with an injected clock:
answer before the third ring is over, every call registered, missed calls called back."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from deskconsole.cadence import parse_cadence
from deskconsole.models import AuditEvent, Call
from deskconsole.services import calls as phone
from deskconsole.services.errors import DeskError
from deskconsole.services.ring_lines import PhoneEvents
from deskconsole.services.summary.calls import call_figures


def events(store, actor, cadence="cn", limit=3) -> PhoneEvents:
    return PhoneEvents(store, lambda: actor, parse_cadence(cadence), limit)


def stored(store, call_id) -> Call:
    with store.read() as s:
        return s.get(Call, call_id)


def test_answered_at_14_9_seconds_on_the_china_cadence_is_within_three_rings(store, actor, clock):
    ev = events(store, actor)
    live = ev.ring()
    clock.advance(14.9)
    ev.answer()
    call = stored(store, live.call_id)
    assert (call.status, call.rings, call.within_limit) == ("answered", 3, True)
    assert call.answer_seconds == pytest.approx(14.9)
    assert call.answered_at - call.started_at == timedelta(seconds=14.9)


def test_answered_at_15_0_seconds_is_ring_four_and_outside_three_rings(store, actor, clock):
    ev = events(store, actor)
    live = ev.ring()
    clock.advance(15.0)
    ev.answer()
    call = stored(store, live.call_id)
    assert (call.rings, call.within_limit) == (4, False)


@pytest.mark.parametrize(("cadence", "inside", "outside"), [
    ("cn", 14.9, 15.0),  # 1 s on, 4 s off: ring 4 starts at 15 s
    ("us", 17.9, 18.0),  # 2 s on, 4 s off: ring 4 starts at 18 s
    ("uk", 8.9, 9.0),    # 0.4/0.2/0.4/2.0: ring 4 starts at 9 s
    ("custom:1.5,3.5", 14.9, 15.0),
])
def test_each_cadence_preset_decides_when_the_fourth_ring_begins(store, actor, clock, cadence, inside, outside):
    ev = events(store, actor, cadence)
    first, second = ev.ring(), ev.ring()
    clock.advance(inside)
    ev.answer(first.call_id)
    clock.advance(outside - inside)
    ev.answer(second.call_id)
    assert stored(store, first.call_id).within_limit is True
    assert stored(store, second.call_id).within_limit is False


def test_the_ring_limit_is_a_setting(store, actor, clock):
    ev = events(store, actor, limit=4)
    live = ev.ring()
    clock.advance(15.0)
    ev.answer()
    assert stored(store, live.call_id).within_limit is True


def test_two_lines_ringing_f7_answers_the_longest_ringing_unless_another_is_picked(store, actor, clock):
    ev = events(store, actor)
    one = ev.ring()
    clock.advance(3)
    two = ev.ring()
    three = ev.ring(covering_neighbour=True)
    assert [c.line for c in ev.ringing()] == ["1", "2", "3"]
    clock.advance(2)
    assert ev.answer().call_id == one.call_id
    ev.pick(three.call_id)
    assert ev.answer().call_id == three.call_id
    assert [c.call_id for c in ev.ringing()] == [two.call_id]
    assert stored(store, three.call_id).covering_neighbour is True
    assert stored(store, three.call_id).answer_seconds == pytest.approx(2.0)


def test_colour_follows_the_ring_calm_then_warning_at_three_then_alarm(store, actor, clock):
    ev = events(store, actor)
    live = ev.ring()
    seen = []
    for at in (0, 9.9, 10.0, 14.9, 15.0):
        clock.advance(at - ev.elapsed(live))
        seen.append(ev.level(live))
    assert seen == ["calm", "calm", "warning", "warning", "alarm"]


def test_the_bell_is_due_once_when_ring_three_starts(store, actor, clock):
    ev = events(store, actor)
    ev.ring()
    clock.advance(9.9)
    assert ev.due_bells() == []
    clock.advance(0.1)
    assert len(ev.due_bells()) == 1
    clock.advance(6)
    assert ev.due_bells() == []


def test_missed_call_is_a_callback_task_until_returned_by_an_outgoing_call(store, actor, clock):
    ev = events(store, actor)
    live = ev.ring()
    clock.advance(21)
    ev.missed()
    assert ev.live == {}
    with store.read() as s:
        missed = phone.unreturned_missed(s, clock.now())
    assert [c.id for c in missed] == [live.call_id]
    assert (missed[0].status, missed[0].rings, missed[0].within_limit) == ("missed", 5, False)
    clock.advance(300)
    out = store.write(lambda s: phone.log_outgoing(s, actor, phone="138 0013 8000", caller_name="王",
                                                   honorific="mr", summary="回电", returns_call_id=live.call_id))
    back = stored(store, live.call_id)
    assert back.returned_at == clock.now() and back.phone == "13800138000"
    assert (out.direction, out.returns_call_id, out.phone) == ("out", live.call_id, "13800138000")
    with store.read() as s:
        assert phone.unreturned_missed(s, clock.now()) == []
        figures = call_figures(s, clock.now() - timedelta(hours=1), clock.now() + timedelta(seconds=1))
    assert (figures.missed, figures.missed_returned, figures.outgoing) == (1, 1, 1)
    assert figures.longest_ring_s == 21.0


def test_only_a_missed_call_can_be_returned(store, actor, clock):
    ev = events(store, actor)
    live = ev.ring()
    ev.answer()
    with pytest.raises(DeskError) as err:
        store.write(lambda s: phone.log_outgoing(s, actor, phone="13800138000", returns_call_id=live.call_id))
    assert err.value.key == "phone.error.not_missed"


def test_an_outgoing_call_needs_a_valid_number_refused_at_the_phone_field(store, actor):
    for raw, key in (("", "phone.error.required"), ("12ab", "error.phone")):
        with pytest.raises(DeskError) as err:
            store.write(lambda s, raw=raw: phone.log_outgoing(s, actor, phone=raw))
        assert (err.value.key, err.value.field) == (key, "phone")


def test_every_answered_call_is_registered_with_category_and_outcome_once_it_ended(store, actor, clock):
    ev = events(store, actor)
    live = ev.ring()
    clock.advance(4)
    ev.answer()
    partial = phone.CallDetails(caller_name="张", honorific="ms", summary="问停车")
    store.write(lambda s: phone.save_details(s, actor, live.call_id, partial))  # under way: partial is fine
    clock.advance(60)
    ev.hang_up(live.call_id)
    with pytest.raises(DeskError) as err:
        store.write(lambda s: phone.save_details(s, actor, live.call_id, partial))
    assert (err.value.key, err.value.field) == ("phone.error.required", "category")
    message = phone.CallDetails(caller_name="张", honorific="ms", category="message", outcome="message")
    with pytest.raises(DeskError) as err:
        store.write(lambda s: phone.save_details(s, actor, live.call_id, message))
    assert err.value.field == "message_for"
    message.message_for = "001"
    store.write(lambda s: phone.save_details(s, actor, live.call_id, message))
    call = stored(store, live.call_id)
    assert (call.status, call.category, call.outcome, call.message_for) == ("ended", "message", "message", "001")
    assert call.ended_at - call.answered_at == timedelta(seconds=60)
    with store.read() as s:
        actions = [a for (a,) in s.execute(AuditEvent.__table__.select().with_only_columns(AuditEvent.action)
                                           .where(AuditEvent.entity == "call"))]
    assert actions == ["create", "answer", "update", "hang_up", "update"]


def test_a_message_taken_shows_on_that_persons_queue(store, actor, supervisor, clock):
    ev = events(store, actor)
    live = ev.ring()
    ev.answer()
    details = phone.CallDetails(category="message", outcome="message", message_for="王芳", summary="请回电")
    store.write(lambda s: phone.save_details(s, actor, live.call_id, details))
    with store.read() as s:
        assert [c.id for c in phone.messages_for(s, supervisor)] == [live.call_id]
        assert phone.messages_for(s, actor) == []


def test_unknown_category_and_overlong_summary_are_refused_at_their_field(store, actor):
    ev = events(store, actor)
    live = ev.ring()
    ev.answer()
    for details, fld in ((phone.CallDetails(category="weather"), "category"),
                         (phone.CallDetails(summary="长" * 1001), "summary"),
                         (phone.CallDetails(phone="12ab"), "phone")):
        with pytest.raises(DeskError) as err:
            store.write(lambda s, d=details: phone.save_details(s, actor, live.call_id, d))
        assert err.value.field == fld


def test_register_search_filters_and_pages_newest_first(store, actor, clock):
    ev = events(store, actor)
    ids = []
    for n in range(5):
        live = ev.ring()
        clock.advance(3)
        ev.answer()
        ev.hang_up(live.call_id)
        d = phone.CallDetails(unit=f"{n % 2 + 1}-0{n}", phone=f"1380013800{n}",
                              category="repair" if n % 2 else "inquiry", outcome="resolved")
        store.write(lambda s, d=d, i=live.call_id: phone.save_details(s, actor, i, d))
        ids.append(live.call_id)
        clock.advance(60)
    missed = ev.ring()
    ev.missed()
    tz = ZoneInfo("Asia/Shanghai")
    with store.read() as s:
        page1 = phone.search_calls(s, phone.CallQuery(), tz, limit=4)
        page2 = phone.search_calls(s, phone.CallQuery(), tz, after=(page1[-1].started_at, page1[-1].id), limit=4)
        assert [c.id for c in page1 + page2] == [missed.call_id, *reversed(ids)]
        assert [c.id for c in phone.search_calls(s, phone.CallQuery(category="repair"), tz)] == [ids[3], ids[1]]
        assert [c.id for c in phone.search_calls(s, phone.CallQuery(unit="1-"), tz)] == [ids[4], ids[2], ids[0]]
        assert [c.id for c in phone.search_calls(s, phone.CallQuery(phone="138 0013 8002"), tz)] == [ids[2]]
        assert [c.id for c in phone.search_calls(s, phone.CallQuery(unanswered=True), tz)] == [missed.call_id]
        today = clock.now().astimezone(tz).date()
        assert len(phone.search_calls(s, phone.CallQuery(day=today), tz)) == 6
        assert phone.search_calls(s, phone.CallQuery(day=today - timedelta(days=1)), tz) == []


def test_a_call_ringing_when_the_console_stopped_is_restored_from_its_stored_start(store, actor, clock):
    first = events(store, actor)
    live = first.ring()
    clock.advance(12)
    again = events(store, actor)
    again.restore()
    [back] = again.ringing()
    assert back.call_id == live.call_id and again.elapsed(back) == pytest.approx(12)
    again.answer()
    assert stored(store, live.call_id).rings == 3


def test_the_time_that_counts_is_the_key_press_not_when_the_write_ran(store, actor, clock):
    ev = events(store, actor)
    kind, live = ev.ring_or_answer(at=clock.monotonic())
    assert kind == "ring"
    pressed = clock.monotonic() + 14.9
    clock.advance(16)  # the write ran late (a slow disk): the key was pressed at 14.9 s
    kind, answered = ev.ring_or_answer(at=pressed)
    assert (kind, answered.call_id) == ("answer", live.call_id)
    call = stored(store, live.call_id)
    assert (call.rings, call.within_limit) == (3, True)


def test_the_number_on_the_display_of_a_missed_call_is_kept_for_the_callback(store, actor, clock):
    ev = events(store, actor)
    live = ev.ring()
    clock.advance(20)
    ev.missed()
    store.write(lambda s: phone.record_missed_number(s, actor, live.call_id, "138 0013 8000"))
    assert stored(store, live.call_id).phone == "13800138000"
    with store.read() as s:
        assert [c.phone for c in phone.unreturned_missed(s, clock.now())] == ["13800138000"]


def test_only_a_missed_call_takes_a_number_from_the_display(store, actor, clock):
    ev = events(store, actor)
    live = ev.ring()
    ev.answer()
    with pytest.raises(DeskError):
        store.write(lambda s: phone.record_missed_number(s, actor, live.call_id, "13800138000"))


def test_a_call_is_ticket_opened_only_once_its_ticket_exists(store, actor, clock, tmp_path):
    # DOMAIN §3: first-contact ownership; a call saying "ticket opened" with no ticket loses the request.
    from deskconsole.services.sla import rules_from
    from deskconsole.services.tickets import create_ticket
    from tests.conftest import make_config

    ev = events(store, actor)
    live = ev.ring()
    ev.answer()
    ev.hang_up(live.call_id)
    details = phone.CallDetails(caller_name="王", category="repair", outcome="ticket")
    store.write(lambda s: phone.save_details(s, actor, live.call_id, details))
    assert stored(store, live.call_id).outcome is None
    with pytest.raises(DeskError):
        store.write(lambda s: phone.ticket_opened(s, actor, live.call_id))
    store.write(lambda s: create_ticket(s, actor, kind="repair", customer_name="王", description="漏水",
                                        source="call", call_id=live.call_id,
                                        rules=rules_from(make_config(tmp_path))))
    store.write(lambda s: phone.ticket_opened(s, actor, live.call_id))
    assert stored(store, live.call_id).outcome == "ticket"
    store.write(lambda s: phone.save_details(s, actor, live.call_id, details))  # saved again: still true
    assert stored(store, live.call_id).outcome == "ticket"
