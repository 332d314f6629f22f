"""The Store: one engine, read sessions, write transactions that do not fail under two writers.

SQLite (the default, one file in the data dir): WAL, synchronous=FULL (a record the UI shows
as saved survives a power cut), foreign keys on, busy timeout, and BEGIN IMMEDIATE for
writes so two terminals never hit a lock-upgrade deadlock. PostgreSQL: the same API.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from deskconsole.db.base import StoreError
from deskconsole.db.migrate import upgrade as upgrade_schema

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

T = TypeVar("T")

BUSY_TIMEOUT_MS = 10_000
WRITE_RETRIES = 5


class Store:
    def __init__(self, url: str, *, keys=None, config_dir: Path | None = None) -> None:
        """`keys`: the desk's audit key source (services/audit_key.KeySource; default: by the
        environment, as the config folder is). `config_dir`: where a server store's audit
        checkpoints file goes (default: the config folder)."""
        from deskconsole.services.audit_key import KeySource

        self.url = url
        self.keys = keys if keys is not None else KeySource.from_env()
        self.config_dir = config_dir
        self._engine: Engine | None = None
        self._dv_conn = None
        self._dv_lock = threading.Lock()

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @property
    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite:
            return None
        path = self.url.split(":///", 1)[1] if ":///" in self.url else ""
        return Path(path) if path and path != ":memory:" else None

    @property
    def checkpoints_path(self) -> Path | None:
        """The file beside the store (or in the config folder) its audit checkpoints go to."""
        import os

        from deskconsole.config import config_dir
        from deskconsole.services.audit_checkpoints import file_for

        return file_for(self.url, self.config_dir if self.config_dir is not None else config_dir(os.environ))

    def _session_info(self) -> dict:
        return {"audit_key": self.keys, "audit_checkpoints": self.checkpoints_path}

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise StoreError("store is not open")
        return self._engine

    @property
    def is_open(self) -> bool:
        return self._engine is not None

    # -- opening ---------------------------------------------------------------------
    def open(self, *, migrate: bool = True, clock=None) -> Store:
        """Create the engine, check the file is usable, upgrade the schema to head, then check
        this desk's audit key against the store's (and seal a chain from before keys)."""
        if self._engine is not None:
            return self
        from sqlalchemy import create_engine, event
        from sqlalchemy.exc import DBAPIError, NoSuchModuleError

        if self.is_sqlite:
            path = self.sqlite_path
            if path is not None:
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise StoreError(f"cannot create data folder {path.parent}: {exc.strerror}") from None
                if path.exists() and not _readable_sqlite(path):
                    raise StoreError(f"{path} is not a deskconsole database (or it is damaged)")
            # Two idle connections kept (more are opened when workers overlap, and closed after):
            # each keeps its own page cache, and the lobby PC's memory matters more than a
            # reconnect (~0.3 ms).
            engine = create_engine(
                self.url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
                hide_parameters=True,  # error texts reach the log: never a visitor's name or phone
                **({"pool_size": 2, "max_overflow": 10} if path is not None else {}),  # not :memory:
            )
            event.listen(engine, "connect", _sqlite_on_connect)
            event.listen(engine, "begin", _sqlite_on_begin)
        else:
            try:
                engine = create_engine(self.url, pool_pre_ping=True, hide_parameters=True)
            except NoSuchModuleError:
                raise StoreError(f"unsupported database URL: {self.url.split('://')[0]}") from None
            except ModuleNotFoundError:
                raise StoreError("PostgreSQL needs psycopg: pip install 'deskconsole[postgres]'") from None
        self._engine = engine
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
            if migrate:
                upgrade_schema(self)
                self._audit_chain_on_open(clock)
        except DBAPIError as exc:
            self._engine = None
            engine.dispose()
            raise StoreError(_db_message(self, exc)) from None
        except Exception:  # a store problem, or this desk's audit key refused: nothing left open
            self._engine = None
            engine.dispose()
            raise
        return self

    def _audit_chain_on_open(self, clock) -> None:
        from deskconsole.services import audit_seal
        with self.read() as s:
            _, unsealed = audit_seal.check_key(s)
        if unsealed:
            if clock is None:
                from deskconsole.clock import SystemClock

                clock = SystemClock()
            self.write(lambda s: audit_seal.seal(s, clock.now()))

    def close(self) -> None:
        if self._dv_conn is not None:
            self._dv_conn.close()
            self._dv_conn = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    # -- sessions --------------------------------------------------------------------
    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading. Closing it ends the transaction without expiring what was
        loaded, so results stay usable (detached) after the block."""
        from sqlmodel import Session

        with Session(self.engine, expire_on_commit=False, info=self._session_info()) as session:
            yield session

    def write(self, fn: Callable[[Session], T]) -> T:
        """Run fn(session) in one durable write transaction and commit.

        On SQLite the transaction begins IMMEDIATE (takes the write lock up front), waits up
        to the busy timeout, and the whole unit is retried a bounded number of times, so
        "database is locked" never reaches a user while another terminal writes.
        """
        from sqlalchemy.exc import OperationalError
        from sqlmodel import Session

        attempt = 0
        while True:
            session = Session(self.engine, expire_on_commit=False, info=self._session_info())
            try:
                if self.is_sqlite:
                    session.connection(execution_options={"deskconsole_write": True})
                result = fn(session)
                session.commit()
                return result
            except OperationalError as exc:
                session.rollback()
                attempt += 1
                if not _is_busy(exc) or attempt >= WRITE_RETRIES:
                    raise
                time.sleep(0.05 * attempt)
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()

    # -- change detection ------------------------------------------------------------
    def change_token(self) -> int | str:
        """Cheap: changes whenever any connection has committed a write.

        SQLite: PRAGMA data_version on a dedicated connection (other connections' commits
        bump it). PostgreSQL: the audit chain head (every write appends an audit event).
        """
        if self.is_sqlite:
            with self._dv_lock:
                if self._dv_conn is None:
                    self._dv_conn = self.engine.raw_connection()
                cur = self._dv_conn.cursor()
                cur.execute("PRAGMA data_version")
                value = cur.fetchone()[0]
                cur.close()
                # Writes made through this process's own pool are "other connections" too,
                # since this connection never writes.
                return value
        from sqlalchemy import text

        with self.engine.connect() as conn:
            return conn.execute(text("SELECT coalesce(max(id), 0) FROM audit_event")).scalar_one()


def preflight(url: str) -> None:
    """Cheap checks before the console starts (stdlib only): the data folder can be made and
    written, and an existing file is an SQLite database. Raises StoreError with one line."""
    store = Store(url)
    path = store.sqlite_path
    if path is None:
        return
    import os

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create data folder {path.parent}: {exc.strerror}") from None
    if not os.access(path.parent, os.W_OK):
        raise StoreError(f"data folder {path.parent} is not writable")
    if path.exists():
        if not os.access(path, os.R_OK | os.W_OK):
            raise StoreError(f"{path} cannot be read and written by this user")
        if not _readable_sqlite(path):
            raise StoreError(f"{path} is not a deskconsole database (or it is damaged)")


def _sqlite_on_connect(dbapi_conn, _record) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's implicit BEGIN is deferred).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = FULL")
    cur.execute("PRAGMA foreign_keys = ON")
    # 1 MB of page cache a connection (SQLite's default is 2 MB): the queries here walk indexes;
    # a page not cached is read from the operating system's file cache.
    cur.execute("PRAGMA cache_size = -1024")
    cur.close()


def _sqlite_on_begin(conn) -> None:
    if conn.get_execution_options().get("deskconsole_write"):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


def _is_busy(exc) -> bool:
    text = str(getattr(exc, "orig", exc)).lower()
    return "locked" in text or "busy" in text


def _readable_sqlite(path: Path) -> bool:
    """A file that exists must be an SQLite database before we touch it."""
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError:
        return False
    return head == b"SQLite format 3\x00" or head == b""


def _db_message(store: Store, exc) -> str:
    orig = getattr(exc, "orig", exc)
    text = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    if store.is_sqlite:
        where = store.sqlite_path or "memory"
        if isinstance(orig, sqlite3.DatabaseError) and "not a database" in text:
            return f"{where} is not a deskconsole database (or it is damaged)"
        return f"database {where}: {text}"
    return f"database server: {text}"
