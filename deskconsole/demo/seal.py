"""Seal every record the demo wrote: one `seal` event per audited row, appended to the chain
after the generated days, each carrying the row's seal as read back from the database.

The seal is computed by services/audit_rows (the code `audit.record` seals a row with) and the
event hashed by services/audit's chain_payload and chain_digest under the store's key, so `audit verify` finds a
fresh demo store whole. The events are those an upgraded store gets for its older rows: the
demo's history did not pass through the services, so its rows are sealed as they stand."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

from sqlmodel import Session

from deskconsole.demo.sink import ts
from deskconsole.services import audit, audit_rows
from deskconsole.services.audit_key import AuditKey

ACTION = "seal"
CHUNK = 5000


def seal_rows(conn, insert_sql: str, last_id: int, last_hash: str, now: datetime, key: AuditKey,
              progress: Callable[[int], None] | None = None) -> tuple[int, str, int]:
    """Append the seal events; returns the chain's new end and how many were added."""
    at = now.astimezone(UTC).replace(microsecond=0)  # as the stored text holds it
    at_text, at_stored = at.isoformat(), ts(int(at.timestamp()))
    payload, digest = audit.chain_payload, audit.chain_digest
    prev, next_id, added, chunk = last_hash, last_id, 0, []
    session = Session(bind=conn)
    for entity, rid, seal in audit_rows.seals(session):
        after = json.dumps({audit_rows.SEAL_KEY: seal}, ensure_ascii=False, sort_keys=True)
        eid = str(rid)
        h = digest(payload(at_text, None, None, None, ACTION, entity, eid, None, after, prev), key)
        next_id += 1
        chunk.append((next_id, at_stored, None, None, None, ACTION, entity, eid, after, prev, h))
        prev = h
        if len(chunk) >= CHUNK:
            added += _flush(conn, insert_sql, chunk, progress, added)
    added += _flush(conn, insert_sql, chunk, progress, added)
    return next_id, prev, added


def _flush(conn, insert_sql: str, chunk: list, progress, added: int) -> int:
    n = len(chunk)
    if n:
        conn.exec_driver_sql(insert_sql, chunk)
        chunk.clear()
        if progress:
            progress(added + n)
    return n
