"""Where the audit chain ends (reliability issue §6).

The hash chain finds an edited or deleted event in the middle, but deleting the LAST events
leaves a shorter chain that still holds. One row here, updated in the same transaction as
every append, records the newest event and how many there are: `audit verify` compares.
"""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class AuditHead(SQLModel, table=True):
    __tablename__ = "audit_head"
    id: int | None = Field(default=None, primary_key=True)  # always 1
    last_id: int = 0
    last_hash: str = Field(default="", max_length=64)
    count: int = 0
