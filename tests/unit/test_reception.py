"""Reception services (DOMAIN §1): check-in, the fair queue, the apology threshold with an
injected clock, hand-off, check-out, requests. Runs on SQLite and PostgreSQL."""

import pytest
from sqlalchemy import select

from deskconsole.models import AuditEvent, Visit
from deskconsole.services import reception as rs
from deskconsole.services.errors import DeskError

THRESHOLD = 3.0  # minutes, the default of config.apology_after_minutes


def arrive(store, actor, name, **kw):
    return store.write(lambda s: rs.check_in(s, actor, rs.CheckInForm(name=name, **kw)))


def queue(store, actor):
    with store.read() as s:
        return rs.queue(s, actor, threshold_minutes=THRESHOLD)


def test_check_in_stores_a_waiting_visit_with_normalised_phone_and_stamps(store, actor):
    v = arrive(store, actor, " 王 ", honorific="mr", phone="138 0013 8000", unit="1-1202",
               purpose="repair", party_size="2", level="senior", note="漏水")
    assert (v.status, v.name, v.phone, v.party_size, v.level) == ("waiting", "王", "13800138000", 2, "senior")
    with store.read() as s:
        row = s.get(Visit, v.id)
        assert (row.operator_id, row.shift_id, row.desk_id) == (actor.operator_id, actor.shift_id, actor.desk_id)
        events = s.execute(select(AuditEvent).where(AuditEvent.entity == "visit")).scalars().all()
        assert [e.action for e in events] == ["create"]


@pytest.mark.parametrize(("field", "kw"), [
    ("name", {"name": "  "}),
    ("phone", {"name": "王", "phone": "1380013800"}),
    ("party_size", {"name": "王", "party_size": "0"}),
    ("party_size", {"name": "王", "party_size": "abc"}),
    ("honorific", {"name": "王", "honorific": "sir"}),
    ("purpose", {"name": "王", "purpose": "shopping"}),
    ("level", {"name": "王", "level": "vip"}),
    ("note", {"name": "王", "note": "x" * 501}),
])
def test_bad_check_in_is_refused_at_its_field_and_nothing_is_saved(store, actor, field, kw):
    with pytest.raises(DeskError) as err:
        store.write(lambda s: rs.check_in(s, actor, rs.CheckInForm(**kw)))
    assert err.value.field == field
    with store.read() as s:
        assert s.execute(select(Visit)).first() is None


def test_queue_is_in_arrival_order_with_the_longest_waiting_next(store, actor, clock):
    for name in ("王", "李", "张"):
        arrive(store, actor, name)
        clock.advance(30)
    entries = queue(store, actor)
    assert [e.visit.name for e in entries] == ["王", "李", "张"]
    assert [e.position for e in entries] == [1, 2, 3]
    assert [int(e.wait_seconds) for e in entries] == [90, 60, 30]


def test_serve_next_takes_the_longest_waiting_and_is_not_a_skip(store, actor, clock):
    first = arrive(store, actor, "王")
    clock.advance(10)
    arrive(store, actor, "李")
    served = store.write(lambda s: rs.serve(s, actor, threshold_minutes=THRESHOLD))
    assert served.id == first.id and served.status == "in_building" and not served.served_out_of_order
    assert served.served_at == clock.now()
    assert [e.visit.name for e in queue(store, actor)] == ["李"]


def test_serving_someone_who_waited_less_records_the_skip(store, actor, clock):
    arrive(store, actor, "王")
    clock.advance(10)
    later = arrive(store, actor, "李")
    served = store.write(lambda s: rs.serve(s, actor, later.id, threshold_minutes=THRESHOLD))
    assert served.served_out_of_order
    with store.read() as s:
        assert s.get(Visit, later.id).served_out_of_order


def test_serving_with_nobody_waiting_is_refused(store, actor):
    with pytest.raises(DeskError) as err:
        store.write(lambda s: rs.serve(s, actor, threshold_minutes=THRESHOLD))
    assert err.value.key == "reception.error.queue_empty"


def test_apology_is_due_only_past_the_threshold_and_with_two_or_more_waiting(store, actor, clock):
    arrive(store, actor, "王")
    clock.advance(179)
    arrive(store, actor, "李")
    assert [e.apology_due for e in queue(store, actor)] == [False, False]  # 2:59
    clock.advance(1)
    assert [e.apology_due for e in queue(store, actor)] == [True, False]  # 3:00
    clock.advance(180)
    assert [e.apology_due for e in queue(store, actor)] == [True, True]


def test_a_single_visitor_waiting_past_the_threshold_is_not_prompted(store, actor, clock):
    arrive(store, actor, "王")
    clock.advance(600)
    assert [e.apology_due for e in queue(store, actor)] == [False]


def test_acknowledged_apology_stops_the_prompt_and_is_stored(store, actor, clock):
    first = arrive(store, actor, "王")
    arrive(store, actor, "李")
    clock.advance(200)
    store.write(lambda s: rs.mark_apology_shown(s, actor, [first.id]))
    shown_at = clock.now()
    clock.advance(5)
    store.write(lambda s: rs.acknowledge_apology(s, actor, first.id))
    assert [e.apology_due for e in queue(store, actor)] == [False, True]
    with store.read() as s:
        row = s.get(Visit, first.id)
        assert row.apology_shown_at == shown_at and row.apology_ack_at == clock.now()


def test_serving_a_visitor_kept_past_the_threshold_records_the_apology_as_shown(store, actor, clock):
    v = arrive(store, actor, "王")
    arrive(store, actor, "李")
    clock.advance(181)
    store.write(lambda s: rs.serve(s, actor, threshold_minutes=THRESHOLD))
    with store.read() as s:
        row = s.get(Visit, v.id)
        assert row.apology_shown_at == clock.now() and row.apology_ack_at is None


def test_serving_within_the_threshold_owes_no_apology(store, actor, clock):
    v = arrive(store, actor, "王")
    clock.advance(60)
    store.write(lambda s: rs.serve(s, actor, threshold_minutes=THRESHOLD))
    with store.read() as s:
        assert s.get(Visit, v.id).apology_shown_at is None


def test_handoff_records_post_method_and_description_then_check_out_leaves(store, actor, clock):
    v = arrive(store, actor, "王", honorific="mr")
    store.write(lambda s: rs.serve(s, actor, threshold_minutes=THRESHOLD))
    clock.advance(30)
    h = store.write(lambda s: rs.record_handoff(s, actor, v.id, post="security", method="radio",
                                                description="王先生 蓝色外套"))
    assert (h.handoff_post, h.handoff_method, h.handoff_description) == ("security", "radio", "王先生 蓝色外套")
    clock.advance(600)
    out = store.write(lambda s: rs.check_out(s, actor, v.id))
    assert out.status == "left" and out.checked_out_at == clock.now()


def test_handoff_needs_a_known_method_and_a_post(store, actor):
    v = arrive(store, actor, "王")
    store.write(lambda s: rs.serve(s, actor, threshold_minutes=THRESHOLD))
    with pytest.raises(DeskError) as err:
        store.write(lambda s: rs.record_handoff(s, actor, v.id, post="security", method="pigeon", description=""))
    assert err.value.field == "handoff_method"
    with pytest.raises(DeskError) as err:
        store.write(lambda s: rs.record_handoff(s, actor, v.id, post=" ", method="phone", description=""))
    assert err.value.field == "handoff_post"


def test_only_a_visitor_in_the_building_can_be_checked_out(store, actor):
    v = arrive(store, actor, "王")
    with pytest.raises(DeskError) as err:
        store.write(lambda s: rs.check_out(s, actor, v.id))
    assert err.value.key == "reception.error.not_in_building"
    with pytest.raises(DeskError) as err:
        store.write(lambda s: rs.check_out(s, actor, 999))
    assert err.value.key == "reception.error.no_visit"


def test_a_waiting_visitor_who_leaves_unserved_leaves_the_queue(store, actor):
    v = arrive(store, actor, "王")
    store.write(lambda s: rs.cancel(s, actor, v.id))
    assert queue(store, actor) == []


def test_a_visit_records_its_request_kind_from_the_purpose_and_prefills_a_ticket(store, actor):
    v = arrive(store, actor, "王", honorific="mr", phone="13800138000", unit="1-1202",
               purpose="complaint", note="噪音")
    r = store.write(lambda s: rs.record_request(s, actor, v.id))
    assert r.request_kind == "complaint"
    prefill = rs.ticket_prefill(r)
    assert prefill == {"kind": "complaint", "customer_name": "王", "honorific": "mr",
                       "phone": "13800138000", "unit": "1-1202", "source": "visit",
                       "visit_id": v.id, "description": "噪音"}
