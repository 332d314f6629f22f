"""What the db modules share, so that none of them imports store.py back: the error a user
can act on, and what migrate.py and maintenance.py need of a store (store.Store is one)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


class StoreError(Exception):
    """A store problem a user can act on; `str()` is one line."""


class OpenStore(Protocol):
    """An opened store: its engine, and its file when it is SQLite."""

    @property
    def engine(self) -> Engine: ...

    @property
    def is_sqlite(self) -> bool: ...

    @property
    def sqlite_path(self) -> Path | None: ...


# What a store error means for the person at the desk. The messages of SQLite and the SQLSTATE
# classes of PostgreSQL are stable; matching them here keeps the rest of the code free of both.
_SQLITE_WORDS = (
    ("disk_full", ("database or disk is full", "no space left")),
    ("read_only", ("readonly database", "read-only", "read only")),
    ("locked", ("database is locked", "database table is locked", "busy")),
    ("unreachable", ("unable to open database", "disk i/o error", "no such file")),
)
_PG_WORDS = (
    ("disk_full", ("no space left", "could not extend file", "disk full")),
    ("read_only", ("read-only transaction", "read only transaction")),
    ("unreachable", ("connection refused", "server closed the connection", "terminating connection",
                     "connection is closed", "could not connect", "connection timeout", "timeout expired",
                     "connection to server", "no connection to the server", "ssl syscall", "consuming input failed",
                     "the connection is lost", "connection not open")),
)
# SQLSTATE classes (PostgreSQL appendix A): 08 connection, 53100 disk full, 25006 read-only
# transaction, 55P03 lock not available, 40P01 deadlock, 57P0x shutdown/cannot connect now.
_PG_STATES = {"53100": "disk_full", "25006": "read_only", "55P03": "locked", "40P01": "locked",
              "57P01": "unreachable", "57P02": "unreachable", "57P03": "unreachable"}
_ERRNOS = {28: "disk_full", 30: "read_only"}  # ENOSPC, EROFS


def classify(exc: BaseException | None) -> str | None:
    """"unreachable" | "disk_full" | "read_only" | "locked" for an error that comes from the
    store itself (SQLite, PostgreSQL/psycopg, through SQLAlchemy or not), else None: a bug is
    not a store outage and must still be logged as one."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        kind = _classify_one(exc)
        if kind is not None:
            return kind
        exc = getattr(exc, "orig", None) or exc.__cause__ or exc.__context__
    return None


def _classify_one(exc: BaseException) -> str | None:
    if isinstance(exc, StoreError):
        return None  # already a sentence a user can act on
    if getattr(exc, "connection_invalidated", False):
        return "unreachable"
    if isinstance(exc, OSError) and exc.errno in _ERRNOS:
        return _ERRNOS[exc.errno]
    module = type(exc).__module__ or ""
    text = str(exc).lower()
    if module.startswith("sqlite3") or "sqlite" in module:
        return _by_words(_SQLITE_WORDS, text)
    if module.startswith(("psycopg", "psycopg2")):
        state = getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None) or ""
        if state in _PG_STATES:
            return _PG_STATES[state]
        if state.startswith("08"):
            return "unreachable"
        kind = _by_words(_PG_WORDS, text)
        if kind is None and type(exc).__name__ in ("OperationalError", "InterfaceError") and not state:
            return "unreachable"  # no SQLSTATE: the client lost the server
        return kind
    if module.startswith("sqlalchemy") and type(exc).__name__ in ("OperationalError", "DisconnectionError"):
        # A DBAPI error wrapped by SQLAlchemy, or raised by an event hook as SQLAlchemy's own:
        # the words still say what happened.
        return _by_words(_SQLITE_WORDS + _PG_WORDS, text)
    return None


def _by_words(table, text: str) -> str | None:
    for kind, words in table:
        if any(w in text for w in words):
            return kind
    return None
