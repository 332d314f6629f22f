"""The seals of a whole SQLite store, quickly: what services/audit_rows.seals() yields, read with
the raw sqlite3 connection and digested through per-column memos.

A seal digests each row from the Python values SQLAlchemy hands back (audit_rows: the repr
of the row's tuple, and a crc32 of each value's canonical text). Most stored values repeat
(statuses, names from the demo's pools, small numbers, NULLs), so each column keeps a memo
from the stored value to (repr text, 2-byte crc): a value is converted once, by the column's
reader (services/audit_walk.reader: SQLAlchemy's result processor, for a value in the form
SQLAlchemy writes) and audit_rows.canonical, and then looked up. Times are
mostly unique, so a time's texts are put together from a memo of its date and one of its
clock time (crc32 continues over the two parts). A row's digests are then one join, one
sha256 and one base64: ~10x cheaper than converting every value.

Memos live as long as the worker (`shared`), each cleared when it grows past KEPT entries (a
column's: ids of other rows never recur, so they must not pile up over five years) or LIMIT
(the shared dates and clock times: at most 86,400 of these), so memory stays flat. The result is
checked against audit_rows.seals() value for value by tests/unit/test_demo_seal.py, and
`audit verify` (which recomputes every seal through audit_rows) passes on a fresh demo store.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from base64 import b64encode
from collections.abc import Iterator
from operator import getitem

from sqlalchemy import DateTime

from deskconsole.services import audit_rows, audit_walk
from deskconsole.services.audit_rows import Sealed
from deskconsole.services.audit_walk import STORED_TIME

LIMIT = 200_000  # dates or clock times kept before their memo is cleared
KEPT = 50_000  # entries per column memo before it is cleared (~10 MB)
BATCH = 2000
_EPOCH_DAY = "2000-01-01"


_crc32 = zlib.crc32
_sha256 = hashlib.sha256
_pack = struct.Struct(">H").pack


def _crc2(text: str) -> bytes:
    return _pack(_crc32(text.encode("utf-8")) & 0xFFFF)


class _Memo(dict):
    """Stored value -> (repr of the Python value, 16-bit crc of its canonical text)."""

    def __init__(self, proc) -> None:
        super().__init__()
        self.proc = proc

    def entry(self, raw) -> tuple[str, bytes]:
        value = self.proc(raw)
        return repr(value), _crc2(audit_rows.canonical(value))

    def __missing__(self, raw):
        entry = self.entry(raw)
        if len(self) >= KEPT:
            self.clear()
        self[raw] = entry
        return entry


class _Times(_Memo):
    """A DateTime column: 'YYYY-MM-DD HH:MM:SS.ffffff' (what SQLAlchemy writes on SQLite)
    taken apart into its date and its clock time (with the space before it), each converted
    once; a text in another form is taken whole, as the walk takes it."""

    def __init__(self, proc, days: dict, clocks: dict) -> None:
        super().__init__(proc)
        self.days: dict[str, tuple[str, int]] = days  # shared by the columns of one type
        self.clocks: dict[str, tuple[str, bytes]] = clocks
        self[None] = self.entry(None)

    def __missing__(self, raw):
        try:  # the hot path: a date and a clock time seen before
            day, clock = self.days[raw[:10]], self.clocks[raw[10:]]
        except (KeyError, TypeError):
            return self._first(raw)
        return day[0] + clock[0], _pack(_crc32(clock[1], day[1]) & 0xFFFF)

    def _first(self, raw):
        if type(raw) is not str or len(raw) != 26 or not STORED_TIME(raw):
            return self.entry(raw)  # another shape: converted whole
        day = self.days.get(raw[:10]) or self._day(raw[:10])
        clock = self.clocks.get(raw[10:]) or self._clock(raw[10:])
        return day[0] + clock[0], _pack(_crc32(clock[1], day[1]) & 0xFFFF)

    def _day(self, text: str) -> tuple[str, int]:
        value = self.proc(text + " 00:00:00.000000")
        head = f"datetime.datetime({value.year}, {value.month}, {value.day}, "
        canon = audit_rows.canonical(value)
        if not repr(value).startswith(head) or canon[11] != "T":
            raise ValueError(f"unexpected time text {text!r}")
        if len(self.days) >= LIMIT:
            self.days.clear()
        out = self.days[text] = (head, zlib.crc32(canon[:12].encode("utf-8")))
        return out

    def _clock(self, text: str) -> tuple[str, bytes]:
        value = self.proc(f"{_EPOCH_DAY}{text}")
        head = "datetime.datetime(2000, 1, 1, "
        text_repr, canon = repr(value), audit_rows.canonical(value)
        if not text_repr.startswith(head) or not canon.startswith(f"t{_EPOCH_DAY}T"):
            raise ValueError(f"unexpected time text {text!r}")
        if len(self.clocks) >= LIMIT:
            self.clocks.clear()
        out = self.clocks[text] = (text_repr[len(head):], canon[12:].encode("utf-8"))
        return out


def _memos(table, columns: tuple[str, ...], dialect, shared: dict) -> list[_Memo]:
    """The memos of `table`'s `columns`, kept in `shared` from one id range to the next: a
    worker converts each value once, not once a range (names, phones and units recur)."""
    key = ("memos", table.name, columns)
    if key not in shared:
        shared[key] = _new_memos(table, columns, dialect, shared)
    return shared[key]


def _new_memos(table, columns: tuple[str, ...], dialect, shared: dict) -> list[_Memo]:
    out = []
    for name in columns:
        col_type = table.c[name].type
        proc = audit_walk.reader(dialect, table.c[name])  # what the walk reads each value as
        is_time = isinstance(col_type, DateTime) or isinstance(getattr(col_type, "impl", None), DateTime)
        if is_time and col_type._cached_result_processor(dialect, None) is not None:
            out.append(_Times(proc, *shared.setdefault(type(col_type), ({}, {}))))
        else:
            out.append(_Memo(proc))
    return out


def _digest(memos: list[_Memo], row) -> tuple[str, str]:
    """(whole-row digest, per-column digests) as audit_rows.row_digest gives them."""
    reprs, crcs = zip(*map(getitem, memos, row))  # noqa: B905 - pairs, all of them (strict costs ~8 %)
    text = f"({reprs[0]},)" if len(reprs) == 1 else "(" + ", ".join(reprs) + ")"
    return _sha256(text.encode("utf-8")).hexdigest()[:32], b64encode(b"".join(crcs)).decode("ascii")


def _rows(raw, sql: str, lo: int, hi: int | None) -> Iterator[tuple]:
    cur = raw.cursor()
    try:
        cur.arraysize = BATCH
        cur.execute(sql, (lo,) if hi is None else (lo, hi))
        while batch := cur.fetchmany(BATCH):
            yield from batch
    finally:
        cur.close()


def _range(column: str, hi: int | None) -> str:
    return f'"{column}" >= ?' + ("" if hi is None else f' AND "{column}" < ?')


def walk(raw, spec: Sealed, dialect, lo: int = 0, hi: int | None = None,
         shared: dict | None = None) -> Iterator[tuple[int, tuple, list]]:
    """(id, (d, c), [(child name, [[child id, d, c], ...]), ...]) of every row of `spec` with
    lo <= id < hi, in id order (children in id order, as audit_rows._walk merges them).
    `shared`: the memos, kept from one id range (and, for dates and clock times, one table)
    to the next."""
    shared = {} if shared is None else shared
    t = spec.table
    cols = ", ".join(f'"{n}"' for n in ("id", *spec.columns))
    rows = _rows(raw, f'SELECT {cols} FROM "{t.name}" WHERE {_range("id", hi)} ORDER BY id', lo, hi)
    memos = _memos(t, spec.columns, dialect, shared)
    kids = []
    for child in spec.children:
        ct, parent = child.table, child.parent_column
        ccols = ", ".join(f'"{n}"' for n in (parent, "id", *child.columns))
        it = _rows(raw, f'SELECT {ccols} FROM "{ct.name}" WHERE {_range(parent, hi)} ORDER BY "{parent}", id',
                   lo, hi)
        kids.append((child.name, _memos(ct, child.columns, dialect, shared), [next(it, None), it]))
    for row in rows:
        rid = row[0]
        children = []
        for name, cmemos, stream in kids:
            mine = []
            head = stream[0]
            while head is not None and head[0] <= rid:
                if head[0] == rid:
                    mine.append([head[1], *_digest(cmemos, head[2:])])
                head = next(stream[1], None)
            stream[0] = head
            children.append((name, mine))
        yield rid, _digest(memos, row[1:]), children


def seals(raw, dialect) -> Iterator[tuple[str, int, dict]]:
    """What audit_rows.seals() yields, for comparison in tests: (entity, id, seal)."""
    shared: dict = {}
    for spec in audit_rows.SEALED.values():
        for rid, (d, c), children in walk(raw, spec, dialect, shared=shared):
            seal = {"v": audit_rows.VERSION, "d": d, "c": c}
            for name, rows in children:
                seal[name] = rows
            yield spec.entity, rid, seal


def after_text(digests: tuple[str, str], children: list) -> str:
    """json.dumps({"seal": seal}, ensure_ascii=False, sort_keys=True), written directly: the
    shape is fixed and every string in it is hex or base64 (nothing to escape)."""
    d, c = digests
    if not children:  # most rows: the same text with the keys in order
        return f'{{"seal": {{"c": "{c}", "d": "{d}", "v": {audit_rows.VERSION}}}}}'
    parts = {"c": f'"{c}"', "d": f'"{d}"', "v": str(audit_rows.VERSION)}
    for name, rows in children:
        parts[name] = "[" + ", ".join([f'[{cid}, "{cd}", "{cc}"]' for cid, cd, cc in rows]) + "]"
    return '{"seal": {' + ", ".join([f'"{k}": {parts[k]}' for k in sorted(parts)]) + "}}"

