"""The database refuses casual edits of the trail: SQLite triggers that abort an UPDATE or a
DELETE of audit events and ticket history, and any move of the chain head but forward.

They stop a person with a database tool and the store file (`sqlite3 desk.db "delete from
..."`), a script, a wrong statement pasted into a console; not a person who drops the
triggers first, which `audit verify` finds (the chain, the sealed rows). On PostgreSQL the
same rule is a role's rights: `deskconsole db grant` (cli/db_grant.py) prints them.

The sanctioned paths that change history rows lift a guard inside their own transaction and
put it back before it commits, so no other writer ever sees the tables unguarded:
- `purge` (services/retention.py) blanks personal data in ticket history and records a purge
  event (with the new seals) for every row it changed;
- a migration that rebuilds one of these tables (batch mode copies it into a new table,
  which drops its triggers) calls `create(op.get_bind())` at its end.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

APPEND_ONLY = ("audit_event", "ticket_event")

_TRIGGERS: dict[str, tuple[str, str]] = {}
for _table in APPEND_ONLY:
    for _what in ("update", "delete"):
        _TRIGGERS[f"{_table}_no_{_what}"] = (_table, (
            f"CREATE TRIGGER IF NOT EXISTS {_table}_no_{_what} BEFORE {_what.upper()} ON {_table} "
            f"BEGIN SELECT RAISE(ABORT, '{_table} is append-only'); END"))
# The chain head moves forward with every append (services/audit.py) and is never removed.
_TRIGGERS["audit_head_no_delete"] = ("audit_head", (
    "CREATE TRIGGER IF NOT EXISTS audit_head_no_delete BEFORE DELETE ON audit_head "
    "BEGIN SELECT RAISE(ABORT, 'audit_head is never removed'); END"))
_TRIGGERS["audit_head_forward"] = ("audit_head", (
    "CREATE TRIGGER IF NOT EXISTS audit_head_forward BEFORE UPDATE ON audit_head "
    "WHEN NEW.count < OLD.count OR NEW.last_id < OLD.last_id OR NEW.id != OLD.id "
    "BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END"))


# PostgreSQL: the console role may UPDATE the head (every append moves it), so the forward-only
# rule is a trigger there too; owned by the store's owner, the console role cannot drop it.
_PG_HEAD = (
    "CREATE OR REPLACE FUNCTION audit_head_forward() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "RAISE EXCEPTION 'audit_head only moves forward'; END $$",
    "DROP TRIGGER IF EXISTS audit_head_forward ON audit_head",
    "CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_head FOR EACH ROW "
    "WHEN (NEW.count < OLD.count OR NEW.last_id < OLD.last_id OR NEW.id <> OLD.id) "
    "EXECUTE FUNCTION audit_head_forward()",
)


def names(table: str | None = None) -> tuple[str, ...]:
    return tuple(n for n, (t, _) in _TRIGGERS.items() if table is None or t == table)


def sqlite_sql(table: str | None = None) -> list[str]:
    """The CREATE TRIGGER statements, for a tool on a raw sqlite3 connection (bench/dbs.py)."""
    return [_TRIGGERS[name][1] for name in names(table)]


def create(conn, table: str | None = None) -> None:
    """Put the guards (of `table`, or all) in place: SQLite's triggers; on PostgreSQL the
    chain head's (the rest is the console role's rights, db/grants.py)."""
    if conn.dialect.name == "postgresql" and table in (None, "audit_head"):
        for sql in _PG_HEAD:
            conn.exec_driver_sql(sql)
    if conn.dialect.name != "sqlite":
        return
    for name in names(table):
        conn.exec_driver_sql(_TRIGGERS[name][1])


def drop(conn, table: str | None = None) -> None:
    if conn.dialect.name == "postgresql" and table in (None, "audit_head"):
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_head_forward ON audit_head")
    if conn.dialect.name != "sqlite":
        return
    for name in names(table):
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")


def present(conn) -> set[str]:
    if conn.dialect.name != "sqlite":
        return set()
    rows = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
    return {r[0] for r in rows} & set(_TRIGGERS)


@contextmanager
def lifted(conn, table: str) -> Iterator[None]:
    """`table`'s guards off for the rest of this transaction's work: SQLite DDL is
    transactional, so a rollback restores them too, and the write lock (BEGIN IMMEDIATE) keeps
    every other writer out meanwhile."""
    drop(conn, table)
    try:
        yield
    finally:
        create(conn, table)
