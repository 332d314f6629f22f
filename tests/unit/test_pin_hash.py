"""PIN hashes carry their cost and salt, and older or cheaper hashes move up at sign-on."""

import hashlib

import pytest
from sqlalchemy import select

from deskconsole.models import Operator
from deskconsole.services import operators, pin_hash
from deskconsole.services.errors import DeskError


def _old_format(store, staff_no: str, pin: str) -> None:
    """Store the PIN as versions before the PHC format did: bare hex, salt in its own column."""
    salt = bytes(range(16))

    def work(s):
        op = s.execute(select(Operator).where(Operator.staff_no == staff_no)).scalar_one()
        op.pin_salt = salt.hex()
        op.pin_hash = hashlib.scrypt(pin.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32).hex()

    store.write(work)


def _stored(store, staff_no: str) -> Operator:
    with store.read() as s:
        return s.execute(select(Operator).where(Operator.staff_no == staff_no)).scalar_one()


def test_an_old_format_hash_verifies_then_is_rewritten_in_the_new_format(store, clock):
    operators_add(store, clock)
    _old_format(store, "101", "2468")
    with pytest.raises(DeskError):  # a wrong PIN leaves the old hash as it was
        operators.authenticate_in(store, staff_no="101", pin="0000", now=clock.now())
    assert len(_stored(store, "101").pin_hash) == 64
    assert operators.authenticate_in(store, staff_no="101", pin="2468", now=clock.now()).staff_no == "101"
    op = _stored(store, "101")
    assert op.pin_hash.startswith("$scrypt$ln=14,r=8,p=1$") and op.pin_salt == ""
    assert not pin_hash.needs_update(op.pin_hash)
    assert operators.authenticate_in(store, staff_no="101", pin="2468", now=clock.now())


def test_a_raised_cost_reaches_each_hash_at_its_next_sign_on(store, clock, monkeypatch):
    operators_add(store, clock)
    cheap = _stored(store, "101").pin_hash
    assert not pin_hash.needs_update(cheap)
    monkeypatch.setattr(pin_hash, "CURRENT", pin_hash.ScryptCost(ln=12, r=8, p=2))  # a release changes it
    assert pin_hash.needs_update(cheap)
    operators.authenticate_in(store, staff_no="101", pin="2468", now=clock.now())
    assert _stored(store, "101").pin_hash.startswith("$scrypt$ln=12,r=8,p=2$")
    assert operators.authenticate_in(store, staff_no="101", pin="2468", now=clock.now())


@pytest.mark.parametrize("stored", [
    "", "$scrypt$ln=40,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "$scrypt$ln=20,r=32,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",  # 4 GiB
    "$pbkdf2$i=1$AAAA$AAAA", "zz" * 32, "$scrypt$ln=14,r=8,p=1$!!!$AAAA",
])
def test_a_damaged_or_unknown_hash_never_matches_and_never_raises(stored):
    assert pin_hash.verify("2468", stored, "00" * 16) is False


def test_each_hash_has_its_own_salt():
    assert pin_hash.make("2468") != pin_hash.make("2468")


def operators_add(store, clock, staff_no="101", pin="2468", role="receptionist"):
    return store.write(lambda s: operators.create_operator(
        s, staff_no=staff_no, name="李娜", role=role, pin=pin, now=clock.now()))
