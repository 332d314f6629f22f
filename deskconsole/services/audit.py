"""Append-only audit trail, hash-chained: each event's hash covers its
content and the previous event's hash, so editing or deleting one in the database is found
by `deskconsole audit verify`. A one-row chain head (models/reliability.py), moved in the same
transaction as every append, catches the deletion of the newest events too.

The hash is an HMAC-SHA256 under the desk's audit key (services/audit_key.py), which is not in
the store: without it no one can recompute a chain verify accepts. A store older than the key
holds a plain SHA-256 chain at its start, sealed by the first keyed event after it
(services/audit_seal.py); verify accepts plain events only before the first keyed one, and a
chain that ends unkeyed is refused. The head records the key's id (a fingerprint): a desk with
another key is refused before it appends."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from json.encoder import encode_basestring

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from deskconsole.models import AuditEvent, AuditHead
from deskconsole.services import audit_rows
from deskconsole.services.audit_key import AuditKey, source_for
from deskconsole.services.audit_walk import stored_time
from deskconsole.services.errors import DeskError

GENESIS = "0" * 64
# The chain head's key id of a store upgraded from before the key, until its seal (audit_seal).
LEGACY = "legacy"


def json_value(value) -> str:
    """`value` as JSON, exactly as json.dumps(value, ensure_ascii=False) writes it; None, int
    and str (every value a chain payload holds) without json.dumps' overhead, since bulk
    writers (the demo generator) hash hundreds of thousands of events."""
    if value is None:
        return "null"
    if type(value) is int:
        return str(value)
    if type(value) is str:
        return encode_basestring(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# json_value of the commonest types, each one C call ("null".format(None) is "null").
_JSON_BY_TYPE = {type(None): "null".format, int: str, str: encode_basestring}


def chain_payload(at_utc: str, operator_id, desk_id, shift_id, action, entity, entity_id, before, after,
                  prev_hash) -> str:
    """The JSON array an event's hash covers. `at_utc` is the time as an ISO string in UTC
    (datetime.isoformat of an aware UTC time): the column hands back UTC, so a clock in
    another zone must hash the same."""
    j = json_value
    return (f"[{j(at_utc)},{j(operator_id)},{j(desk_id)},{j(shift_id)},{j(action)},{j(entity)},"
            f"{j(entity_id)},{j(before)},{j(after)},{j(prev_hash)}]")


def chain_digest(payload: str, key: AuditKey) -> str:
    """The event's hash: HMAC-SHA256 of its chain payload under the desk's audit key."""
    return key.mac(payload)


def legacy_digest(payload: str) -> str:
    """The hash of an event written before the store was keyed: plain SHA-256."""
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _payload_of(at: datetime, operator_id, desk_id, shift_id, action, entity, entity_id, before, after,
                prev_hash) -> str:
    return chain_payload(at.astimezone(UTC).isoformat(), operator_id, desk_id, shift_id,
                         action, entity, entity_id, before, after, prev_hash)


class WrongAuditKey(DeskError):
    """This desk's key is not the one the store's chain is keyed with (or it has none)."""


# Customers' personal data never enters the audit trail: the trail is append-only and
# hash-chained, so `deskconsole purge` could not anonymise it later.
# A change to one of these fields is recorded as changed, without its value.
PERSONAL_FIELDS = frozenset({"name", "phone", "caller_name", "customer_name", "honorific", "note",
                             "handoff_description", "description", "comment", "summary"})
CUSTOMER_ENTITIES = frozenset({"visit", "expected_visit", "call", "ticket", "follow_up", "directory_entry"})
REDACTED = "(personal)"


def _redact(entity: str, payload):
    if entity not in CUSTOMER_ENTITIES or not isinstance(payload, dict):
        return payload
    return {k: (REDACTED if k in PERSONAL_FIELDS and v not in (None, "") else v) for k, v in payload.items()}


def _jsonable(value):
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


@dataclass(frozen=True)
class Appended:
    """What `record` appended (the row is written by Core statements, not the ORM)."""
    id: int
    at: datetime
    action: str
    entity: str
    entity_id: str | None
    before: str | None
    after: str | None
    prev_hash: str
    hash: str


_EVENTS = AuditEvent.__table__
_HEADS = AuditHead.__table__
# Compiled once and cached by SQLAlchemy: an append is three short statements on one connection
# (chain ends, insert, head), with no ORM unit of work: every durable save pays for it.
_ENDS = select(
    select(_EVENTS.c.hash).order_by(_EVENTS.c.id.desc()).limit(1).scalar_subquery(),
    select(_HEADS.c.count).where(_HEADS.c.id == 1).scalar_subquery(),
    select(_HEADS.c.key_id).where(_HEADS.c.id == 1).scalar_subquery())
_INSERT = _EVENTS.insert()
_HEAD_MOVE = _HEADS.update().where(_HEADS.c.id == 1).values(
    last_id=bindparam("last_id"), last_hash=bindparam("last_hash"), count=bindparam("count"),
    key_id=bindparam("key_id"))
_HEAD_NEW = _HEADS.insert()
_PG_CHAIN_LOCK = text("SELECT pg_advisory_xact_lock(742001)")  # PostgreSQL: one chain append at a time


def record(session: Session, *, at: datetime, action: str, entity: str,
           entity_id: object = None, before=None, after=None,
           operator_id: int | None = None, desk_id: int | None = None,
           shift_id: int | None = None) -> Appended:
    """Append one event inside the caller's write transaction (after flushing what the caller
    has pending, so the trail follows the records it describes)."""
    session.flush()
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        # Serialise chain appends across terminals; released at commit.
        conn.execute(_PG_CHAIN_LOCK)
    prev, count, key_id = conn.execute(_ENDS).one()
    key = desk_key(session, key_id)
    prev = prev or GENESIS
    entity_id = None if entity_id is None else str(entity_id)
    # An audited row's event seals the row as it now stands (services/audit_rows.py).
    after = audit_rows.with_seal(session, entity, entity_id, after)
    before, after = _jsonable(_redact(entity, before)), _jsonable(_redact(entity, after))
    digest = chain_digest(_payload_of(at, operator_id, desk_id, shift_id, action, entity, entity_id, before,
                                      after, prev), key)
    event_id = conn.execute(_INSERT, {
        "at": at, "operator_id": operator_id, "desk_id": desk_id, "shift_id": shift_id, "action": action,
        "entity": entity, "entity_id": entity_id, "before": before, "after": after, "prev_hash": prev,
        "hash": digest}).inserted_primary_key[0]
    if count is None:
        conn.execute(_HEAD_NEW, {"id": 1, "last_id": event_id, "last_hash": digest, "count": 1, "key_id": key.id})
    else:
        conn.execute(_HEAD_MOVE, {"last_id": event_id, "last_hash": digest, "count": count + 1,
                                  "key_id": key.id})
    return Appended(event_id, at, action, entity, entity_id, before, after, prev, digest)


def desk_key(session: Session, store_key_id: str | None) -> AuditKey:
    """The key to append with: this desk's, made now if the store is not keyed yet; refused
    when the store's chain is keyed with another key, or this desk has none to match it."""
    source = source_for(session)
    if store_key_id == LEGACY:
        store_key_id = None
    key = source.get(create=not store_key_id)
    if key is None:
        raise WrongAuditKey("audit_key.error.missing", path=str(source.path), store_key=store_key_id)
    if store_key_id and not hmac.compare_digest(key.id, store_key_id):
        raise WrongAuditKey("audit_key.error.wrong", path=str(source.path), store_key=store_key_id, desk_key=key.id)
    return key


# A receptionist who must dial a customer (a callback, a follow-up) may see the number whole
# for that call only; who saw which record's number is kept. The number itself is not.
PHONE_REVEAL = "phone.reveal"


def record_phone_reveal(session: Session, actor, entity: str, entity_id) -> Appended:
    """Record that `actor` was shown the whole phone number of `entity` `entity_id`."""
    return record_for(session, actor, PHONE_REVEAL, entity, entity_id)


def record_for(session: Session, actor, action: str, entity: str, entity_id=None,
               before=None, after=None) -> Appended:
    return record(session, at=actor.clock.now(), action=action, entity=entity,
                  entity_id=entity_id, before=before, after=after, **actor.stamps())


@dataclass
class VerifyResult:
    checked: int
    broken_at: int | None  # id of the first event whose chain does not hold
    # "chain": an event was edited, or one before it deleted; "tail": the newest events (or
    # the chain head) were deleted; "unkeyed": the chain ends in events hashed without the key
    # (recomputed by someone without it); "key": this desk's key is not the store's.
    # None when all is well.
    reason: str | None = None
    expected: int | None = None  # events the chain head counts
    # For each pinned event id reached: (events up to and including it, its hash).
    pinned: dict[int, tuple[int, str]] = field(default_factory=dict)
    legacy: int = 0  # events from before the store was keyed, sealed by the first keyed one
    store_key: str | None = None  # the key id in the chain head

    @property
    def ok(self) -> bool:
        return self.broken_at is None and self.reason is None


_WALK_SQL = ("SELECT id, at, operator_id, desk_id, shift_id, action, entity, entity_id, before, after, "
             "prev_hash, hash FROM audit_event WHERE id > {after} ORDER BY id LIMIT {batch}")


# _utc_iso of SQLite's "YYYY-MM-DD HH:MM:SS[.ffffff]" text, by its date and its time (each
# read on its own by fromisoformat; the time's key with the space before it), each taken once
# from a full conversion of a text in that form: the walk converts millions. Bounded (past
# _ISO_CAP times, each is converted in full).
_ISO_CAP = 200_000
_ISO_DATES: dict[str, str] = {}
_ISO_TIMES: dict[str, str] = {}


def _utc_iso(value) -> str:
    """The `at` column as the ORM hands it back, as chain_payload takes it: SQLite's raw text
    ("YYYY-MM-DD HH:MM:SS.ffffff", as SQLAlchemy writes it) or PostgreSQL's naive datetime,
    both UTC, to `datetime.isoformat` of the aware UTC time. A text not in the form SQLAlchemy
    writes is taken as it is (a "T" in it, an offset after it: the same time to fromisoformat,
    another to SQL's string order), so its event no longer matches its hash
    (services/audit_walk.py stored_time)."""
    if type(value) is str:
        date, time = _ISO_DATES.get(value[:10]), _ISO_TIMES.get(value[10:])
        if date is not None and time is not None:
            return date + time
        text, value = value, stored_time(value)
        if value is text:  # not in the stored form, or no time (a 30th of February)
            return text
        iso = value.isoformat()
        if len(_ISO_TIMES) < _ISO_CAP:
            _ISO_DATES[text[:10]], _ISO_TIMES[text[10:]] = iso[:11], iso[11:]
        return iso
    if not isinstance(value, datetime):  # a number or a blob put there: taken as it is
        return repr(value)
    if value.tzinfo is None:
        return value.isoformat() + "+00:00"
    return value.astimezone(UTC).isoformat()


def _raw_rows(session: Session, after: int, batch: int) -> Iterator[list[tuple]]:
    """The chain from the event after id `after`, in id order, as plain DB-API tuples (no
    Row objects, no type processing: the walk reads millions of events), one batch at a time
    (keyset pages: constant memory on SQLite and PostgreSQL alike)."""
    conn = session.connection()
    dbapi_error = conn.dialect.loaded_dbapi.Error
    cursor = conn.connection.cursor()
    try:
        while True:
            statement = _WALK_SQL.format(after=int(after), batch=int(batch))
            try:
                cursor.execute(statement)
                rows = cursor.fetchall()
            except dbapi_error as exc:  # as SQLAlchemy raises it (a dropped table: a found problem)
                raise DBAPIError.instance(statement, None, exc, dbapi_error) from exc
            if not rows:
                return
            yield rows
            after = rows[-1][0]
    finally:
        cursor.close()


@dataclass(frozen=True)
class Anchor:
    """Where a quick walk starts: after event `last_id`, whose hash is `last_hash`, the
    `count`-th event (a signed checkpoint vouches for all three)."""
    last_id: int
    last_hash: str
    count: int


def verify(session: Session, key: AuditKey | None = None, batch: int = 5000,
           pins: frozenset[int] = frozenset(), anchor: Anchor | None = None,
           progress: Callable[[int, int | None], None] | None = None) -> VerifyResult:
    """Walk the chain in id order (raw rows, a batch at a time: constant memory). Events are
    plain SHA-256 only before the first keyed one; after it each must be this key's HMAC.
    From an `anchor` (a checkpoint, proven by its HMAC), only the events after it are walked;
    they must all be keyed (a checkpoint is only taken on a keyed chain)."""
    head = session.get(AuditHead, 1)
    store_key = head.key_id if head is not None and head.key_id != LEGACY else None
    if key is None:
        key = source_for(session).get(create=False)
    if store_key and (key is None or not hmac.compare_digest(key.id, store_key)):
        return VerifyResult(0, None, "key", store_key=store_key)
    # The chain's ids start at 1: an event put in below (id -1) is outside the walk, yet could
    # seal a forged record. It breaks the chain where it stands.
    low = session.execute(select(func.min(AuditEvent.id))).scalar()
    if low is not None and low < 1:
        return VerifyResult(0, low, "chain", store_key=store_key)
    keyed_mac = hmac.new(key.secret, digestmod="sha256") if key is not None else None
    prev, checked, last_id, keyed, legacy = GENESIS, 0, 0, False, 0
    if anchor is not None:
        prev, checked, last_id, keyed = anchor.last_hash, anchor.count, anchor.last_id, True
    pinned: dict[int, tuple[int, str]] = {}
    sha, iso, equal = hashlib.sha256, _utc_iso, hmac.compare_digest
    enc, j, jv = encode_basestring, _JSON_BY_TYPE.get, json_value
    for rows in _raw_rows(session, last_id, batch):
        for eid, at, op, desk, shift, action, entity, entity_id, before, after, prev_hash, digest in rows:
            if prev_hash != prev:
                return VerifyResult(checked, eid, "chain", pinned=pinned, legacy=legacy, store_key=store_key)
            # chain_payload inline (the walk reads millions): each value by its type, as json_value
            data = (f"[{enc(iso(at))},{j(type(op), jv)(op)},{j(type(desk), jv)(desk)},"
                    f"{j(type(shift), jv)(shift)},{j(type(action), jv)(action)},{j(type(entity), jv)(entity)},"
                    f"{j(type(entity_id), jv)(entity_id)},{j(type(before), jv)(before)},"
                    f"{j(type(after), jv)(after)},{enc(prev_hash)}]").encode()
            if keyed_mac is not None:
                m = keyed_mac.copy()
                m.update(data)
                good = equal(m.hexdigest(), digest)
            else:
                good = equal("", digest)
            if not good:
                if keyed or sha(data).hexdigest() != digest:
                    return VerifyResult(checked, eid, "chain", pinned=pinned, legacy=legacy, store_key=store_key)
                legacy += 1
            else:
                keyed = True
            prev, last_id = digest, eid
            checked += 1
            if eid in pins:
                pinned[eid] = (checked, digest)
        if progress is not None:
            progress(checked, head.count if head is not None else None)
    result = _check_head(head, checked, last_id, prev)
    if result.ok and checked and not keyed:
        result = VerifyResult(checked, last_id, "unkeyed")
    result.pinned, result.legacy, result.store_key = pinned, legacy, store_key
    return result


def _check_head(head: AuditHead | None, checked: int, last_id: int, last_hash: str) -> VerifyResult:
    if head is None:
        if checked == 0:
            return VerifyResult(0, None)
        return VerifyResult(checked, last_id, "tail")
    same_end = head.last_hash == last_hash or (checked == 0 and head.last_hash == "")
    if (head.count, head.last_id) == (checked, last_id) and same_end:
        return VerifyResult(checked, None)
    return VerifyResult(checked, max(head.last_id, last_id), "tail", expected=head.count)


def events(session: Session, *, operator_id: int | None = None, start: datetime | None = None,
           end: datetime | None = None, entity: str | None = None, entity_id: str | None = None,
           limit: int = 200) -> list[AuditEvent]:
    """The newest `limit` events matching every filter given, oldest first. `end` is exclusive.
    Each filter has an index (operator+at, at, entity+entity_id)."""
    q = select(AuditEvent)
    if operator_id is not None:
        q = q.where(AuditEvent.operator_id == operator_id)
    if start is not None:
        q = q.where(AuditEvent.at >= start)
    if end is not None:
        q = q.where(AuditEvent.at < end)
    if entity:
        q = q.where(AuditEvent.entity == entity)
    if entity_id:
        q = q.where(AuditEvent.entity_id == str(entity_id))
    rows = session.execute(q.order_by(AuditEvent.id.desc()).limit(limit)).scalars().all()
    return list(reversed(rows))
