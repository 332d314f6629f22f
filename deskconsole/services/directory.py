"""The directory (residents, units, companies, staff): autocomplete for every unit/host field.
Prefix queries on indexed columns; never more rows than asked for."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlmodel import Session

from deskconsole.models import DirectoryEntry


@dataclass(frozen=True)
class Suggestion:
    id: int
    kind: str
    name: str
    unit: str
    phone: str | None

    @property
    def label(self) -> str:
        return f"{self.unit} {self.name}".strip()


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def suggest(session: Session, prefix: str, *, limit: int = 8) -> list[Suggestion]:
    """Entries whose unit or name starts with `prefix` (index range scans)."""
    prefix = (prefix or "").strip()
    if not prefix:
        return []
    pattern = _escape_like(prefix) + "%"
    rows = session.execute(
        select(DirectoryEntry)
        .where(DirectoryEntry.active,
               or_(DirectoryEntry.unit.like(pattern, escape="\\"),
                   DirectoryEntry.name.like(pattern, escape="\\")))
        .order_by(DirectoryEntry.unit, DirectoryEntry.name)
        .limit(limit)
    ).scalars().all()
    return [Suggestion(r.id, r.kind, r.name, r.unit, r.phone) for r in rows]
