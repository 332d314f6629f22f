"""The etiquette checklist as data (DOMAIN §4-§5): the five elements, the sections, the items,
and how they are scored. Read from data/etiquette_checklist.toml or a company file and
validated on load; every error names the file and the line (`ChecklistError`, one line).
Re-exported by services/etiquette.py, the module the rest of the console uses."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from deskconsole.config import ConfigError
from deskconsole.models.etiquette import CHECK_KINDS
from deskconsole.services.evidence import EVIDENCE_KEYS

ELEMENTS = ("A", "B", "C", "D", "E")  # DOMAIN §4: 主动 亲切 诚信 专业 素养
SECTIONS = ("readiness", "grooming", "on_duty", "meeting", "off_duty")
SCALES = {"pass_fail": ("pass", "fail", "na"), "0-2": ("2", "1", "0", "na")}
INSPECTION_KINDS = tuple(k for k in CHECK_KINDS if k != "self")  # DOMAIN §6: 日检 周检 月检
CHECKLIST_FILE = "etiquette_checklist.toml"
_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_TOP = {"version", "scoring", "element", "section", "item"}
_ITEM_KEYS = {"id", "element", "section", "zh", "en", "source", "scope", "evidence"}
_SCORING_KEYS = {"self", "inspection", "self_sections", "inspection_sections"}


class ChecklistError(ConfigError):
    """`FILE:LINE: problem`, one line (the CLI prints it and exits 2)."""


@dataclass(frozen=True)
class Labelled:
    id: str
    zh: str
    en: str
    motto_zh: str = ""
    motto_en: str = ""

    def name(self, language: str) -> str:
        return self.zh if language == "zh-CN" else self.en

    def motto(self, language: str) -> str:
        return self.motto_zh if language == "zh-CN" else self.motto_en


@dataclass(frozen=True)
class Item:
    id: str
    element: str
    section: str
    zh: str
    en: str
    source: str
    scope: str = "desk"
    evidence: tuple[str, ...] = ()

    def text(self, language: str) -> str:
        return self.zh if language == "zh-CN" else self.en


@dataclass(frozen=True)
class Checklist:
    version: str
    path: Path
    elements: tuple[Labelled, ...]
    sections: tuple[Labelled, ...]
    items: tuple[Item, ...]
    self_scale: str
    inspection_scale: str
    self_sections: tuple[str, ...]
    inspection_sections: tuple[str, ...]

    def element(self, element_id: str) -> Labelled:
        return next(e for e in self.elements if e.id == element_id)

    def section(self, section_id: str) -> Labelled:
        return next(s for s in self.sections if s.id == section_id)

    def self_items(self) -> list[Item]:
        """The start-of-shift self-check, in element order (DOMAIN §5)."""
        return self._ordered([i for i in self.items if i.section in self.self_sections])

    def inspection_items(self) -> list[Item]:
        """What a supervisor scores at the desk: front-desk items of the inspected sections."""
        return self._ordered([i for i in self.items
                              if i.section in self.inspection_sections and i.scope == "desk"])

    def _ordered(self, items: list[Item]) -> list[Item]:
        return sorted(items, key=lambda i: ELEMENTS.index(i.element))

    def scale(self, kind: str) -> str:
        return self.self_scale if kind == "self" else self.inspection_scale


# -- loading ----------------------------------------------------------------------------
class _Locator:
    """Line numbers for `[[table]]` entries and their keys (tomllib keeps no positions)."""

    _HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.-]+)\s*\]\]?\s*(#.*)?$")

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.blocks: dict[str, list[int]] = {}
        for n, line in enumerate(self.lines, 1):
            m = self._HEADER.match(line)
            if m:
                self.blocks.setdefault(m.group(1), []).append(n)

    def line(self, table: str | None, index: int = 0, key: str | None = None) -> int:
        starts = self.blocks.get(table, []) if table else [1]
        if index >= len(starts):
            return 1
        start = starts[index]
        if key is None:
            return start
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for n in range(start, len(self.lines) + 1):
            if n > start and self._HEADER.match(self.lines[n - 1]):
                break
            if pattern.match(self.lines[n - 1]):
                return n
        return start


def _text(entry: dict, key: str, fail, limit: int = 400, required: bool = True) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str):
        fail(key, f"'{key}' must be text")
    value = value.strip()
    if required and not value:
        fail(key, f"'{key}' is missing or empty")
    if len(value) > limit:
        fail(key, f"'{key}' is longer than {limit} characters")
    return value


def parse_checklist(text: str, path: Path) -> Checklist:
    """Validate a checklist file's text; raise ChecklistError naming the file and line."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise ChecklistError(f"{path}:{m.group(1) if m else 1}: not valid TOML ({exc})") from None
    loc = _Locator(text)

    def failer(table: str | None, index: int = 0):
        def fail(key: str | None, problem: str):
            raise ChecklistError(f"{path}:{loc.line(table, index, key)}: {problem}")
        return fail

    top = failer(None)
    for key in raw:
        if key not in _TOP:
            top(key, f"unknown key '{key}' (expected: {', '.join(sorted(_TOP))})")
    version = _text(raw, "version", top, limit=32)

    def labelled(table: str, known: tuple[str, ...]) -> tuple[Labelled, ...]:
        entries = raw.get(table)
        if not isinstance(entries, list) or not entries:
            top(None, f"no [[{table}]] entries")
        out: list[Labelled] = []
        for i, entry in enumerate(entries):
            fail = failer(table, i)
            ident = _text(entry, "id", fail, limit=32)
            if ident not in known:
                fail("id", f"unknown {table} '{ident}' (expected one of {', '.join(known)})")
            if any(e.id == ident for e in out):
                fail("id", f"{table} '{ident}' is defined twice")
            out.append(Labelled(ident, _text(entry, "zh", fail, 40), _text(entry, "en", fail, 60),
                                _text(entry, "motto_zh", fail, 80, False), _text(entry, "motto_en", fail, 120, False)))
        return tuple(out)

    elements = labelled("element", ELEMENTS)
    missing = [e for e in ELEMENTS if e not in {x.id for x in elements}]
    if missing:
        top(None, f"the five elements must all be present; missing: {', '.join(missing)}")
    sections = labelled("section", SECTIONS)
    section_ids = {s.id for s in sections}

    scoring = raw.get("scoring")
    sfail = failer("scoring")
    if not isinstance(scoring, dict):
        top(None, "no [scoring] table")
    for key in scoring:
        if key not in _SCORING_KEYS:
            sfail(key, f"unknown key '{key}' in [scoring]")
    scales = {}
    for key, allowed in (("self", ("pass_fail",)), ("inspection", tuple(SCALES))):
        scales[key] = scoring.get(key)
        if scales[key] not in allowed:
            sfail(key, f"'{key}' must be one of {', '.join(allowed)}")
    chosen = {}
    for key in ("self_sections", "inspection_sections"):
        value = scoring.get(key)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            sfail(key, f"'{key}' must be a list of section ids")
        unknown = [v for v in value if v not in section_ids]
        if unknown:
            sfail(key, f"'{key}' names sections not defined: {', '.join(unknown)}")
        chosen[key] = tuple(value)

    entries = raw.get("item")
    if not isinstance(entries, list) or not entries:
        top(None, "no [[item]] entries")
    items: list[Item] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        fail = failer("item", i)
        for key in entry:
            if key not in _ITEM_KEYS:
                fail(key, f"unknown key '{key}' in an item")
        ident = _text(entry, "id", fail, limit=32)
        if not _ID_RE.match(ident):
            fail("id", f"item id '{ident}' may hold only letters, digits, - and _")
        if ident in seen:
            fail("id", f"item id '{ident}' is used twice")
        seen.add(ident)
        element = _text(entry, "element", fail, limit=8)
        if element not in ELEMENTS:
            fail("element", f"item {ident}: unknown element '{element}' (A-E)")
        section = _text(entry, "section", fail, limit=16)
        if section not in section_ids:
            fail("section", f"item {ident}: unknown section '{section}' ({', '.join(sorted(section_ids))})")
        scope = entry.get("scope", "desk")
        if scope not in ("desk", "site"):
            fail("scope", f"item {ident}: scope must be desk or site")
        evidence = entry.get("evidence", [])
        if not isinstance(evidence, list) or any(e not in EVIDENCE_KEYS for e in evidence):
            fail("evidence", f"item {ident}: evidence must be a list of: {', '.join(EVIDENCE_KEYS)}")
        items.append(Item(ident, element, section, _text(entry, "zh", fail), _text(entry, "en", fail),
                          _text(entry, "source", fail, limit=80), scope, tuple(evidence)))
    checklist = Checklist(version, path, elements, sections, tuple(items), scales["self"],
                          scales["inspection"], chosen["self_sections"], chosen["inspection_sections"])
    if not checklist.self_items():
        sfail("self_sections", "the self-check sections hold no items")
    if not checklist.inspection_items():
        sfail("inspection_sections", "the inspected sections hold no front-desk items")
    return checklist


def read_checklist(path: Path) -> Checklist:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ChecklistError(f"{path}:0: file not found") from None
    except UnicodeDecodeError:
        raise ChecklistError(f"{path}:0: not UTF-8 text") from None
    except OSError as exc:
        raise ChecklistError(f"{path}:0: cannot read ({exc.strerror})") from None
    return parse_checklist(text, Path(path))


_CACHE: dict[tuple[Path, float], Checklist] = {}


def load_checklist(config=None) -> Checklist:
    """The company's checklist (`config.checklist_path`), else data/etiquette_checklist.toml
    (or its override in <config dir>/data/). Re-read when the file changes."""
    from deskconsole.catalogs import catalog_path

    path = getattr(config, "checklist_path", None) or catalog_path(CHECKLIST_FILE)
    try:
        key = (Path(path), Path(path).stat().st_mtime)
    except OSError:
        return read_checklist(path)
    if key not in _CACHE:
        _CACHE[key] = read_checklist(path)
    return _CACHE[key]
