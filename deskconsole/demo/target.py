"""Filling a store with demo data so that no failure, Ctrl+C or kill leaves it half-filled.

SQLite: the demo is built in a temporary file beside the target
(`<target>.demo-<pid>.tmp`, its staging file next to it), which replaces the target only when
it is complete, closed and synced; until then the target stays the empty, valid store it was.
A process killed outright cannot delete its temporary files: the next demo run on the same
target deletes those whose process is gone.

PostgreSQL (no file to move): `generate` writes the whole demo in one transaction, which the
server rolls back if the load fails or its client dies."""

from __future__ import annotations

import os
import re
import sqlite3
from glob import escape
from pathlib import Path

from deskconsole import oscompat
from deskconsole.demo import sink as demo_sink
from deskconsole.demo.generator import DemoResult, generate, validate
from deskconsole.services.errors import DeskError


def fill(store, **options) -> DemoResult:
    """Fill the EMPTY store `store` (open) with `generate(..., **options)`. The store is closed
    on return when it is a SQLite file (its file was replaced): open it again to use it."""
    from deskconsole.db.store import Store

    validate(**options)
    with store.engine.connect() as conn:
        demo_sink.refuse_non_empty(conn)
    target = store.sqlite_path
    if target is None:  # PostgreSQL, or SQLite in memory: nothing to replace
        return _pinned(store, generate(store, **options))
    target = target.absolute()
    sweep(target)
    store.close()
    temp = temp_path(target)
    building = Store(f"sqlite:///{temp}", keys=store.keys, config_dir=store.config_dir)
    try:
        building.open()
        result = generate(building, **options)
        building.close()  # checkpoints the WAL into the file: one complete file to move
        _move_into_place(temp, target)
    finally:
        building.close()
        _discard(temp)
    return _pinned(store, result)


def _pinned(store, result: DemoResult) -> DemoResult:
    """Keep the demo's closing audit checkpoint beside the store it now is."""
    from deskconsole.services import audit_checkpoints

    path = store.checkpoints_path
    if result.checkpoint is not None and path is not None:
        audit_checkpoints.append(path, result.checkpoint)
    return result


def temp_path(target: Path, pid: int | None = None) -> Path:
    return target.with_name(f"{target.name}.demo-{os.getpid() if pid is None else pid}.tmp")


def leftovers(target: Path) -> list[Path]:
    """The temporary files of demo runs on `target` (this run's included)."""
    return sorted(target.parent.glob(escape(target.name) + ".demo-*"))


def sweep(target: Path) -> None:
    """Delete what killed demo runs left beside `target`; a run still building is left alone."""
    own = re.compile(re.escape(target.name) + r"\.demo-(\d+)\.tmp")
    for path in leftovers(target):
        match = own.match(path.name)
        if match:
            pid = int(match[1])
            if pid != os.getpid() and oscompat.pid_alive(pid):
                continue
        path.unlink(missing_ok=True)


def _move_into_place(temp: Path, target: Path) -> None:
    # The target must still be empty and nobody may have it open (in WAL mode the -wal file
    # exists while any connection is open): replacing a file in use would lose its writes.
    con = sqlite3.connect(target)
    try:
        for name in demo_sink.TABLES:
            if con.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone() is not None:
                raise DeskError("demo.error.not_empty", table=name)
    finally:
        con.close()
    if Path(f"{target}-wal").exists():
        raise DeskError("demo.error.in_use", path=str(target))
    Path(f"{target}-shm").unlink(missing_ok=True)
    with open(temp, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(temp, target)
    oscompat.fsync_dir(target.parent)


def _discard(temp: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm", ".demo-stage", ".demo-stage-journal"):
        Path(f"{temp}{suffix}").unlink(missing_ok=True)
