"""Operators (staff), PINs, sign-on lockout, and who may change operators.

PINs: 4-8 digits, 6-8 for a supervisor (their PIN approves voids, purges and unmasking), hashed
with scrypt, a fresh salt per hash and the cost stored with it (services/pin_hash.py). Five
wrong PINs lock that operator for a delay that doubles with each further failure (30 s, 60 s,
... up to 1 h); every PIN check counts, sign-on or operator admin alike.

Adding, re-PINning, deactivating or activating an operator is a supervisor's act, proved by
their PIN (`as_admin`); the only exceptions are the first supervisor of a store nobody can sign
on to, and an operator changing their own PIN with the old one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import func, select
from sqlmodel import Session

from deskconsole.models import Operator
from deskconsole.models.core import ROLES
from deskconsole.services import audit, pin_hash
from deskconsole.services.errors import DeskError
from deskconsole.services.text import clean

PIN_RE = re.compile(r"^[0-9]{4,8}$")
SUPERVISOR_PIN_RE = re.compile(r"^[0-9]{6,8}$")
STAFF_NO_RE = re.compile(r"^[A-Za-z0-9-]{1,16}$")
FREE_ATTEMPTS = 5
BASE_LOCK_SECONDS = 30
MAX_LOCK_SECONDS = 3600
T = TypeVar("T")


@dataclass(frozen=True)
class OperatorInfo:
    id: int
    staff_no: str
    name: str
    role: str
    active: bool


def _info(op: Operator) -> OperatorInfo:
    return OperatorInfo(op.id, op.staff_no, op.name, op.role, op.active)


def hash_pin(pin: str) -> str:
    """A PHC-format hash with a fresh random salt."""
    return pin_hash.make(pin)


def check_pin_format(pin: str, role: str = "receptionist") -> None:
    if role == "supervisor":
        if not SUPERVISOR_PIN_RE.match(pin or ""):
            raise DeskError("error.pin_format_supervisor", field="pin")
    elif not PIN_RE.match(pin or ""):
        raise DeskError("error.pin_format", field="pin")


def check_staff_no(staff_no: str) -> str:
    staff_no = (staff_no or "").strip()
    if not staff_no:
        raise DeskError("error.required", field="staff_no", label="field.staff_no")
    if not STAFF_NO_RE.match(staff_no):
        raise DeskError("error.staff_no_format", field="staff_no")
    return staff_no


def count_active(session: Session) -> int:
    return session.execute(
        select(func.count()).select_from(Operator).where(Operator.active)
    ).scalar_one()


def list_operators(session: Session, *, include_inactive: bool = True) -> list[OperatorInfo]:
    q = select(Operator).order_by(Operator.staff_no)
    if not include_inactive:
        q = q.where(Operator.active)
    return [_info(op) for op in session.execute(q).scalars()]


def create_operator(session: Session, *, staff_no: str, name: str, role: str, pin: str,
                    now: datetime, by: int | None = None, bootstrap: bool = False) -> OperatorInfo:
    staff_no = check_staff_no(staff_no)
    name = clean(name, field="name", limit=64, required=True)
    if role not in ROLES:
        raise DeskError("error.role", field="role", roles=", ".join(ROLES))
    check_pin_format(pin, role)
    if session.execute(select(Operator.id).where(Operator.staff_no == staff_no)).first():
        raise DeskError("error.staff_no_taken", field="staff_no", staff_no=staff_no)
    # pin_salt is only read for hashes written before the salt lived inside pin_hash.
    op = Operator(staff_no=staff_no, name=name, role=role, pin_salt="", pin_hash=hash_pin(pin), created_at=now)
    session.add(op)
    session.flush()
    audit.record(session, at=now, action="create", entity="operator", entity_id=op.id,
                 after={"staff_no": staff_no, "name": name, "role": role},
                 operator_id=op.id if bootstrap else by)
    return _info(op)


def create_first_supervisor(session: Session, *, staff_no: str, name: str, pin: str,
                            now: datetime) -> OperatorInfo:
    """The one operator anyone may create: a supervisor, while nobody can sign on. The audit
    event names the new supervisor as its own actor, as nobody else was there to act."""
    if count_active(session):
        raise DeskError("error.admin_needs_supervisor", field="staff_no")
    return create_operator(session, staff_no=staff_no, name=name, role="supervisor", pin=pin,
                           now=now, bootstrap=True)


def _get(session: Session, staff_no: str) -> Operator:
    staff_no = check_staff_no(staff_no)
    op = session.execute(select(Operator).where(Operator.staff_no == staff_no)).scalar_one_or_none()
    if op is None:
        raise DeskError("error.unknown_operator", field="staff_no", staff_no=staff_no)
    return op


def authenticate(session: Session, *, staff_no: str, pin: str, now: datetime) -> OperatorInfo | DeskError:
    """Check a PIN inside a write transaction; returns the operator, or the error to show.

    A wrong PIN is returned rather than raised so the caller commits the failure count.
    The same message is given for an unknown staff number and a wrong PIN, so a passer-by
    cannot learn which staff numbers exist.
    """
    staff_no = (staff_no or "").strip()
    if not staff_no:
        return DeskError("error.required", field="staff_no", label="field.staff_no")
    if not pin:
        return DeskError("error.required", field="pin", label="field.pin")
    # A staff number that cannot exist is not looked up (PostgreSQL refuses NUL bytes outright).
    op = session.execute(select(Operator).where(Operator.staff_no == staff_no)).scalar_one_or_none() \
        if STAFF_NO_RE.match(staff_no) else None
    if op is None or not op.active:
        return DeskError("error.bad_credentials", field="pin")
    if op.locked_until is not None and op.locked_until > now:
        wait = int((op.locked_until - now).total_seconds()) + 1
        return DeskError("error.locked_out", field="pin", seconds=wait)
    if not pin_hash.verify(pin, op.pin_hash, op.pin_salt):
        op.failed_pins += 1
        if op.failed_pins >= FREE_ATTEMPTS:
            delay = min(BASE_LOCK_SECONDS * 2 ** (op.failed_pins - FREE_ATTEMPTS), MAX_LOCK_SECONDS)
            op.locked_until = now + timedelta(seconds=delay)
            audit.record(session, at=now, action="lockout", entity="operator", entity_id=op.id,
                         after={"failed_pins": op.failed_pins, "seconds": delay})
        session.add(op)
        return DeskError("error.bad_credentials", field="pin")
    if op.failed_pins or op.locked_until:
        op.failed_pins, op.locked_until = 0, None
        session.add(op)
    if pin_hash.needs_update(op.pin_hash):
        # Only now is the PIN in hand: move an old-format or cheaper hash to today's cost.
        op.pin_salt, op.pin_hash = "", hash_pin(pin)
        session.add(op)
        audit.record(session, at=now, action="pin_rehash", entity="operator", entity_id=op.id, operator_id=op.id)
    return _info(op)


def authenticate_in(store, *, staff_no: str, pin: str, now: datetime) -> OperatorInfo:
    """Authenticate in its own write transaction (keeping the failure count), raise on refusal."""
    result = store.write(lambda s: authenticate(s, staff_no=staff_no, pin=pin, now=now))
    if isinstance(result, DeskError):
        raise result
    return result


def change_pin(session: Session, *, staff_no: str, new_pin: str, now: datetime, by: int) -> None:
    """`by`: the operator who proved their PIN for this (see `as_admin`), named in the audit."""
    op = _get(session, staff_no)
    check_pin_format(new_pin, op.role)
    op.pin_salt, op.pin_hash = "", hash_pin(new_pin)
    op.failed_pins, op.locked_until = 0, None
    session.add(op)
    audit.record(session, at=now, action="pin_change", entity="operator", entity_id=op.id, operator_id=by)


def set_active(session: Session, *, staff_no: str, active: bool, now: datetime, by: int) -> OperatorInfo:
    """`by`: the supervisor who proved their PIN for this (see `as_admin`), named in the audit."""
    op = _get(session, staff_no)
    if not active and op.role == "supervisor" and op.active:
        others = session.execute(
            select(func.count()).select_from(Operator)
            .where(Operator.active, Operator.role == "supervisor", Operator.id != op.id)
        ).scalar_one()
        if others == 0:
            raise DeskError("error.last_supervisor", field="staff_no")
    before = op.active
    op.active = active
    session.add(op)
    audit.record(session, at=now, action="activate" if active else "deactivate", entity="operator",
                 entity_id=op.id, before={"active": before}, after={"active": active}, operator_id=by)
    return _info(op)


def as_admin(store, *, staff_no: str, pin: str, now: datetime, act: Callable[[Session, OperatorInfo], T],
             own_staff_no: str | None = None) -> T:
    """Run `act(session, acting_operator)` in one write transaction once `staff_no` has proved
    their PIN and is a supervisor (or is `own_staff_no`, changing their own PIN with the old
    one). A wrong PIN counts towards that operator's lockout like a wrong sign-on; refusals
    raise DeskError, and `act` changes nothing unless the PIN was right."""

    def work(s: Session):
        who = authenticate(s, staff_no=staff_no, pin=pin, now=now)
        if isinstance(who, DeskError):
            return who  # returned, not raised: the failure count must be committed
        if who.role != "supervisor" and who.staff_no != own_staff_no:
            return DeskError("error.supervisor_only", field="staff_no", action="operator.admin_action")
        return act(s, who)

    result = store.write(work)
    if isinstance(result, DeskError):
        raise result
    return result
