"""What a company decides about its registers, read from its data files (DOMAIN §3):
the key catalogue (data/keys.toml), the lending counter's items and the rules
(data/registers.toml). A company's copy in <config dir>/data/ wins over the shipped one."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from deskconsole import catalogs
from deskconsole.services.errors import DeskError
from deskconsole.services.text import clean

KEYS_FILE = "keys.toml"
RULES_FILE = "registers.toml"
KEY_KINDS = ("unit", "plant", "public")


@dataclass(frozen=True)
class KeySpec:
    code: str
    kind: str
    unit: str
    zh: str
    en: str

    def label(self, language: str) -> str:
        return (self.zh if language == "zh-CN" else self.en) or self.code


@dataclass(frozen=True)
class ItemSpec:
    code: str
    zh: str
    en: str
    deposit: Decimal | None

    def label(self, language: str) -> str:
        return (self.zh if language == "zh-CN" else self.en) or self.code


@dataclass(frozen=True)
class RegisterRules:
    due_hours: float = 4
    tenant_needs_owner_confirmation: bool = True
    confirm_methods: tuple[str, ...] = ("in_person", "phone", "written")
    needs_deposit_or_id: bool = True


def keys() -> dict[str, KeySpec]:
    """The key catalogue by code, in file order."""
    out: dict[str, KeySpec] = {}
    for row in catalogs.load(KEYS_FILE).get("key", []):
        code = str(row["code"])
        out[code] = KeySpec(code, str(row.get("kind", "public")), str(row.get("unit", "")),
                            str(row.get("zh", "")), str(row.get("en", "")))
    return out


def _money(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


def items() -> dict[str, ItemSpec]:
    """The lending counter's items by code, in file order."""
    return {str(r["code"]): ItemSpec(str(r["code"]), str(r.get("zh", "")), str(r.get("en", "")),
                                     _money(r.get("deposit")))
            for r in catalogs.load(RULES_FILE).get("item", [])}


def rules() -> RegisterRules:
    data = catalogs.load(RULES_FILE)
    key, goods, loan = data.get("key_loan", {}), data.get("goods_release", {}), data.get("item_loan", {})
    base = RegisterRules()
    return RegisterRules(
        due_hours=float(key.get("due_hours", base.due_hours)),
        tenant_needs_owner_confirmation=bool(goods.get("tenant_needs_owner_confirmation",
                                                       base.tenant_needs_owner_confirmation)),
        confirm_methods=tuple(goods.get("confirm_methods", base.confirm_methods)),
        needs_deposit_or_id=bool(loan.get("needs_deposit_or_id", base.needs_deposit_or_id)),
    )


def zone(tz) -> ZoneInfo:
    return ZoneInfo(tz) if isinstance(tz, str) else tz


def end_of_day(day: date, tz) -> datetime:
    """The first instant of the next site-local day: a release of `day` is valid before it."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone(tz))


def local_day(when: datetime, tz) -> date:
    return when.astimezone(zone(tz)).date()


def parse_deposit(value: object) -> Decimal | None:
    text = clean(value, field="deposit", limit=12)
    if not text:
        return None
    amount = _money(text)
    if amount is None or amount < 0:
        raise DeskError("registers.error.deposit", field="deposit")
    return amount


KEYS_CSV_HEADER = ("code", "kind", "unit", "zh", "en")


def keys_toml_from_csv(data: str) -> tuple[str, int]:
    """A key catalogue (keys.toml text) from a CSV with the columns code,kind,unit,zh,en, for a
    company to put in <config dir>/data/. Refuses a row without a code or with an unknown kind."""
    reader = csv.DictReader(io.StringIO(data.lstrip("\ufeff")))
    missing = [c for c in ("code",) if c not in (reader.fieldnames or [])]
    if missing:
        raise DeskError("registers.error.keys_csv_header", field="file", columns=", ".join(KEYS_CSV_HEADER))
    lines, seen = [], set()
    for number, row in enumerate(reader, start=2):
        code = clean(row.get("code"), field="code", limit=32)
        kind = clean(row.get("kind") or "public", field="kind", limit=16).lower()
        if not code or kind not in KEY_KINDS or code in seen:
            raise DeskError("registers.error.keys_csv_row", field="file", line=number)
        seen.add(code)
        lines.append("[[key]]")
        for name, value in (("code", code), ("kind", kind), ("unit", row.get("unit")),
                            ("zh", row.get("zh")), ("en", row.get("en"))):
            value = clean(value, field=name, limit=100)
            if value:
                lines.append(f"{name} = {_toml_string(value)}")
        lines.append("")
    return "\n".join(lines), len(seen)


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
