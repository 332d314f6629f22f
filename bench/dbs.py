"""Benchmark databases: an empty store (operators only) and busy demo stores of 1 day (a busy
day on screen, no history behind it) and of 1, 2 and 5 years, cached under bench/.cache/
(gitignored) and rebuilt when the generator or the schema changes. Probes that write (sign-on,
check-ins) run between `mark()` and `restore()`, which put back a copy of the store taken at
the mark, so the cache stays exactly as generated."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent
CACHE = ROOT / ".cache"
NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)  # the demo's "now": 11:00 in Shanghai
YEARS = {"empty": 0, "1d": 1, "1y": 365, "2y": 730, "5y": 1826}
SEED = 1


def _fingerprint() -> str:
    """Changes when the generator does. (A schema change needs no rebuild: opening a cached
    database upgrades it, as the console does.)"""
    import deskconsole

    src = Path(deskconsole.__file__).parent
    h = hashlib.sha256()
    for path in sorted(src.glob("demo/*.py")):
        h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()[:16]


def path_for(name: str) -> Path:
    return CACHE / f"{name}.db"


def build(name: str, *, rebuild: bool = False, log=print) -> dict:
    """Build (or reuse) one database; returns its metadata (rows, generation seconds...)."""
    from deskconsole.clock import FakeClock
    from deskconsole.db.store import Store

    CACHE.mkdir(exist_ok=True)
    db, meta_path = path_for(name), CACHE / f"{name}.json"
    fp = _fingerprint()
    if not rebuild and db.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if meta.get("fingerprint") == fp and not meta.get("dirty"):
            meta["cached"] = True
            return meta
    for p in CACHE.glob(f"{name}.db*"):
        p.unlink()
    log(f"bench: building the {name} database ...")
    store = Store(f"sqlite:///{db}").open()
    started = time.perf_counter()
    if YEARS[name] == 0:
        from deskconsole.clock import FakeClock as Clock
        from deskconsole.config import load_config
        from deskconsole.services import operators, shifts, tickets
        from deskconsole.services.sla import rules_from

        for staff_no, who, role, pin in (("001", "王芳", "supervisor", "135790"), ("101", "李娜", "receptionist", "2468")):
            info = store.write(lambda s, a=(staff_no, who, role, pin): operators.create_operator(
                s, staff_no=a[0], name=a[1], role=a[2], pin=a[3], now=NOW))
        # One ticket, so that "open a ticket" has something to open on the empty store too.
        actor = store.write(lambda s: shifts.sign_on(s, info, desk_name="desk-1", clock=Clock(NOW)))
        store.write(lambda s: tickets.create_ticket(s, actor, kind="inquiry", customer_name="王",
                                                    description="bench", rules=rules_from(load_config())))
        rows: dict[str, int] = {}
    else:
        from deskconsole.demo import generate

        result = generate(store, days=YEARS[name], seed=SEED, scale="busy", clock=FakeClock(NOW))
        rows = result.rows
    seconds = time.perf_counter() - started
    store.close()
    meta = {"name": name, "days": YEARS[name], "fingerprint": fp, "rows": rows, "seconds": seconds,
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "bytes": db.stat().st_size, "cached": False}
    meta_path.write_text(json.dumps(meta, indent=1))
    return meta


# -- keeping the cache clean around probes that write ----------------------------------------
def _files(name: str) -> list[Path]:
    """The store and what lives beside it (its checkpoint file)."""
    db = path_for(name)
    return [db, db.with_name(db.name + ".checkpoints")]


def mark(name: str) -> dict:
    """Keep a copy of the store as generated (and flag the cache dirty meanwhile). A probe does
    more than add rows: its sign-on closes a shift the demo left open, a check-in seals rows,
    a shift close appends to the checkpoint file. Deleting the rows it added left such a
    store one `audit verify` finding short of whole, so the files themselves are put back."""
    meta_path = CACHE / f"{name}.json"
    meta = json.loads(meta_path.read_text())
    meta["dirty"] = True
    meta_path.write_text(json.dumps(meta, indent=1))
    with sqlite3.connect(path_for(name)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    kept = {}
    for f in _files(name):
        if f.exists():
            copy = f.with_name(f.name + ".pristine")
            shutil.copyfile(f, copy)
            kept[str(f)] = str(copy)
    return {"kept": kept}


def restore(name: str, marked: dict) -> None:
    for f in _files(name):
        for extra in (f.with_name(f.name + "-wal"), f.with_name(f.name + "-shm")):
            extra.unlink(missing_ok=True)
        copy = marked["kept"].get(str(f))
        if copy:
            os.replace(copy, f)
        else:
            f.unlink(missing_ok=True)
    meta_path = CACHE / f"{name}.json"
    meta = json.loads(meta_path.read_text())
    meta["dirty"] = False
    meta_path.write_text(json.dumps(meta, indent=1))
