"""Signed audit checkpoints kept outside the store: how long the chain was, and how it ended.

A checkpoint names the number of events, the last event's id and hash, when it was taken and
the key's id, signed with the desk's audit key (HMAC-SHA256). One is taken at every shift
close (kept in the shift row, the handover record, and printed by the end-of-shift summary)
and on demand (`deskconsole audit checkpoint`); each is appended to a small file beside the
store (`<store file>.checkpoints`; for PostgreSQL a file in the config folder named after the
URL without its password). Deleting the newest events and rewriting the chain head, emptying
the trail, or putting back an older backup all leave the store short of a checkpoint taken
before: `audit verify` names the first checkpoint the store no longer reaches.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import event as sa_event
from sqlmodel import Session

from deskconsole.models import AuditHead
from deskconsole.services.audit_key import AuditKey, source_for

SUFFIX = ".checkpoints"
_LABEL = "deskconsole audit checkpoint v1"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Checkpoint:
    count: int
    last_id: int
    last_hash: str
    at: str  # ISO time, UTC
    key_id: str
    mac: str = ""

    def payload(self) -> str:
        return f"{_LABEL}|{self.count}|{self.last_id}|{self.last_hash}|{self.at}|{self.key_id}"

    def signed(self, key: AuditKey) -> bool:
        return hmac.compare_digest(key.mac(self.payload()), self.mac)

    def line(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        """One line of a checkpoints file (or a shift's checkpoint); ValueError if not one."""
        try:
            raw = json.loads(text)
            return cls(int(raw["count"]), int(raw["last_id"]), str(raw["last_hash"]), str(raw["at"]),
                       str(raw["key_id"]), str(raw["mac"]))
        except (ValueError, KeyError, TypeError):
            raise ValueError("not a checkpoint") from None


@lru_cache(maxsize=32)
def file_for(url: str, config_dir: Path) -> Path | None:
    """Where a store's checkpoints are kept: beside an SQLite file; for a server, in the config
    folder under the URL without its password. None for an in-memory store. Kept: every durable
    save hands it to its session."""
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1] if ":///" in url else ""
        return Path(path + SUFFIX) if path and path != ":memory:" else None
    from sqlalchemy.engine import make_url

    shown = make_url(url).set(drivername=make_url(url).get_backend_name(), password=None)
    name = re.sub(r"[^A-Za-z0-9@._-]+", "_", shown.render_as_string(hide_password=False).split("://", 1)[1])
    return config_dir / "checkpoints" / (name.strip("._")[:180] + SUFFIX)


def take(session: Session, at: datetime) -> Checkpoint | None:
    """A checkpoint of the chain as its head stands in this transaction (None when empty)."""
    head = session.get(AuditHead, 1, populate_existing=True)
    if head is None or not head.count:
        return None
    key = source_for(session).get(create=not head.key_id)
    cp = Checkpoint(head.count, head.last_id, head.last_hash, at.astimezone(UTC).isoformat(), key.id)
    return Checkpoint(**{**asdict(cp), "mac": key.mac(cp.payload())})


def pin_shift(session: Session, shift, now: datetime) -> Checkpoint | None:
    """At a shift close (after its audited close event): the checkpoint goes into the shift's
    handover record and, once committed, into the store's checkpoints file."""
    cp = take(session, now)
    if cp is not None:
        shift.audit_checkpoint = cp.line()
        session.add(shift)
        session.flush()
        keep_after_commit(session, cp)
    return cp


def keep_after_commit(session: Session, cp: Checkpoint) -> None:
    """Append `cp` to the store's checkpoints file once the transaction it pins has committed
    (never before: a checkpoint of a rolled-back chain would accuse the store forever)."""
    path = session.info.get("audit_checkpoints")
    if path is None:
        return

    def _append(_session) -> None:
        try:
            append(path, cp)
        except OSError as exc:  # the record is saved; the next checkpoint pins it too
            log.warning("audit checkpoint not written to %s: %s", path, exc.strerror)

    sa_event.listen(session, "after_commit", _append, once=True)


def append(path: Path, cp: Checkpoint) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, (cp.line() + "\n").encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)


def read(path: Path | None) -> tuple[list[Checkpoint], list[int]]:
    """(checkpoints in the file, numbers of lines that are not checkpoints)."""
    if path is None or not path.is_file():
        return [], []
    found, bad = [], []
    for number, text in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if text.strip():
            try:
                found.append(Checkpoint.parse(text))
            except ValueError:
                bad.append(number)
    return found, bad


@dataclass(frozen=True)
class Miss:
    """A checkpoint the store does not reach: "short" (fewer events, or its last event gone),
    "differs" (its last event is there with another hash or position), "unsigned" (not
    signed by this desk's key)."""
    checkpoint: Checkpoint
    why: str
    where: str  # "file" or "shift <id>"


def misses(checkpoints: list[tuple[Checkpoint, str]], pinned: dict[int, tuple[int, str]],
           key: AuditKey | None) -> list[Miss]:
    """Which checkpoints the walked chain (`audit.verify(..., pins=...)`'s `pinned`) fails,
    oldest first."""
    out = []
    for cp, where in sorted(checkpoints, key=lambda c: (c[0].last_id, c[0].at)):
        if key is None or cp.key_id != key.id or not cp.signed(key):
            out.append(Miss(cp, "unsigned", where))
        elif cp.last_id not in pinned:
            out.append(Miss(cp, "short", where))
        elif pinned[cp.last_id] != (cp.count, cp.last_hash):
            out.append(Miss(cp, "differs", where))
    return out
