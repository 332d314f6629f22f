"""Hostile input through the services that store it, on SQLite and
PostgreSQL: operators and sign-on, reception check-in, phone calls, tickets, voids and
purge. No crash, every refusal a DeskError with catalog text, nothing stored raw."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deskconsole.clock import FakeClock
from deskconsole.models import Call, Operator, Ticket, Visit
from deskconsole.services import calls as phone
from deskconsole.services import operators, reception, retention, tickets, voids
from deskconsole.services.sla import rules_from
from tests.conftest import START, make_config
from tests.reliability import fuzz
from tests.reliability.fuzz import FUZZ, assert_clean_row, hostile_text, phone_like, run

pytestmark = pytest.mark.usefixtures("fuzz_report")
fuzz_report = fuzz.fuzz_report

RULES = rules_from(make_config(Path(__file__).parent))  # SLA rules need no data folder
fuzz_store = fuzz.fuzz_store  # module-scoped fixtures, one store per backend
fuzz_actors = fuzz.fuzz_actors

short = st.one_of(hostile_text, st.sampled_from(["", "mr", "ms", "repair", "complaint", "normal",
                                                 "consultation", "ordinary", "senior", "x" * 65]))


def _stored(store, model, row_id):
    with store.read() as s:
        return s.get(model, row_id)


@FUZZ
@given(staff_no=short, name=hostile_text, role=short, pin=st.one_of(st.from_regex(r"\A\d{3,9}\Z"), short))
def test_creating_an_operator_with_hostile_input_never_crashes(fuzz_store, staff_no, name, role, pin):
    now = FakeClock(START).now()
    info = run("operators.create", lambda: fuzz_store.write(lambda s: operators.create_operator(
        s, staff_no=staff_no, name=name, role=role, pin=pin, now=now)))
    if info is not None:
        assert_clean_row(_stored(fuzz_store, Operator, info.id))
    result = run("operators.authenticate", lambda: fuzz_store.write(lambda s: operators.authenticate(
        s, staff_no=staff_no, pin=pin, now=now)))
    if result is not None and not isinstance(result, operators.OperatorInfo):
        from tests.reliability.fuzz import assert_good_refusal

        assert_good_refusal(result)


@FUZZ
@given(name=hostile_text, honorific=short, phone_=phone_like, unit=hostile_text, host=hostile_text,
       purpose=short, party=st.one_of(st.integers(-5, 500).map(str), short), level=short, note=hostile_text)
def test_checking_in_a_visitor_with_hostile_input_never_crashes(
        fuzz_store, fuzz_actors, name, honorific, phone_, unit, host, purpose, party, level, note):
    actor, _ = fuzz_actors
    form = reception.CheckInForm(name=name, honorific=honorific, phone=phone_, unit=unit, host=host,
                                 purpose=purpose, party_size=party, level=level, note=note)
    visit = run("reception.check_in", lambda: fuzz_store.write(lambda s: reception.check_in(s, actor, form)))
    if visit is not None:
        assert_clean_row(_stored(fuzz_store, Visit, visit.id))


@FUZZ
@given(phone_=phone_like, name=hostile_text, honorific=short, unit=hostile_text, summary=hostile_text,
       category=short)
def test_logging_a_call_with_hostile_input_never_crashes(
        fuzz_store, fuzz_actors, phone_, name, honorific, unit, summary, category):
    actor, _ = fuzz_actors
    call = run("phone.log_outgoing", lambda: fuzz_store.write(lambda s: phone.log_outgoing(
        s, actor, phone=phone_, caller_name=name, honorific=honorific, unit=unit, summary=summary,
        category=category or None)))
    if call is not None:
        assert_clean_row(_stored(fuzz_store, Call, call.id))


@FUZZ
@given(kind=short, name=hostile_text, phone_=phone_like, unit=hostile_text, description=hostile_text,
       priority=short, category=st.one_of(st.none(), short))
def test_opening_a_ticket_with_hostile_input_never_crashes(
        fuzz_store, fuzz_actors, kind, name, phone_, unit, description, priority, category):
    actor, _ = fuzz_actors
    ticket = run("tickets.create", lambda: fuzz_store.write(lambda s: tickets.create_ticket(
        s, actor, kind=kind, customer_name=name, phone=phone_, unit=unit, description=description,
        priority=priority, category=category, rules=RULES)))
    if ticket is not None:
        assert_clean_row(_stored(fuzz_store, Ticket, ticket.id))


@FUZZ
@given(entity=st.one_of(short, st.sampled_from(["visit", "call"])), record_id=st.integers(-3, 10**12),
       reason=hostile_text, days=st.one_of(short, st.integers(-10, 10**6).map(str)))
def test_voids_and_purge_with_hostile_input_never_crash(fuzz_store, fuzz_actors, entity, record_id, reason, days):
    _, boss = fuzz_actors
    record_id = min(record_id, 2**31 - 1)  # the id column is a 32-bit integer on PostgreSQL
    run("voids.void", lambda: fuzz_store.write(lambda s: voids.void(s, boss, entity, record_id, reason)))
    run("retention.purge", lambda: fuzz_store.write(lambda s: retention.purge_as(s, boss, days, dry_run=True)))

