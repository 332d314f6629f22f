"""Operators and PINs."""


import pytest
from sqlalchemy import select

from deskconsole.db import guards
from deskconsole.models import AuditEvent, Operator, Shift
from deskconsole.services import audit, operators, shifts
from deskconsole.services.errors import DeskError


def add(store, clock, staff_no="101", pin="2468", role="receptionist", name="李娜"):
    return store.write(lambda s: operators.create_operator(
        s, staff_no=staff_no, name=name, role=role, pin=pin, now=clock.now()))


def test_pin_is_stored_as_salted_scrypt_with_its_cost_never_in_clear(store, clock):
    add(store, clock, "101", "2468")
    add(store, clock, "102", "2468")
    with store.read() as s:
        a, b = s.execute(select(Operator).order_by(Operator.staff_no)).scalars().all()
    for op in (a, b):
        scheme, cost, salt, digest = op.pin_hash.split("$")[1:]
        assert (scheme, cost) == ("scrypt", "ln=14,r=8,p=1") and "2468" not in salt + digest
    assert a.pin_hash.split("$")[3] != b.pin_hash.split("$")[3]  # a salt of its own, same PIN


@pytest.mark.parametrize("pin", ["", "123", "123456789", "12a4", "１２３４"])
def test_pin_format_is_four_to_eight_ascii_digits(store, clock, pin):
    with pytest.raises(DeskError) as err:
        add(store, clock, pin=pin)
    assert err.value.key == "error.pin_format" and err.value.field == "pin"


@pytest.mark.parametrize("pin", ["1357", "13579", "123456789", "13579a"])
def test_a_supervisor_pin_is_six_to_eight_digits(store, clock, pin):
    with pytest.raises(DeskError) as err:
        add(store, clock, "001", pin=pin, role="supervisor")
    assert err.value.key == "error.pin_format_supervisor" and err.value.field == "pin"
    add(store, clock, "001", pin="135790", role="supervisor")
    with pytest.raises(DeskError) as err:
        store.write(lambda s: operators.change_pin(s, staff_no="001", new_pin="1357", now=clock.now(), by=1))
    assert err.value.key == "error.pin_format_supervisor"


def test_duplicate_staff_number_is_refused(store, clock):
    add(store, clock)
    with pytest.raises(DeskError) as err:
        add(store, clock)
    assert err.value.key == "error.staff_no_taken"


def test_cjk_name_is_kept(store, clock):
    info = add(store, clock, name="欧阳娜娜")
    assert info.name == "欧阳娜娜"


def test_right_pin_signs_on_and_wrong_pin_is_refused_with_one_message(store, clock):
    add(store, clock)
    assert operators.authenticate_in(store, staff_no="101", pin="2468", now=clock.now()).staff_no == "101"
    for staff_no, pin in (("101", "0000"), ("999", "2468")):
        with pytest.raises(DeskError) as err:
            operators.authenticate_in(store, staff_no=staff_no, pin=pin, now=clock.now())
        assert err.value.key == "error.bad_credentials"


def test_five_wrong_pins_lock_the_operator_for_a_growing_delay(store, clock):
    add(store, clock)
    for _ in range(5):
        with pytest.raises(DeskError):
            operators.authenticate_in(store, staff_no="101", pin="0000", now=clock.now())
    with pytest.raises(DeskError) as err:  # even the right PIN waits
        operators.authenticate_in(store, staff_no="101", pin="2468", now=clock.now())
    assert err.value.key == "error.locked_out" and err.value.params["seconds"] == 31
    clock.advance(31)
    with pytest.raises(DeskError):  # sixth failure: 60 s
        operators.authenticate_in(store, staff_no="101", pin="0000", now=clock.now())
    with pytest.raises(DeskError) as err:
        operators.authenticate_in(store, staff_no="101", pin="2468", now=clock.now())
    assert err.value.params["seconds"] == 61
    clock.advance(61)
    assert operators.authenticate_in(store, staff_no="101", pin="2468", now=clock.now())
    with store.read() as s:
        op = s.execute(select(Operator)).scalar_one()
    assert op.failed_pins == 0 and op.locked_until is None


def test_deactivated_operator_cannot_sign_on_and_last_supervisor_stays(store, clock):
    add(store, clock, "001", pin="135790", role="supervisor")
    add(store, clock, "101")
    store.write(lambda s: operators.set_active(s, staff_no="101", active=False, now=clock.now(), by=1))
    with pytest.raises(DeskError):
        operators.authenticate_in(store, staff_no="101", pin="2468", now=clock.now())
    with pytest.raises(DeskError) as err:
        store.write(lambda s: operators.set_active(s, staff_no="001", active=False, now=clock.now(), by=1))
    assert err.value.key == "error.last_supervisor"


def test_change_pin(store, clock):
    add(store, clock)
    store.write(lambda s: operators.change_pin(s, staff_no="101", new_pin="97531", now=clock.now(), by=1))
    assert operators.authenticate_in(store, staff_no="101", pin="97531", now=clock.now())


def test_sign_on_opens_a_shift_and_signing_on_again_resumes_it(store, clock):
    op = add(store, clock)
    first = store.write(lambda s: shifts.sign_on(s, op, desk_name="Lobby-1", clock=clock))
    clock.advance(600)
    again = store.write(lambda s: shifts.sign_on(s, op, desk_name="Lobby-1", clock=clock))
    assert again.shift_id == first.shift_id and again.desk_name == "Lobby-1"
    with store.read() as s:
        assert len(s.execute(select(Shift)).scalars().all()) == 1


def test_every_change_is_in_a_verifiable_audit_chain(store, clock):
    op = add(store, clock)
    store.write(lambda s: shifts.sign_on(s, op, desk_name="Lobby-1", clock=clock))
    with store.read() as s:
        result = audit.verify(s)
        events = s.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars().all()
    assert result.ok and result.checked == len(events) == 2
    assert [e.action for e in events] == ["create", "sign_on"]
    # Editing an event in the database breaks the chain at that event.
    # (The database refuses it first: someone with the file drops the triggers, db/guards.py.)
    store.write(lambda s: (guards.drop(s.connection()),
                           s.get(AuditEvent, events[0].id).__setattr__("after", '{"name": "x"}')))
    with store.read() as s:
        assert audit.verify(s).broken_at == events[0].id


def test_a_handover_is_taken_over_by_one_shift_only(store, clock):
    """DOMAIN §6: the shift that took over reads the handover; a second operator signing on
    at the same desk later is not handed the same note again."""
    a, b, c = add(store, clock, "101"), add(store, clock, "102"), add(store, clock, "103")
    first = store.write(lambda s: shifts.sign_on(s, a, desk_name="Lobby-1", clock=clock))

    def end(s):
        s.get(Shift, first.shift_id).ended_at = clock.now()

    store.write(end)
    second = store.write(lambda s: shifts.sign_on(s, b, desk_name="Lobby-1", clock=clock))
    third = store.write(lambda s: shifts.sign_on(s, c, desk_name="Lobby-1", clock=clock))
    with store.read() as s:
        assert s.get(Shift, second.shift_id).prev_shift_id == first.shift_id
        assert s.get(Shift, third.shift_id).prev_shift_id is None


def test_customer_personal_data_never_enters_the_audit_trail(store, clock):
    """The trail is hash-chained and cannot be anonymised later, so names and phones of
    visitors and callers are recorded as '(personal)', never by value."""
    from deskconsole.models import AuditEvent

    store.write(lambda s: audit.record(s, at=clock.now(), action="create", entity="visit", entity_id=1,
                                       after={"name": "张伟", "phone": "13812341234", "party_size": 2}))
    with store.read() as s:
        ev = s.execute(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).scalar_one()
        assert "张伟" not in ev.after and "13812341234" not in ev.after and '"party_size": 2' in ev.after
        assert audit.verify(s).ok
