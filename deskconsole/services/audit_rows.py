"""Sealed records: the content of every audited row is pinned by its latest audit event.

The hash chain (services/audit.py) proves the trail was not edited; this module ties the
RECORDS to the trail. Every event appended for an audited entity (a visit, a call, a ticket,
...) carries a seal of the row as it stands after the change, read back from the database:
`{"v": 1, "d": <digest of all audited columns>, "c": <a short digest per column>}`. A ticket's
seal also lists its history lines and repair steps (rows that belong to it and have no
events of their own), an inspection's seal its results.

`audit verify` (verify_rows) recomputes the seal of every live row and compares it with the
row's latest event: a row edited in the database, one deleted, or one written without an event
is reported with its table, id and the columns that differ. Personal data stays out of the
trail: a seal holds digests, never values, and `purge` writes a new event (with the
anonymised row's seal) for every row it blanks. The per-column digests are 16 bits: enough to
name the columns that changed, far too short to tell which value a column held; the whole-row
digest (128 bits) is what proves the row unchanged.

Rows are read with Core statements (never the ORM: its read guard cleans text as it loads),
so a seal is computed from exactly what the database holds, the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from functools import cached_property
from json.encoder import encode_basestring

from sqlalchemy import Integer, bindparam, cast, exists, func, or_, select
from sqlmodel import Session

from deskconsole.models import (
    AuditEvent,
    Call,
    EtiquetteCheck,
    EtiquetteResult,
    ExpectedVisit,
    FollowUp,
    GoodsRelease,
    ItemLoan,
    KeyLoan,
    Operator,
    ProgressCall,
    RepairStep,
    Shift,
    Ticket,
    TicketEvent,
    Visit,
    WatchEntry,
    WatchHit,
)
from deskconsole.services import audit_walk

SEAL_KEY = "seal"
VERSION = 1


@dataclass(frozen=True)
class Child:
    """Rows that belong to a parent row and are sealed in the parent's events."""
    name: str  # the key in the parent's seal, and the table named in a finding
    table: object
    parent_column: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Sealed:
    entity: str  # the audit events' entity
    table: object
    columns: tuple[str, ...]
    children: tuple[Child, ...] = ()

    @cached_property
    def read_back(self) -> tuple:  # (the row's, its children's) by "rid": built once, compiled once
        rid = bindparam("rid", type_=Integer)
        return (select(*(self.table.c[n] for n in self.columns)).where(self.table.c.id == rid),
                tuple(select(c.table.c.id, *(c.table.c[n] for n in c.columns))
                      .where(c.table.c[c.parent_column] == rid).order_by(c.table.c.id) for c in self.children))


def _cols(model, *leave_out: str) -> tuple[str, ...]:
    return tuple(c.name for c in model.__table__.columns if c.name != "id" and c.name not in leave_out)


# Every table a service writes a record into with an audit event (DEVELOPING: every
# create/change/void appends one). Left out: an operator's failed-PIN counter and lock time,
# which move at every wrong PIN (the lockout itself is an event), and a shift's audit
# checkpoint, written after its close event (it signs the chain up to that event: it is checked
# by its own HMAC, services/audit_checkpoints.py).
SEALED: dict[str, Sealed] = {s.entity: s for s in (
    Sealed("visit", Visit.__table__, _cols(Visit)),
    Sealed("expected_visit", ExpectedVisit.__table__, _cols(ExpectedVisit)),
    Sealed("call", Call.__table__, _cols(Call)),
    Sealed("ticket", Ticket.__table__, _cols(Ticket), (
        Child("ticket_event", TicketEvent.__table__, "ticket_id", _cols(TicketEvent)),
        Child("repair_step", RepairStep.__table__, "ticket_id", _cols(RepairStep)))),
    Sealed("follow_up", FollowUp.__table__, _cols(FollowUp)),
    Sealed("shift", Shift.__table__, _cols(Shift, "audit_checkpoint")),
    Sealed("etiquette_check", EtiquetteCheck.__table__, _cols(EtiquetteCheck), (
        Child("etiquette_result", EtiquetteResult.__table__, "check_id", _cols(EtiquetteResult)),)),
    Sealed("operator", Operator.__table__, _cols(Operator, "failed_pins", "locked_until")),
    Sealed("progress_call", ProgressCall.__table__, _cols(ProgressCall)),
    Sealed("key_loan", KeyLoan.__table__, _cols(KeyLoan)),
    Sealed("goods_release", GoodsRelease.__table__, _cols(GoodsRelease)),
    Sealed("item_loan", ItemLoan.__table__, _cols(ItemLoan)),
    Sealed("watch_entry", WatchEntry.__table__, _cols(WatchEntry)),
    Sealed("watch_hit", WatchHit.__table__, _cols(WatchHit)),
)}


def _when(value: datetime) -> str:
    if value.tzinfo is not UTC:
        value = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    return "t" + value.isoformat()


# One text per value, the same for what SQLite and PostgreSQL hand back (a dict by type: the
# full check runs this for every column of every record).
_CANON = {
    str: encode_basestring,
    bool: lambda v: "true" if v else "false",
    int: str,
    float: lambda v: "f" + repr(v),
    datetime: _when,
    Decimal: lambda v: "n" + format(v.normalize(), "f"),
    type(None): lambda v: "null",
}


def canonical(value) -> str:
    f = _CANON.get(type(value))
    return f(value) if f is not None else encode_basestring(str(value))


def _whole(values: tuple) -> str:
    """The whole row: the repr of its values, which is the same on both stores (every column
    comes back as the same Python type: aware UTC datetimes, bools, Decimals, floats) and is
    made in C, so the full check of millions of rows stays quick."""
    return hashlib.sha256(repr(values).encode("utf-8")).hexdigest()[:32]


def _per_column(values: tuple) -> str:
    """The low 16 bits of each value's canonical text's CRC-32, big-endian, as base64 (packed
    in one call: sealing a demo store works this out for millions of rows)."""
    get, other, crc = _CANON.get, canonical, zlib.crc32
    per = [crc((get(type(v)) or other)(v).encode("utf-8")) & 0xFFFF for v in values]
    return base64.b64encode(struct.pack(f">{len(per)}H", *per)).decode("ascii")


def row_digest(columns: tuple[str, ...], values) -> tuple[str, str]:
    """(digest of the whole row, 16-bit digests of each column as base64) for `values` in
    `columns` order."""
    values = tuple(values)
    return _whole(values), _per_column(values)


def seal_of(spec: Sealed, values, children: dict[str, list] | None = None) -> dict:
    """The seal of one row (`values` in spec.columns order; children: name -> [(id, values)])."""
    d, c = row_digest(spec.columns, values)
    seal = {"v": VERSION, "d": d, "c": c}
    for child in spec.children:
        rows = (children or {}).get(child.name, [])
        seal[child.name] = [[cid, *row_digest(child.columns, vals)] for cid, vals in rows]
    return seal


def seal_row(session: Session, entity: str, entity_id) -> dict | None:
    """The seal of audited row `entity` `entity_id` as the database holds it now (None: not
    an audited entity, or no such row)."""
    spec = SEALED.get(entity)
    if spec is None or entity_id is None:
        return None
    try:
        rid = int(entity_id)
    except (TypeError, ValueError):
        return None
    conn = session.connection()
    row_stmt, child_stmts = spec.read_back
    values = conn.execute(row_stmt, {"rid": rid}).first()
    if values is None:
        return {"v": VERSION, "gone": True}
    return seal_of(spec, tuple(values), {child.name: [(r[0], r[1:]) for r in conn.execute(stmt, {"rid": rid})]
                                         for child, stmt in zip(spec.children, child_stmts, strict=True)})


def with_seal(session: Session, entity: str, entity_id, after):
    """`after` with the row's seal added (what audit.record stores for an audited entity)."""
    seal = seal_row(session, entity, entity_id)
    if seal is None:
        return after
    if after is None:
        return {SEAL_KEY: seal}
    if isinstance(after, dict):
        return {**after, SEAL_KEY: seal}
    return {"value": after, SEAL_KEY: seal}


def seal_in(after: str | None) -> dict | None:
    """The seal an event's `after` carries, if any."""
    if not after or f'"{SEAL_KEY}"' not in after:
        return None
    try:
        value = json.loads(after)
    except ValueError:
        return None
    seal = value.get(SEAL_KEY) if isinstance(value, dict) else None
    return seal if isinstance(seal, dict) else None


# -- verify ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Finding:
    """A row that does not match its latest audit event. kind: "changed" (columns differ),
    "unsealed" (no event seals it), "deleted" (its event names a row that is gone)."""
    table: str
    id: int | str
    kind: str
    columns: tuple[str, ...] = ()


def differing(columns: tuple[str, ...], sealed_c: str, now_c: str) -> tuple[str, ...]:
    try:
        a, b = base64.b64decode(sealed_c), base64.b64decode(now_c)
    except ValueError:
        return columns
    if len(a) != len(b):
        return columns
    return tuple(n for i, n in enumerate(columns) if a[2 * i:2 * i + 2] != b[2 * i:2 * i + 2])


def _compare(table: str, rid, columns, sealed: list | None, raw, codec) -> Finding | None:
    """Row `raw` (as read, with its audit_walk.Codec) against its seal's [d, c]."""
    if sealed is None:
        return Finding(table, rid, "unsealed")
    if sealed[0] == hashlib.sha256(codec.text(raw).encode("utf-8")).hexdigest()[:32]:  # = _whole(values)
        return None  # the values and per-column digests are only worked out for a row that differs
    return Finding(table, rid, "changed", differing(columns, sealed[1], _per_column(codec.values(raw))))


def _touched(spec: Sealed, since: datetime):
    """With `since`: which rows to read, as a clause on an id column: the rows with an event
    at or after `since`, and the rows past the highest id any event names (added since then
    without one). A row touched long ago is not read (the full check reads it)."""
    e = AuditEvent.__table__
    as_int = cast(e.c.entity_id, Integer)
    touched = select(as_int).where(e.c.entity == spec.entity, e.c.at >= since)
    newest = select(func.coalesce(func.max(as_int), 0)).where(e.c.entity == spec.entity).scalar_subquery()
    return lambda column: or_(column.in_(touched), column > newest)


# The `after` of an event that holds a seal and nothing else, as audit.record and the demo's
# sealing write it (json.dumps, sort_keys): matched whole, it needs no JSON decoding.
_SEAL_ONLY = re.compile(r'\{"seal": \{"c": "([A-Za-z0-9+/=]*)", "d": "([0-9a-f]{32})", "v": 1\}\}')


def _scan(session: Session, spec: Sealed, start: int | None, since, step, batch: int, end: int | None = None,
          deleted: bool = True) -> Iterator[Finding]:
    """The rows of `spec` with id in [start, end) against their latest events; then (deleted)
    the rows an event names that are gone."""
    name = spec.table.name
    seal_only = _SEAL_ONLY.fullmatch
    only = None if since is None else _touched(spec, since)
    if not spec.children:  # most rows: one tight loop over each batch
        yield from _scan_plain(session, spec, start, end, step, batch, only)
        if deleted:
            yield from _deleted(session, spec, since, batch)
        return
    for rid, values, after, children, orphans in audit_walk.walk(session, spec, start, batch, end=end, only=only):
        for child_name, cid in orphans:
            yield Finding(child_name, cid, "unsealed")
        if rid is None:
            continue
        m = seal_only(after) if after is not None else None
        if m is not None:
            seal, sealed_dc = None, [m.group(2), m.group(1)]
        else:
            seal = seal_in(after)
            if seal is not None and seal.get("gone"):
                seal = None  # its event was written when there was no such row
            sealed_dc = None if seal is None else [seal.get("d"), seal.get("c", "")]
        found = _compare(name, rid, spec.columns, sealed_dc, *values)
        if found:
            yield found
        for child in spec.children:
            sealed = {}
            if seal is not None:
                sealed = {c[0]: c[1:] for c in seal.get(child.name) or [] if isinstance(c, list) and len(c) == 3}
            for cid, raw, codec in children[child.name]:
                found = _compare(child.name, cid, child.columns, sealed.pop(cid, None), raw, codec)
                if found:
                    yield found
                step(1)
            for cid in sorted(sealed):
                yield Finding(child.name, cid, "deleted")
        step(1)
    if deleted:
        yield from _deleted(session, spec, since, batch)


def _scan_plain(session: Session, spec: Sealed, start: int | None, end: int | None, step, batch: int,
                only=None) -> Iterator[Finding]:
    """_scan of a table without children: the rows of each batch against their seals, with the
    whole-row digest from the codec's repr (audit_walk) and the seal matched, not decoded."""
    name, columns, seal_only, sha = spec.table.name, spec.columns, _SEAL_ONLY.fullmatch, hashlib.sha256
    for rows, codec in audit_walk.batches(session, spec, start, batch, end=end, only=only):
        text = codec.text
        for raw in rows:
            after = raw[-1]
            m = seal_only(after) if after is not None else None
            if m is not None:
                if m.group(2) == sha(text(raw).encode("utf-8")).hexdigest()[:32]:
                    continue
                sealed_dc = [m.group(2), m.group(1)]
            else:
                seal = seal_in(after)
                sealed_dc = None if seal is None or seal.get("gone") else [seal.get("d"), seal.get("c", "")]
            found = _compare(name, raw[0], columns, sealed_dc, raw, codec)
            if found:
                yield found
        step(len(rows))


def seals(session: Session, batch: int = 2000) -> Iterator[tuple[str, int, dict]]:
    """(entity, id, seal) of every audited row, in table and id order, streaming: what the demo
    generator and an upgraded store seal their rows with (one event each)."""
    for spec in SEALED.values():
        for rid, (raw, codec), _after, children, _orphans in audit_walk.walk(session, spec, audit_walk.FIRST_ID,
                                                                              batch, with_event=False):
            if rid is not None:
                yield spec.entity, rid, _sealed(spec, raw, codec, children)


def _sealed(spec: Sealed, raw, codec, children: dict) -> dict:
    """seal_of the row as the walk read it (the whole-row digests from the codec's repr)."""
    def dc(raw, codec) -> list[str]:
        return [hashlib.sha256(codec.text(raw).encode("utf-8")).hexdigest()[:32], _per_column(codec.values(raw))]

    seal = {"v": VERSION, **dict(zip(("d", "c"), dc(raw, codec), strict=True))}
    for child in spec.children:
        seal[child.name] = [[cid, *dc(r, c)] for cid, r, c in children.get(child.name, [])]
    return seal


def _deleted(session: Session, spec: Sealed, since, batch: int) -> Iterator[Finding]:
    """Rows an event names that are no longer in their table (one statement, each with its
    latest event)."""
    e, t = AuditEvent.__table__, spec.table
    q = (select(e.c.entity_id).distinct()
         .where(e.c.entity == spec.entity, e.c.entity_id.is_not(None),
                ~exists().where(t.c.id == cast(e.c.entity_id, Integer))))
    if since is not None:
        q = q.where(e.c.at >= since)
    gone = q.subquery()
    q = select(gone.c.entity_id, audit_walk.latest_event(spec.entity, gone.c.entity_id)).order_by(gone.c.entity_id)
    for rid, after in session.connection().execute(q.execution_options(stream_results=True, yield_per=batch)):
        seal = seal_in(after)
        if seal is not None and not seal.get("gone"):  # sealed as present, and now gone
            yield Finding(t.name, int(rid) if str(rid).isdigit() else rid, "deleted")


def total(session: Session, start: int | None = audit_walk.FIRST_ID) -> int:
    """How many rows and child rows from id `start` (the records check's progress total)."""
    n = 0
    for spec in SEALED.values():
        n += session.execute(select(func.count()).select_from(spec.table)
                             .where(audit_walk.from_id(spec.table.c.id, start))).scalar()
        for child in spec.children:
            ct = child.table
            n += session.execute(select(func.count()).select_from(ct)
                                 .where(audit_walk.from_id(ct.c[child.parent_column], start))).scalar()
    return n


def verify_rows(session: Session, since: datetime | None = None,
                progress: Callable[[int, int], None] | None = None, batch: int = 2000) -> Iterator[Finding]:
    """Every audited row checked against its latest event, in id order, streaming (memory does
    not grow with the store). With `since`, only the rows with an event at or after `since`
    (and rows added after the last event), and the rows gone whose events are from then on."""
    size = total(session) if since is None else None
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None and done // 1000 != (done - n) // 1000:
            progress(done, size)

    for spec in SEALED.values():
        yield from _scan(session, spec, audit_walk.FIRST_ID, since, step, batch)
    if progress is not None:
        progress(done, size if size is not None else done)
