"""Operators (staff), PINs and sign-on lockout.

PINs: 4-8 digits, hashed with scrypt and a per-operator salt. Five wrong PINs lock that
operator for a delay that doubles with each further failure (30 s, 60 s, ... up to 1 h).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from deskconsole.models import Operator
from deskconsole.models.core import ROLES
from deskconsole.services import audit
from deskconsole.services.errors import DeskError
from deskconsole.services.text import clean

PIN_RE = re.compile(r"^[0-9]{4,8}$")
STAFF_NO_RE = re.compile(r"^[A-Za-z0-9-]{1,16}$")
FREE_ATTEMPTS = 5
BASE_LOCK_SECONDS = 30
MAX_LOCK_SECONDS = 3600
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


@dataclass(frozen=True)
class OperatorInfo:
    id: int
    staff_no: str
    name: str
    role: str
    active: bool


def _info(op: Operator) -> OperatorInfo:
    return OperatorInfo(op.id, op.staff_no, op.name, op.role, op.active)


def hash_pin(pin: str, salt: bytes) -> str:
    return hashlib.scrypt(pin.encode(), salt=salt, **_SCRYPT).hex()


def check_pin_format(pin: str) -> None:
    if not PIN_RE.match(pin or ""):
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
                    now: datetime, by: int | None = None) -> OperatorInfo:
    staff_no = check_staff_no(staff_no)
    name = clean(name, field="name", limit=64, required=True)
    if role not in ROLES:
        raise DeskError("error.role", field="role", roles=", ".join(ROLES))
    check_pin_format(pin)
    if session.execute(select(Operator.id).where(Operator.staff_no == staff_no)).first():
        raise DeskError("error.staff_no_taken", field="staff_no", staff_no=staff_no)
    salt = os.urandom(16)
    op = Operator(staff_no=staff_no, name=name, role=role, pin_salt=salt.hex(),
                  pin_hash=hash_pin(pin, salt), created_at=now)
    session.add(op)
    session.flush()
    audit.record(session, at=now, action="create", entity="operator", entity_id=op.id,
                 after={"staff_no": staff_no, "name": name, "role": role}, operator_id=by)
    return _info(op)


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
    if not hmac.compare_digest(hash_pin(pin, bytes.fromhex(op.pin_salt)), op.pin_hash):
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
    return _info(op)


def authenticate_in(store, *, staff_no: str, pin: str, now: datetime) -> OperatorInfo:
    """Authenticate in its own write transaction (keeping the failure count), raise on refusal."""
    result = store.write(lambda s: authenticate(s, staff_no=staff_no, pin=pin, now=now))
    if isinstance(result, DeskError):
        raise result
    return result


def change_pin(session: Session, *, staff_no: str, new_pin: str, now: datetime,
               by: int | None = None) -> None:
    check_pin_format(new_pin)
    op = _get(session, staff_no)
    salt = os.urandom(16)
    op.pin_salt, op.pin_hash = salt.hex(), hash_pin(new_pin, salt)
    op.failed_pins, op.locked_until = 0, None
    session.add(op)
    audit.record(session, at=now, action="pin_change", entity="operator", entity_id=op.id, operator_id=by)


def set_active(session: Session, *, staff_no: str, active: bool, now: datetime,
               by: int | None = None) -> OperatorInfo:
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
