"""`deskconsole db backup`: SQLite's online backup API (safe while consoles are running),
then the copy is opened and verified: integrity check and the same schema version."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from deskconsole.db.base import OpenStore, StoreError


def backup(store: OpenStore, target: Path, *, progress: Callable[[int, int | None], None] | None = None,
           pages: int = 1024) -> dict[str, object]:
    """Copy `pages` pages at a time; `progress(done, total)` hears the pages copied, from
    SQLite's own count (the total moves if a console writes meanwhile: the copy restarts)."""
    src_path = store.sqlite_path
    if src_path is None:
        raise StoreError("db backup copies an SQLite store; for PostgreSQL use pg_dump")
    target = target.expanduser().absolute()
    if target.exists():
        raise StoreError(f"{target} exists already; choose a new file name")
    if target == src_path:
        raise StoreError("the backup must be a different file")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create {target.parent}: {exc.strerror}") from None
    src = sqlite3.connect(src_path)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst, pages=pages, progress=_pages(progress) if progress else None)
        finally:
            dst.close()
    except sqlite3.Error as exc:
        target.unlink(missing_ok=True)
        raise StoreError(f"backup failed: {exc}") from None
    finally:
        src.close()
    return verify_copy(src_path, target)


def _pages(progress: Callable[[int, int | None], None]):
    def report(_status: int, remaining: int, total: int) -> None:
        progress(total - remaining, total)

    return report


def _version(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def verify_copy(src_path: Path, target: Path) -> dict[str, object]:
    with sqlite3.connect(f"file:{target}?mode=ro", uri=True) as copy, \
            sqlite3.connect(f"file:{src_path}?mode=ro", uri=True) as src:
        integrity = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if integrity != "ok":
            raise StoreError(f"the backup {target} failed its integrity check: {integrity}")
        if _version(copy) != _version(src):
            raise StoreError(f"the backup {target} has schema {_version(copy)}, the store {_version(src)}")
        tables = [r[0] for r in copy.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        counts = {name: copy.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in tables}
    return {"path": str(target), "schema": _version(copy), "integrity": "ok", "rows": counts}
