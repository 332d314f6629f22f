"""Reliability pieces of the schema.

AuditHead: where the audit chain ends. The hash chain finds an edited or deleted event in the
middle, but deleting the LAST events leaves a shorter chain that still holds. One row here,
updated in the same transaction as every append, records the newest event and how many
there are: `audit verify` compares.

Read guard: services clean every text before storing it, but a row can still arrive raw:
written by an older version, by a script straight into the database, or restored from
elsewhere. Every record loaded through the ORM has its text attributes cleaned as it is
loaded, so a terminal escape in the database never reaches a screen. The database is left as
it is (the cleaned value is set as "committed", so nothing is written back).
"""

from __future__ import annotations

import re

from sqlalchemy import event
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Field, SQLModel


class AuditHead(SQLModel, table=True):
    __tablename__ = "audit_head"
    id: int | None = Field(default=None, primary_key=True)  # always 1
    last_id: int = 0
    last_hash: str = Field(default="", max_length=64)
    count: int = 0
    # The fingerprint of the key the chain is keyed with (services/audit_key.py); "" before.
    key_id: str = Field(default="", max_length=64)


_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def loaded_text(value):
    """A text as the read guard hands it out: for services that read columns without loading
    records (Core statements), so they show what a loaded record would."""
    if isinstance(value, str) and _UNSAFE.search(value):
        # services.text has no model imports, so this late import cannot cycle.
        from deskconsole.services.text import strip_controls

        return strip_controls(value, multiline=True)
    return value


def _clean_loaded(target, *_args) -> None:
    if getattr(target, "__tablename__", "") == "audit_event":
        return  # hashed exactly as stored; `audit show` cleans what it prints
    for key, value in list(target.__dict__.items()):
        if isinstance(value, str) and _UNSAFE.search(value):
            set_committed_value(target, key, loaded_text(value))


event.listen(SQLModel, "load", _clean_loaded, propagate=True)
event.listen(SQLModel, "refresh", _clean_loaded, propagate=True)
