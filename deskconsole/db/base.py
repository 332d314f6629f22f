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
