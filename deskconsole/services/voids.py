"""Soft void of a visit or a call: a supervisor marks a record made in
error as void, with a reason. Nothing is deleted: the row stays, counts and lists leave it
out (they filter on voided_at), and the audit trail records who voided it, when and why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from deskconsole.models import Call, Visit
from deskconsole.services import audit
from deskconsole.services.errors import DeskError
from deskconsole.services.text import clean

REASON_LIMIT = 200  # Visit.void_reason / Call.void_reason
VOIDABLE = {"visit": Visit, "call": Call}


@dataclass(frozen=True)
class Voided:
    entity: str
    id: int
    voided_at: datetime
    reason: str


def clean_reason(reason: object) -> str:
    try:
        return clean(reason, field="void_reason", limit=REASON_LIMIT, required=True)
    except DeskError as exc:
        key = "reliability.error.reason_required" if exc.key == "error.required" \
            else "reliability.error.reason_too_long"
        raise DeskError(key, field="void_reason", limit=REASON_LIMIT) from None


def void(session: Session, actor, entity: str, record_id: int, reason: object, *,
         voidable: dict | None = None, names: Iterable[str] | None = None) -> Voided:
    """Void one visit or call (or, with `voidable`, one record of those models by entity name;
    `names` are what a refusal lists). Supervisor only; a reason is required; voiding twice is
    refused."""
    actor.require_supervisor("reliability.action.void")
    voidable = VOIDABLE if voidable is None else voidable
    if entity not in voidable:
        raise DeskError("reliability.error.void_entity", field="entity", entities=", ".join(names or voidable))
    reason = clean_reason(reason)
    row = session.get(voidable[entity], record_id)
    if row is None:
        raise DeskError("reliability.error.not_found", field="id", entity=entity, id=record_id)
    if row.voided_at is not None:
        raise DeskError("reliability.error.already_voided", field="id", entity=entity, id=record_id)
    now = actor.clock.now()
    row.voided_at, row.void_reason = now, reason
    session.add(row)
    session.flush()
    audit.record_for(session, actor, "void", entity, record_id, before={"voided_at": None},
                     after={"voided_at": now.isoformat(), "void_reason": reason})
    return Voided(entity, record_id, now, reason)


def void_visit(session: Session, actor, visit_id: int, reason: object) -> Voided:
    return void(session, actor, "visit", visit_id, reason)


def void_call(session: Session, actor, call_id: int, reason: object) -> Voided:
    return void(session, actor, "call", call_id, reason)
