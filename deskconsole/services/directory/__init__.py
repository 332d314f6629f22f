"""The directory (residents, units, companies, staff): autocomplete for every unit/host field,
and import from CSV/XLSX (`importing`, `reading`, `columns`). Prefix queries on indexed
columns; never more rows than asked for."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
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


def suggest(session: Session, prefix: str, *, limit: int = 8) -> list[Suggestion]:
    """Entries whose unit or name starts with `prefix`: two index range scans
    (column >= prefix AND column < prefix + U+FFFF), merged. LIKE with a bound pattern cannot
    use an index on SQLite, a range can on both backends."""
    prefix = (prefix or "").strip()
    if not prefix:
        return []
    upper = prefix + "\uffff"
    found: dict[int, DirectoryEntry] = {}
    for column in (DirectoryEntry.unit, DirectoryEntry.name):
        rows = session.execute(
            select(DirectoryEntry)
            .where(column >= prefix, column < upper, DirectoryEntry.active)
            .order_by(column).limit(limit)
        ).scalars()
        for row in rows:
            found.setdefault(row.id, row)
    ordered = sorted(found.values(), key=lambda r: (r.unit, r.name, r.id))[:limit]
    return [Suggestion(r.id, r.kind, r.name, r.unit, r.phone) for r in ordered]


# The import, re-exported: callers use `directory.import_file(...)` as before.
from deskconsole.services.directory.importing import (  # noqa: E402
    ImportReport,
    Parsed,
    RowProblem,
    import_file,
    parse,
    parse_file,
)
from deskconsole.services.directory.reading import decode  # noqa: E402

__all__ = ["ImportReport", "Parsed", "RowProblem", "Suggestion", "decode", "import_file", "parse",
           "parse_file", "suggest"]
