"""Bulk writing for the demo generator: rows are plain tuples in a fixed column order, buffered
per table and written with one executemany per table and chunk (SQLAlchemy Core's
`exec_driver_sql`, no per-value type processing). Times are integer epoch seconds turned into
exactly the text SQLAlchemy's DateTime writes on SQLite ('YYYY-MM-DD HH:MM:SS.000000', naive
UTC); PostgreSQL parses the same text into its timestamp column. Columns the demo always fills
with one value (NULL, false) are SQL literals in the INSERT, not bound per row."""

from __future__ import annotations

import sqlite3
import time
from decimal import Decimal

# Insertion order respects foreign keys (a row only points at rows written before it).
COLUMNS: dict[str, tuple[str, ...]] = {
    "operator": ("id", "staff_no", "name", "role", "pin_salt", "pin_hash", "active", "failed_pins",
                 "locked_until", "created_at"),
    "desk": ("id", "name", "created_at"),
    "directory_entry": ("id", "kind", "name", "unit", "phone", "active"),
    "shift": ("id", "operator_id", "desk_id", "started_at", "ended_at", "handover_note",
              "prev_shift_id", "handover_ack_at", "closed_by"),
    "visit": ("id", "operator_id", "shift_id", "desk_id", "arrived_at", "name", "honorific", "phone",
              "unit", "host", "purpose", "party_size", "level", "note", "status", "served_at",
              "served_out_of_order", "apology_shown_at", "apology_ack_at", "handoff_post",
              "handoff_method", "handoff_description", "handoff_at", "checked_out_at",
              "request_kind", "voided_at", "void_reason"),
    "call": ("id", "operator_id", "shift_id", "desk_id", "direction", "line", "covering_neighbour",
             "started_at", "answered_at", "ended_at", "answer_seconds", "rings", "within_limit",
             "status", "caller_name", "honorific", "phone", "unit", "category", "summary", "outcome",
             "message_for", "returns_call_id", "returned_at"),
    "ticket": ("id", "kind", "status", "priority", "customer_name", "honorific", "phone", "unit",
               "source", "visit_id", "call_id", "description", "category", "department",
               "first_owner_id", "assignee_id", "assignee_text", "due_at", "escalated_at",
               "escalation_reason", "resolved_at", "followed_up_at", "closed_at", "cancelled_at",
               "cancel_reason", "first_checked_at", "reopened_count", "satisfaction", "fee_amount",
               "fee_currency", "created_at", "updated_at", "shift_id", "desk_id"),
    # The registers (DOMAIN §3): after the tickets and calls their lines point at.
    "key_loan": ("id", "operator_id", "shift_id", "desk_id", "key_code", "unit", "name", "company", "phone",
                 "borrower_kind", "purpose", "ticket_id", "lent_at", "due_at", "returned_at", "returned_to", "returned_shift_id",
                 "returned_desk_id"),
    "goods_release": ("id", "operator_id", "shift_id", "desk_id", "number", "unit", "name", "applicant_kind",
                      "phone", "confirmed_by", "confirmed_how", "items", "vehicle_plate", "valid_on", "issued_at",
                      "expires_at"),
    "item_loan": ("id", "operator_id", "shift_id", "desk_id", "item_code", "name", "unit", "phone", "deposit",
                  "id_note", "lent_at", "returned_at", "returned_to", "returned_shift_id", "returned_desk_id",
                  "deposit_refunded"),
    # The watch list (访客关注名单): the entries a supervisor keeps, the desk's hits.
    "watch_entry": ("id", "name", "phone", "reason", "action", "valid_until", "created_at", "created_by"),
    "watch_hit": ("id", "operator_id", "shift_id", "desk_id", "entry_id", "at", "place", "matched", "name",
                  "phone", "unit", "action"),
    "ticket_event": ("id", "ticket_id", "at", "operator_id", "kind", "field_name", "old", "new",
                     "note"),
    "repair_step": ("id", "ticket_id", "step", "done_at", "operator_id"),
    "follow_up": ("id", "ticket_id", "created_at", "due_at", "done_at", "call_id", "satisfaction",
                  "comment", "outcome", "operator_id", "shift_id"),
    "progress_call": ("id", "ticket_id", "created_at", "due_at", "done_at", "stopped_at", "call_id",
                      "operator_id", "shift_id"),
    "etiquette_check": ("id", "kind", "operator_id", "inspector_id", "shift_id", "desk_id", "at",
                        "checklist_version", "skipped", "score", "max_score", "comments",
                        "signed_at", "seen_at"),
    "etiquette_result": ("id", "check_id", "item_id", "element", "result"),
    "audit_event": ("id", "at", "operator_id", "desk_id", "shift_id", "action", "entity",
                    "entity_id", "after", "prev_hash", "hash"),
}
# What the demo writes the same in every row: part of the INSERT, not of each row's tuple
# (binding a value costs more than the rest of its column's insert).
LITERALS: dict[str, dict[str, None | bool]] = {
    "directory_entry": {"note": None},
    "visit": {"expected_id": None, "anonymised": False},
    "call": {"voided_at": None, "void_reason": None, "anonymised": False},
    "ticket": {"anonymised": False},
    "repair_step": {"note": None, "skipped": False},
    "etiquette_result": {"note": None},
    "audit_event": {"before": None},
    "key_loan": {"return_note": None, "voided_at": None, "void_reason": None},
    "goods_release": {"confirm_call_id": None, "checked_at": None, "check_count": 0, "voided_at": None,
                      "void_reason": None},
    "item_loan": {"voided_at": None, "void_reason": None},
    "watch_entry": {"changed_at": None, "removed_at": None, "removed_by": None},
}
TABLES = tuple(COLUMNS)
# The history tables: on SQLite their secondary indexes are dropped for the load and rebuilt
# after it (one sorted build is cheaper than millions of random B-tree inserts).
BULK_TABLES = ("visit", "call", "ticket", "ticket_event", "repair_step", "follow_up", "progress_call",
               "etiquette_check", "etiquette_result", "audit_event")

_gmtime = time.gmtime
_DAY = 86400


class _Dates(dict):
    """'YYYY-MM-DD ' by UTC day number (epoch // 86400), made on first use."""

    def __missing__(self, days: int) -> str:
        text = self[days] = time.strftime("%Y-%m-%d ", _gmtime(days * _DAY))
        return text


# The generator's hot loops inline `DATES[t // 86400] + CLOCK[t % 86400]`: two look-ups
# instead of a strftime (it writes ~12M timestamps for five busy years).
DATES = _Dates()
CLOCK = tuple(f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}.000000" for s in range(_DAY))


def ts(epoch: int | None) -> str | None:
    """What a UTCDateTime column holds on SQLite, as text (PostgreSQL parses it)."""
    if epoch is None:
        return None
    return DATES[epoch // _DAY] + CLOCK[epoch % _DAY]


sqlite_ts = ts  # the name bench/service_probe.py imports


class Sink:
    """Per-table row buffers; `take()` hands a chunk over to be written."""

    def __init__(self, dialect: str) -> None:
        self.sqlite = dialect == "sqlite"
        self.ts = ts
        # Booleans: SQLite stores True as 1, and binds an int faster than a bool; PostgreSQL
        # wants a real bool for a boolean column.
        self.true, self.false = (1, 0) if self.sqlite else (True, False)
        self.rows: dict[str, list] = {name: [] for name in TABLES}

    def money(self, amount: int) -> object:
        # SQLAlchemy's Numeric stores a float on SQLite; PostgreSQL takes the Decimal.
        return float(amount) if self.sqlite else Decimal(amount)

    def take(self) -> dict[str, list]:
        rows, self.rows = self.rows, {name: [] for name in TABLES}
        return rows


def insert_sql(dialect: str) -> dict[str, str]:
    sqlite = dialect == "sqlite"
    mark = "?" if sqlite else "%s"

    def literal(value: None | bool) -> str:
        if value is None:
            return "NULL"
        return str(int(value)) if sqlite else str(value).upper()

    out = {}
    for name, cols in COLUMNS.items():
        fixed = LITERALS.get(name, {})
        names = ", ".join((*cols, *fixed))
        values = ", ".join((*[mark] * len(cols), *map(literal, fixed.values())))
        out[name] = f'INSERT INTO "{name}" ({names}) VALUES ({values})'
    return out


def refuse_non_empty(conn) -> None:
    from deskconsole.services.errors import DeskError

    for name in TABLES:
        if conn.exec_driver_sql(f'SELECT 1 FROM "{name}" LIMIT 1').first() is not None:
            raise DeskError("demo.error.not_empty", table=name)


def write(conn, sql: dict[str, str], rows: dict[str, list], counts: dict[str, int]) -> None:
    """One executemany per table, in foreign-key order."""
    for name in TABLES:
        batch = rows.get(name)
        if batch:
            conn.exec_driver_sql(sql[name], batch)
            counts[name] += len(batch)


def move_chain_head(conn, sqlite: bool, last_id: int, last_hash: str, count: int, key_id: str) -> None:
    """The audit chain head names the last event, counts them all and names the key's id."""
    from sqlalchemy import inspect

    if not inspect(conn).has_table("audit_head"):
        return
    mark = "?" if sqlite else "%s"
    conn.exec_driver_sql("DELETE FROM audit_head")
    conn.exec_driver_sql(f"INSERT INTO audit_head (id, last_id, last_hash, count, key_id) "
                         f"VALUES (1, {mark}, {mark}, {mark}, {mark})", (last_id, last_hash, count, key_id))


def pg_sequences(conn) -> None:
    for name in TABLES:
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
            f"coalesce((SELECT max(id) FROM \"{name}\"), 0) + 1, false)")


class BulkMode:
    """SQLite pragmas and index drops for the load; `leave()` restores all of it (and rebuilds
    the indexes). With journal_mode=OFF a crash mid-load leaves a half-built demo file: the
    generator only ever fills an empty, throwaway database."""

    PRAGMAS = ("journal_mode", "synchronous", "foreign_keys", "cache_size", "temp_store")

    def __init__(self, conn) -> None:
        self.conn = conn
        self.raw = conn.connection.driver_connection
        self.saved: dict[str, object] = {}
        self.indexes: list[str] = []
        self.tables: dict[str, str] = {}  # index sql -> its table

    def _pragma(self, name: str, value: object | None = None):
        cur = self.raw.cursor()
        try:
            if value is None:
                return cur.execute(f"PRAGMA {name}").fetchone()[0]
            cur.execute(f"PRAGMA {name} = {value}")
        finally:
            cur.close()

    def enter(self) -> None:
        self.saved = {name: self._pragma(name) for name in self.PRAGMAS}
        for name, value in (("journal_mode", "OFF"), ("synchronous", "OFF"), ("foreign_keys", "OFF"),
                            ("cache_size", -262144), ("temp_store", "MEMORY")):
            self._pragma(name, value)
        marks = ", ".join("?" * len(BULK_TABLES))
        cur = self.raw.cursor()
        rows = cur.execute(f"SELECT name, sql, tbl_name FROM sqlite_master WHERE type = 'index' "
                           f"AND sql IS NOT NULL AND tbl_name IN ({marks})", BULK_TABLES).fetchall()
        for name, sql, table in rows:
            cur.execute(f'DROP INDEX "{name}"')
            self.indexes.append(sql)
            self.tables[sql] = table
        cur.close()

    def abandon(self) -> None:
        """The load stopped (an error, Ctrl+C): put back what can be put back. SQLAlchemy closes
        a connection a KeyboardInterrupt went through, and then nothing can; the half-built
        file is discarded either way (demo/target.py), so that is no new problem to report."""
        try:
            self.leave()
        except sqlite3.ProgrammingError:
            if self._open():
                raise

    def _open(self) -> bool:
        try:
            self.raw.total_changes  # noqa: B018 - raises ProgrammingError once closed
        except sqlite3.ProgrammingError:
            return False
        return True

    def leave(self, stage=None, last=None) -> None:
        """Rebuild the indexes, then `stage.merge(raw connection)` (rows staged elsewhere,
        copied in while the store is still in bulk mode; their tables' indexes, listed in
        `stage.deferred`, are its job), then `last(raw connection)` (the seal events, appended
        before the audit trail's own indexes are built), then restore the pragmas."""
        self.conn.rollback()  # ends a failed chunk; nothing is open after the last commit
        later = set(stage.deferred) if stage is not None else set()
        trail = [sql for sql in self.indexes if last is not None and self.tables.get(sql) == LAST_TABLE]
        cur = self.raw.cursor()
        for sql in self.indexes:
            if sql not in later and sql not in trail:
                cur.execute(sql)
        try:
            if stage is not None:
                stage.merge(self.raw)
            if last is not None:
                last(self.raw)
        finally:
            for sql in trail:
                cur.execute(sql)
            cur.close()
            for name in reversed(self.PRAGMAS):
                self._pragma(name, self.saved[name])


LAST_TABLE = "audit_event"

