"""`deskconsole db copy --to URL`: move a store to another database,
typically an SQLite file to PostgreSQL when a company outgrows one file.

The target must be empty; it is brought to the same schema version by the usual migrations,
then every table is copied in primary-key order, in batches, in ONE transaction: a copy that
fails part-way leaves the target empty. Afterwards both sides are read back: row counts and a per-table checksum (SHA-256 over
every value, after the column types have turned them into Python values, so SQLite's and
PostgreSQL's storage differences do not matter) must agree, or the copy is reported failed.
PostgreSQL id sequences are moved past the copied ids so new records do not collide.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from deskconsole.db import migrate
from deskconsole.db.store import Store, StoreError

BATCH = 1000


@dataclass
class CopyResult:
    target: str
    rows: dict[str, int] = field(default_factory=dict)
    checksums: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _tables():
    from sqlmodel import SQLModel

    import deskconsole.models  # noqa: F401  (registers every table)

    return list(SQLModel.metadata.sorted_tables)


def _shown(url: str) -> str:
    """A URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a malformed URL is reported by the open that follows
        return url.split("@")[-1]


def _refuse_non_empty(url: str) -> None:
    from sqlalchemy import create_engine, inspect, text
    from sqlalchemy.exc import DBAPIError

    engine = create_engine(url, hide_parameters=True)
    try:
        with engine.connect() as conn:
            for name in inspect(conn).get_table_names():
                if name == "alembic_version":
                    continue
                count = conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
                if count:
                    raise StoreError(f"the target {_shown(url)} is not empty (table {name} has {count} rows); "
                                     "copy into a new, empty database")
    except DBAPIError as exc:
        first = str(getattr(exc, "orig", exc)).strip().splitlines()
        raise StoreError(f"target database: {first[0] if first else type(exc).__name__}") from None
    finally:
        engine.dispose()


def checksum(conn, table) -> tuple[int, str]:
    """(rows, sha256) over the table in primary-key order, read through the column types."""
    from sqlalchemy import select

    digest, rows, last = hashlib.sha256(), 0, None
    pk = table.c.id
    cols = [c for c in table.columns]
    while True:
        q = select(*cols).order_by(pk).limit(BATCH)
        if last is not None:
            q = q.where(pk > last)
        batch = conn.execute(q).all()
        if not batch:
            return rows, digest.hexdigest()
        for row in batch:
            digest.update(repr(tuple(_norm(v) for v in row)).encode("utf-8"))
        rows += len(batch)
        last = batch[-1].id


def _norm(value):
    from decimal import Decimal

    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    if isinstance(value, float):
        return repr(round(value, 9))
    return value


def copy_store(source: Store, target_url: str, *,
               progress: Callable[[int, int | None], None] | None = None) -> CopyResult:
    """`progress(done, total)` hears the rows copied, batch by batch, of every table together
    (the total counted first); the verification that follows re-reads both sides."""
    from sqlalchemy import func, select, text

    if target_url == source.url:
        raise StoreError("the target is the store itself; give another database")
    _refuse_non_empty(target_url)
    target = Store(target_url).open()
    try:
        if set(migrate.current(target)) != set(migrate.current(source)):
            raise StoreError("the target's schema version differs from the store's after upgrade")
        result = CopyResult(target=_shown(target_url))
        with source.engine.connect() as src, target.engine.begin() as conn:
            if target.is_sqlite:
                # Self-references (a callback's call, a shift's previous shift) may point forward.
                conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            total = sum(src.execute(select(func.count()).select_from(t)).scalar_one()
                        for t in _tables()) if progress else None
            done = 0
            for table in _tables():
                done = _copy_table(src, conn, table, progress, done, total)
            if progress:
                progress(done, done)
            if not target.is_sqlite:
                for table in _tables():
                    conn.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                        f"coalesce((SELECT max(id) FROM \"{table.name}\"), 1), "
                        f"(SELECT max(id) FROM \"{table.name}\") IS NOT NULL)"))
        with source.engine.connect() as src, target.engine.connect() as dst:
            for table in _tables():
                a, b = checksum(src, table), checksum(dst, table)
                if a != b:
                    n = dst.execute(select(func.count()).select_from(table)).scalar_one()
                    raise StoreError(f"verification failed for table {table.name}: "
                                     f"{a[0]} rows in the store, {n} in the copy, checksums differ")
                result.rows[table.name], result.checksums[table.name] = a
        return result
    finally:
        target.close()


def _copy_table(src, dst, table, progress, done: int, total: int | None) -> int:
    """Copy one table; returns `done` plus its rows, told to `progress` after each batch."""
    from sqlalchemy import select

    pk, last = table.c.id, None
    while True:
        q = select(*table.columns).order_by(pk).limit(BATCH)
        if last is not None:
            q = q.where(pk > last)
        rows = src.execute(q).mappings().all()
        if not rows:
            return done
        dst.execute(table.insert(), [dict(r) for r in rows])
        last = rows[-1]["id"]
        done += len(rows)
        if progress:
            progress(done, total)
