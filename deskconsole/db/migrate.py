"""Alembic, packaged inside deskconsole (STYLE §7). The console and CLI upgrade on start."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from deskconsole.db.base import OpenStore, StoreError
from deskconsole.db.maintenance import backup

SCRIPT_DIR = Path(__file__).parent / "migrations"


def alembic_config(connection=None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPT_DIR))
    cfg.attributes["connection"] = connection
    return cfg


_REV = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision\s*=\s*(.+)$", re.M)


def script_revisions() -> tuple[set[str], set[str]]:
    """(all revisions, heads) read from the migration files as text: cheap enough for every
    start, where loading them through Alembic imports every migration module (~0.3 s)."""
    revisions, parents = set(), set()
    for path in (SCRIPT_DIR / "versions").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        rev = _REV.search(text)
        if not rev:
            continue
        revisions.add(rev.group(1))
        down = _DOWN.search(text)
        if down:
            parents.update(re.findall(r"['\"]([^'\"]+)['\"]", down.group(1)))
    return revisions, revisions - parents


def heads() -> tuple[str, ...]:
    return tuple(sorted(script_revisions()[1]))


def current(store: OpenStore) -> tuple[str, ...]:
    from sqlalchemy import inspect, text

    with store.engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return ()
        return tuple(sorted(r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))))


def upgrade(store: OpenStore) -> None:
    """Upgrade to head. A database newer than this program is refused, not touched."""
    known, want = script_revisions()
    now = current(store)
    unknown = [rev for rev in now if rev not in known]
    if unknown:
        raise StoreError(
            f"the database schema ({', '.join(unknown)}) is newer than this deskconsole; upgrade the program"
        )
    if set(now) == want:
        return
    from alembic import command

    backup = _backup_before_upgrade(store, now)
    try:
        with store.engine.begin() as conn:
            command.upgrade(alembic_config(conn), "heads")
    except Exception as exc:
        # The upgrade ran in one transaction, so it rolled back; if the file is somehow not
        # as it was, put the copy back. Either way the store is as it was before.
        if backup is not None and (current(store) != now or _integrity(store) != "ok"):
            _restore(store, backup)
        first = str(getattr(exc, "orig", exc)).strip().splitlines()
        where = f"; a copy from before is at {backup}" if backup else ""
        raise StoreError(f"schema upgrade failed ({first[0] if first else type(exc).__name__}); "
                         f"the store is unchanged{where}") from None


def _backup_before_upgrade(store: OpenStore, now: tuple[str, ...]) -> Path | None:
    """An existing SQLite store gets a verified copy next to it before its schema changes:
    deskconsole.db -> deskconsole.db.before-<old revision>.bak (a number added if taken)."""
    path = store.sqlite_path
    if path is None or not now or not path.exists():
        return None  # PostgreSQL (transactional DDL), or a brand-new store: nothing to keep
    target = path.with_name(f"{path.name}.before-{'-'.join(now)}.bak")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.before-{'-'.join(now)}.{n}.bak")
    backup(store, target)
    return target


def _integrity(store: OpenStore) -> str:
    with store.engine.connect() as conn:
        return conn.exec_driver_sql("PRAGMA integrity_check").scalar()


def _restore(store: OpenStore, backup_path: Path) -> None:
    import sqlite3

    store.engine.dispose()
    src, dst = sqlite3.connect(backup_path), sqlite3.connect(store.sqlite_path)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def check(store: OpenStore) -> list[str]:
    """Problems found (empty when all is well): integrity and schema version."""
    problems: list[str] = []
    if store.is_sqlite:
        with store.engine.connect() as conn:
            rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
            if rows != ["ok"]:
                problems.extend(f"integrity: {r}" for r in rows[:20])
            fk = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if fk:
                problems.append(f"foreign keys: {len(fk)} rows point at missing records")
    now, want = current(store), heads()
    if set(now) != set(want):
        problems.append(f"schema version {','.join(now) or 'none'}, expected {','.join(want)}")
    elif store.is_sqlite:
        missing = missing_indexes(store)
        if missing:
            problems.append(f"{len(missing)} indexes missing ({', '.join(missing)}); "
                            f"deskconsole db upgrade restores them")
    return problems


def missing_indexes(store: OpenStore) -> dict[str, str]:
    """{name: CREATE INDEX statement} of the indexes a SQLite store at head should have and
    lacks (an interrupted bulk load drops them). The reference is a scratch in-memory
    database migrated to head: the migrations, not the models, define the indexes.
    PostgreSQL stores are never loaded with dropped indexes: nothing to compare."""
    if not store.is_sqlite:
        return {}
    with store.engine.connect() as conn:
        have = {name for name, _ in conn.exec_driver_sql(_INDEXES).all()}
    return {name: sql for name, sql in sorted(_head_indexes().items()) if name not in have}


_INDEXES = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"


@cache  # the migrations do not change while the program runs
def _head_indexes() -> dict[str, str]:
    from alembic import command
    from sqlalchemy import create_engine

    scratch = create_engine("sqlite://")
    try:
        with scratch.begin() as conn:
            command.upgrade(alembic_config(conn), "heads")
            return dict(conn.exec_driver_sql(_INDEXES).all())
    finally:
        scratch.dispose()


def restore_indexes(store: OpenStore) -> list[str]:
    """Create the indexes `missing_indexes` finds; returns their names."""
    missing = missing_indexes(store)
    if missing:
        with store.engine.begin() as conn:
            for sql in missing.values():
                conn.exec_driver_sql(sql)
    return list(missing)
