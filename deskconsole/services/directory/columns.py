"""Which column of a resident list is which field: the header variants in
data/directory_headers.toml, the caller's own `--map 姓名=业主姓名`, identity-card columns
found and skipped, other columns named and ignored."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from deskconsole import catalogs
from deskconsole.services.errors import DeskError

FIELDS = ("name", "phone", "kind", "note", "unit", "building", "section", "room")
UNIT_PARTS = ("building", "section", "unit", "room")
# A mainland resident identity card: 17 digits and a check digit or X (the old 15-digit card
# too). Privacy (DOMAIN §1, 003 2.3.2): the desk has no use for it, so it never comes in.
IDENTITY = re.compile(r"^(\d{17}[\dXx]|\d{15})$")


def table() -> dict:
    return catalogs.load("directory_headers.toml")


def _key(header: str) -> str:
    return re.sub(r"\s+", " ", header.strip()).lower()


def field_of(header: str) -> str | None:
    """The field a header names (any variant, or the field's own name), or None."""
    key = _key(header)
    if key in FIELDS:
        return key
    for name, variants in table()["fields"].items():
        if key in (_key(v) for v in variants):
            return name
    return None


def is_identity_header(header: str) -> bool:
    return _key(header) in (_key(v) for v in table()["identity"]["headers"])


@dataclass
class ColumnPlan:
    columns: dict[str, int] = field(default_factory=dict)  # field -> cell index
    identity: list[str] = field(default_factory=list)  # headers skipped: identity numbers
    ignored: list[str] = field(default_factory=list)  # headers of other columns, not imported

    def header_of(self, header: list[str], name: str) -> str:
        return header[self.columns[name]] if name in self.columns else name

    @property
    def composed(self) -> bool:
        return any(p in self.columns for p in ("building", "section", "room"))


def parse_map(pairs: list[str] | None) -> dict[str, str]:
    """['姓名=业主姓名', 'phone=联系方式2'] -> {'name': '业主姓名', 'phone': '联系方式2'}."""
    found: dict[str, str] = {}
    for pair in pairs or []:
        target, sep, source = pair.partition("=")
        name = field_of(target) if sep else None
        if name is None or not source.strip():
            raise DeskError("directory.error.map", pair=pair, fields=", ".join(FIELDS))
        found[name] = source.strip()
    return found


def plan(header: list[str], rows: list[list[str]], overrides: dict[str, str] | None = None) -> ColumnPlan:
    """Map each header cell to a field. `overrides` (field -> header) win over the table."""
    result = ColumnPlan()
    overrides = overrides or {}
    stripped = [h.strip() for h in header]
    for name, source in overrides.items():
        if source not in stripped:
            raise DeskError("directory.error.map_column", column=source, columns=", ".join(h for h in stripped if h))
        result.columns[name] = stripped.index(source)
    taken = set(result.columns.values())
    for index, text in enumerate(stripped):
        if index in taken or not text:
            continue
        if is_identity_header(text):
            result.identity.append(text)
            continue
        name = field_of(text)
        if name is None or name in result.columns:
            result.ignored.append(text)
            continue
        result.columns[name] = index
    # A column whose values look like identity numbers goes too, whatever its header says.
    for index, text in enumerate(stripped):
        values = [cells[index] for cells in rows if index < len(cells) and cells[index]]
        if values and sum(1 for v in values if IDENTITY.match(v.replace(" ", ""))) * 2 >= len(values) \
                and text not in result.identity:
            result.identity.append(text or f"#{index + 1}")
            if text in result.ignored:
                result.ignored.remove(text)
            for name, at in list(result.columns.items()):
                if at == index:
                    del result.columns[name]
    # 单元 alone is the whole unit (an older list's own column); beside 楼栋/房号 it is a part.
    if "section" in result.columns and not any(p in result.columns for p in ("building", "room", "unit")):
        result.columns["unit"] = result.columns.pop("section")
    return result


def compose_unit(parts: list[str]) -> str:
    """['3栋', '2单元', '1201室'] -> '3-2-1201'."""
    spec = table()["unit"]
    suffixes = sorted(spec["strip_suffixes"], key=len, reverse=True)
    cleaned = []
    for part in parts:
        part = part.strip()
        for suffix in suffixes:
            if part.endswith(suffix) and len(part) > len(suffix):
                part = part[: -len(suffix)].strip()
                break
        if part:
            cleaned.append(part)
    return spec["separator"].join(cleaned)


def split_phones(cell: str) -> list[str]:
    """'13812345678/13987654321' -> both; the separators are in the table."""
    parts = [cell]
    for sep in table()["phones"]["separators"]:
        parts = [piece for part in parts for piece in part.split(sep)]
    return [p.strip() for p in parts if p.strip()]
