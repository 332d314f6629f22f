"""The records walk of `audit verify` and of sealing (services/audit_rows.py), on raw DB-API
cursors: millions of rows go through it, so it skips SQLAlchemy's result layer and converts the
columns itself, to exactly the Python values SQLAlchemy hands back (the whole-row digest is the
repr of those values: aware UTC datetimes, bools, Decimals, floats, dates).

Each column's conversion is SQLAlchemy's own result processor for the dialect (the C one: a
bool from SQLite's 0/1, a Decimal from a number), except the UTCDateTime columns, whose
processor is composed in Python by the TypeDecorator (~5 s a busy year): for them the walk does
the same two steps inline (the dialect's parse, `datetime.fromisoformat` on SQLite's text,
then `replace(tzinfo=UTC)`, models/base.py). The conversion of a row is one generated function
(one tuple display, no per-value loop).

On SQLite a value is read as SQLAlchemy would read it only when it is stored in the form
SQLAlchemy writes (`stored_time`, `_value`): a time as "YYYY-MM-DD HH:MM:SS.ffffff", a flag as 0 or 1, a
date as "YYYY-MM-DD", a number as a number. SQLite keeps any text in any column, and a text
that reads as the same time ("2026-11-24T01:19:59", or with "+00:15" after it) sealed the same
yet sorts and subtracts differently in the summary's SQL: missed calls moved out of their day,
waits shortened, all with `audit verify` saying ok. Such a value is taken as it is stored, so
the row no longer matches its seal and the column is named.

Statements are streamed: a plain cursor on SQLite (it steps as it is read), a server-side
cursor on PostgreSQL (psycopg's client cursor would load the whole result). Memory: one batch.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import UTC, datetime

from sqlalchemy import Boolean, Date, Numeric, cast, select, true
from sqlalchemy import String as SAString
from sqlalchemy.engine import processors
from sqlalchemy.exc import DBAPIError

from deskconsole.models import AuditEvent
from deskconsole.models.base import UTCDateTime

_names = itertools.count()

# Where a walk of every row starts: no lower bound. Ids start at 1, but a row put in by hand
# with id -5 (a forged call) was below the walk's old start, 0, and never read.
FIRST_ID = None


def from_id(column, start):
    """`column >= start`, or no condition from FIRST_ID (every row)."""
    return column >= start if start is not None else true()


def latest_event(entity: str, row_id):
    """The `after` of the newest audit event for `entity` row `row_id` (a correlated scalar
    subquery; the ix_audit_entity index (entity, entity_id) finds it in one seek)."""
    e = AuditEvent.__table__
    # Only the chain's events (ids from 1): one put in below it would seal a forged row, unseen
    # by the chain walk (services/audit.py verify reports it).
    return (select(e.c.after).where(e.c.entity == entity, e.c.entity_id == cast(row_id, SAString), e.c.id > 0)
            .order_by(e.c.id.desc()).limit(1).scalar_subquery())


def stream(session, stmt, batch: int) -> Iterator[tuple[list, tuple]]:
    """(rows, cursor description) batches of Core statement `stmt`, on a raw DB-API cursor."""
    conn = session.connection()
    dialect = conn.dialect
    compiled = stmt.compile(dialect=dialect)
    sql = str(compiled)
    params = compiled.construct_params()
    if compiled.positional:
        params = tuple(params[name] for name in compiled.positiontup)
    raw = conn.connection.dbapi_connection
    pg = dialect.name == "postgresql"
    cursor = raw.cursor(name=f"deskconsole_walk_{next(_names)}") if pg else raw.cursor()
    dbapi_error = dialect.loaded_dbapi.Error
    try:
        try:
            cursor.execute(sql, params)
            if pg:
                cursor.itersize = batch
            while True:
                rows = cursor.fetchmany(batch)
                if not rows:
                    return
                yield rows, cursor.description
        except dbapi_error as exc:  # as SQLAlchemy raises it (a dropped table: a found problem)
            raise DBAPIError.instance(sql, params, exc, dbapi_error) from exc
    finally:
        cursor.close()


# What SQLAlchemy writes on SQLite (older rows: a time without its fraction). [0-9], not \d:
# fromisoformat reads other scripts' digits too.
STORED_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{6})?").fullmatch
STORED_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}").fullmatch


def stored_time(v):
    """SQLite's text of a UTCDateTime as SQLAlchemy reads it (an aware UTC datetime), or the
    value itself when it is not in the form SQLAlchemy writes (None stays None) or is no time
    at all (a 30th of February)."""
    if type(v) is str and STORED_TIME(v):
        try:
            return datetime.fromisoformat(v).replace(tzinfo=UTC)
        except ValueError:
            return v
    return v


def _date_or_stored(v, proc):
    if type(v) is str and STORED_DATE(v):
        try:
            return proc(v)
        except ValueError:  # shaped as a date, not one
            return v
    return v


def _number_or_stored(v, proc):
    """A Numeric column: a number SQLAlchemy's processor gives back unchanged (it rounds to the
    column's scale: 50.001 in a 2-place amount would read as the sealed 50.00 while SQL sums
    50.001), else the value as stored (a text, a blob)."""
    if type(v) is int or type(v) is float:
        d = proc(v)
        return d if float(d) == v else v
    return v


def _value(dialect, col, coltype, at: int, env: dict) -> str:
    """The expression for column `col`'s value (at index `at` of the raw row `r`), as SQLAlchemy
    would hand it back; on SQLite only from the form SQLAlchemy writes (else as stored)."""
    kind = col.type
    sqlite = dialect.name == "sqlite"
    if isinstance(kind, UTCDateTime):
        impl = kind.impl_instance.dialect_impl(dialect).result_processor(dialect, coltype)
        if impl is processors.str_to_datetime:  # SQLite's text, parsed as SQLAlchemy does
            env["stored_time"] = stored_time
            return f"stored_time(r[{at}])"
        if impl is None:  # a driver datetime (psycopg's naive UTC)
            return f"(None if (v := r[{at}]) is None else v.replace(tzinfo=UTC))"
    proc = kind._cached_result_processor(dialect, coltype)
    if proc is None:
        return f"r[{at}]"
    env[f"p{at}"] = proc
    if sqlite and isinstance(kind, Boolean):  # 0 or 1 (2 would read as True)
        return f"(p{at}(v) if (v := r[{at}]) in (0, 1) else v)"
    if sqlite and isinstance(kind, Date):
        env["date_or_stored"] = _date_or_stored
        return f"date_or_stored(r[{at}], p{at})"
    if sqlite and isinstance(kind, Numeric):
        env["number_or_stored"] = _number_or_stored
        return f"number_or_stored(r[{at}], p{at})"
    return f"p{at}(r[{at}])"


def reader(dialect, col):
    """One value of column `col` (its raw stored value) to what the walk reads (a memo's miss:
    demo/digest.py seals through it, so its seals are the walk's)."""
    env = {"UTC": UTC}
    code = f"def read(v):\n    r = (v,)\n    return {_value(dialect, col, None, 0, env)}\n"
    exec(code, env)  # noqa: S102 - generated from the column's own type, no outside text
    return env["read"]


def converter(dialect, columns, description, first: int):
    """A function from a raw row to the tuple of `columns`' values (they start at index
    `first` of the row) as SQLAlchemy would hand them back (see the module's note on the
    stored form)."""
    env = {"UTC": UTC}
    parts = []
    for i, col in enumerate(columns):
        at = first + i
        coltype = description[at][1] if description is not None else None
        parts.append(_value(dialect, col, coltype, at, env))
    code = f"def convert(r):\n    return ({', '.join(parts)}{',' if len(parts) == 1 else ''})\n"
    exec(code, env)  # noqa: S102 - generated from the table's own column list, no outside text
    return env["convert"]


# The repr of an aware UTC datetime costs ~3 us (more than the rest of a row): on SQLite it is
# made from the stored text instead, "YYYY-MM-DD HH:MM:SS[.ffffff]", as the repr of the date
# ("datetime.datetime(2025, 12, 4, ") and the repr of the time ("8, 7, 45,
# tzinfo=datetime.timezone.utc)"), each looked up by its own text (the time's with the space
# before it). fromisoformat reads the date and the time of such a text each on its own, so a
# piece's repr depends only on its text; each is taken from a real repr the first time it is
# seen, and only from a text in the stored form: a text whose date and time are both found is
# in that form. Bounded: past _CAP texts a time is worked out in full each time (a store with
# microseconds).
_CAP = 200_000
_DATES: dict[str, str] = {}
_SECONDS: dict[str, str] = {}  # " HH:MM:SS" -> "H, M, S, " (a valid clock time, at most 86,400)
_STORED_SECOND = re.compile(r" [0-9]{2}:[0-9]{2}:[0-9]{2}").fullmatch


class _TimePieces(dict):
    """The time pieces by their text. A time with microseconds (what the console writes: its
    clock has them, so nearly every time of a real store is new) is put together from its
    second's piece and its microseconds, the way repr writes it, instead of going the long way
    (a parse and a repr of the whole row: ~30 us a row against ~4). Other misses: KeyError."""

    def __missing__(self, key: str) -> str:
        if len(key) != 16 or key[9] != "." or not key[10:].isdigit() or not key[10:].isascii():
            raise KeyError(key)
        us = int(key[10:])
        if us == 0:
            raise KeyError(key)  # repr leaves out a zero microsecond (and second): the long way
        head = _SECONDS.get(key[:9])
        if head is None:
            if not _STORED_SECOND(key[:9]):
                raise KeyError(key)
            try:
                t = datetime.fromisoformat(_EPOCH + key[:9])
            except ValueError:
                raise KeyError(key) from None
            head = _SECONDS[key[:9]] = f"{t.hour}, {t.minute}, {t.second}, "
        return f"{head}{us}, tzinfo=datetime.timezone.utc)"


_EPOCH = "2000-01-01"
_TIMES: dict[str, str] = _TimePieces()


def _split(full: str) -> tuple[str, str]:
    cut = full.index(", ", full.index(", ", full.index(", ") + 2) + 2) + 2  # after year, month, day
    return full[:cut], full[cut:]


def datetime_text(v) -> str:
    """repr(stored_time(v)) for SQLite's text `v` of a UTCDateTime (None: "None")."""
    if type(v) is not str:
        return repr(v)
    date, time = _DATES.get(v[:10]), _TIMES.get(v[10:])
    if date is not None and time is not None:
        return date + time
    value = stored_time(v)
    full = repr(value)
    if value is not v:
        date, time = _split(full)
        if len(_DATES) < _CAP:
            _DATES[v[:10]] = date
        if len(_TIMES) < _CAP and (len(v) == 19 or v.endswith(".000000")):  # (others: _TimePieces)
            _TIMES[v[10:]] = time
    return full


def texter(dialect, columns, description, first: int, values):
    """On SQLite: a function from a raw row to repr() of its converted `columns` (the tuple
    `values` makes), in one %-format with the UTCDateTime columns' reprs from the text (see
    datetime_text; a row with a text not seen yet, or not in the stored form, goes the long
    way); None when no column is such a datetime (repr of the values is as quick)."""
    env = {"D": _DATES, "T": _TIMES, "dt": datetime_text, "values": values, "UTC": UTC}
    marks, args, slow, dated = [], [], [], False
    for i, col in enumerate(columns):
        at = first + i
        coltype = description[at][1] if description is not None else None
        kind = col.type
        if isinstance(kind, UTCDateTime):
            impl = kind.impl_instance.dialect_impl(dialect).result_processor(dialect, coltype)
            if impl is processors.str_to_datetime:
                marks.append("%s")
                args.append(f'("None" if (v := r[{at}]) is None else D[v[:10]] + T[v[10:]])')
                slow.append(f"dt(r[{at}])")
                dated = True
                continue
        marks.append("%r")
        args.append(_value(dialect, col, coltype, at, env))
        slow.append("0")
    if not dated:
        return None
    fmt = "(" + ", ".join(marks) + (",)" if len(marks) == 1 else ")")
    code = (f"def text(r):\n"
            f"    try:\n"
            f"        return {fmt!r} % ({', '.join(args)},)\n"
            f"    except (KeyError, TypeError):  # a time not seen yet (its repr made once), or not a text\n"
            f"        ({', '.join(slow)},)\n"
            f"        return repr(values(r))\n")
    exec(code, env)  # noqa: S102 - generated from the table's own column list, no outside text
    return env["text"]


class Codec:
    """How the rows of one statement become values: `values(raw)`, the tuple SQLAlchemy would
    hand back, and `text(raw)`, its repr (what the whole-row digest hashes), made without the
    datetimes on SQLite (below)."""

    def __init__(self, dialect, columns, description, first: int):
        self.values = converter(dialect, columns, description, first)
        self.text = None
        if dialect.name == "sqlite":
            self.text = texter(dialect, columns, description, first, self.values)
        if self.text is None:
            values = self.values
            self.text = lambda r: repr(values(r))


def rows_of(session, stmt, columns, first: int, batch: int) -> Iterator[tuple[tuple, Codec]]:
    """(raw row, the statement's Codec) for each row of `stmt`, streamed."""
    dialect = session.connection().dialect
    codec = None
    for rows, description in stream(session, stmt, batch):
        if codec is None:
            codec = Codec(dialect, columns, description, first)
        for row in rows:
            yield row, codec


def batches(session, spec, start: int | None, batch: int, end: int | None = None, only=None) -> Iterator[tuple[list, Codec]]:
    """(raw rows, Codec) of `spec`'s table (no children) with id in [start, end), in id order: each
    row is (id, the columns..., the latest event's after)."""
    t = spec.table
    cols = [t.c[n] for n in spec.columns]
    q = select(t.c.id, *cols, latest_event(spec.entity, t.c.id).label("sealed_by")).where(from_id(t.c.id, start))
    if end is not None:
        q = q.where(t.c.id < end)
    if only is not None:
        q = q.where(only(t.c.id))
    dialect = session.connection().dialect
    codec = None
    for rows, description in stream(session, q.order_by(t.c.id), batch):
        if codec is None:
            codec = Codec(dialect, cols, description, 1)
        yield rows, codec


def walk(session, spec, start: int | None, batch: int, with_event: bool = True, end: int | None = None,
         only=None) -> Iterator[tuple]:
    """Every row of `spec` with id in [start, end), in id order, with its children merged in
    from their own id-ordered streams: (id, values, latest event's after, {child: [(id, values)]},
    orphans: [(child, id)] whose parent row is gone). A row is (raw row, Codec), a child
(id, raw row, Codec). Memory: one row and its children."""
    t = spec.table
    cols = [t.c[n] for n in spec.columns]
    sel = [t.c.id, *cols]
    if with_event:
        sel.append(latest_event(spec.entity, t.c.id).label("sealed_by"))
    q = select(*sel).where(from_id(t.c.id, start))
    if end is not None:
        q = q.where(t.c.id < end)
    if only is not None:  # only(id column): which rows (and their children) to read
        q = q.where(only(t.c.id))
    rows = rows_of(session, q.order_by(t.c.id), cols, 1, batch)
    kids = []
    for child in spec.children:
        ct = child.table
        parent = ct.c[child.parent_column]
        ccols = [ct.c[n] for n in child.columns]
        cq = select(parent, ct.c.id, *ccols).where(from_id(parent, start))
        if end is not None:
            cq = cq.where(parent < end)
        if only is not None:
            cq = cq.where(only(parent))
        it = rows_of(session, cq.order_by(parent, ct.c.id), ccols, 2, batch)
        kids.append((child, [next(it, None), it]))
    after_at = len(spec.columns) + 1
    for row, codec in rows:
        rid, orphans, children = row[0], [], {}
        for child, s in kids:
            mine = children[child.name] = []
            while s[0] is not None and s[0][0][0] <= rid:
                raw, ccodec = s[0]
                if raw[0] == rid:
                    mine.append((raw[1], raw, ccodec))
                else:
                    orphans.append((child.name, raw[1]))
                s[0] = next(s[1], None)
        yield rid, (row, codec), row[after_at] if with_event else None, children, orphans
    tail = []
    for child, s in kids:
        while s[0] is not None:
            tail.append((child.name, s[0][0][1]))
            s[0] = next(s[1], None)
            if len(tail) >= batch:
                yield None, None, None, {}, tail
                tail = []
    if tail:
        yield None, None, None, {}, tail
