"""What opening a store does for its audit chain, after the schema upgrade.

- A store keyed with another key than this desk's (or a desk with no key at a keyed store) is
  refused with one line naming both key ids and where this desk's key is: such a desk would
  write a chain no one can verify.
- A store from before the keyed chain (its head marked "legacy" by migration 0015) is sealed once: its
  plain SHA-256 chain is verified, then a keyed `seal` event (recording what the check found)
  is appended after it and a checkpoint taken. From then on an edit to an old event breaks the
  keyed seal, which no one without the key can recompute.
- Its records, written before records were sealed, then get one keyed `seal` event each
  (services/audit_rows.py), so `audit verify` checks them from now on (what they held before
  the upgrade no one can say: the trail never recorded it).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from deskconsole.models import AuditEvent, AuditHead
from deskconsole.services import audit, audit_checkpoints, audit_rows
from deskconsole.services.audit_key import source_for

SEAL_ACTION, SEAL_ENTITY = "seal", "audit"


def check_key(session: Session) -> tuple[str, bool]:
    """(the store's key id, whether its legacy chain awaits the seal); raises audit.WrongAuditKey."""
    head = session.get(AuditHead, 1)
    key_id = head.key_id if head is not None else ""
    if key_id == audit.LEGACY:
        return "", session.execute(select(AuditEvent.id).limit(1)).first() is not None
    if key_id:
        audit.desk_key(session, key_id)
    return key_id, False


def seal(session: Session, now) -> audit.Appended | None:
    """Seal a legacy chain (inside a write): verify it, append the keyed seal, checkpoint it."""
    key_id, unsealed = check_key(session)
    if key_id or not unsealed:
        return None  # another desk sealed it first
    key = source_for(session).get(create=True)
    found = audit.verify(session, key)
    legacy = "ok" if found.reason == "unkeyed" else f"{found.reason} at {found.broken_at}"
    sealed = audit.record(session, at=now, action=SEAL_ACTION, entity=SEAL_ENTITY,
                          after={"legacy_events": found.checked, "legacy_chain": legacy, "key_id": key.id})
    pending = [(entity, rid) for entity, rid, _ in audit_rows.seals(session)]
    for entity, rid in pending:
        audit.record(session, at=now, action=SEAL_ACTION, entity=entity, entity_id=rid)
    cp = audit_checkpoints.take(session, now)
    if cp is not None:
        audit_checkpoints.keep_after_commit(session, cp)
    return sealed
