"""Import a resident list: every row checked and reported with its line, column and reason;
all-or-nothing unless the caller asks to skip bad rows; a dry run reads and reports only.

The list may be the console's own (name unit phone kind note / 姓名 房号 电话 类型 备注) or an
export from a property-management system: header variants (columns.py), the unit over
several columns, several phones in a cell, identity-card columns (skipped, never stored:
DOMAIN §1 privacy), other columns (named, ignored), GB18030 or Big5 (reading.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session

from deskconsole.models import DirectoryEntry, DirectoryPhone
from deskconsole.models.directory import DIRECTORY_KINDS
from deskconsole.services.directory import columns as cols
from deskconsole.services.directory.reading import read_rows
from deskconsole.services.errors import DeskError
from deskconsole.services.exports import FORMULA_STARTS

BATCH = 500  # rows added between two progress reports

COLUMNS = ("kind", "name", "unit", "phone", "note")
KIND_ALIASES = {"住户": "resident", "業主": "resident", "业主": "resident", "住戶": "resident",
                "租户": "resident", "租戶": "resident", "公司": "company", "商户": "company",
                "商戶": "company", "员工": "staff", "員工": "staff", "职员": "staff", "職員": "staff",
                "单元": "unit", "單元": "unit"}
LIMITS = {"name": 64, "unit": 64, "note": 200}
MAX_PHONES = 6


@dataclass(frozen=True)
class RowProblem:
    line: int  # 1-based line (CSV) or row (XLSX) in the file
    column: str  # column name as in the header, or "" for the whole row
    reason: str  # catalog key (directory.bad.*)
    value: str = ""


@dataclass
class Parsed:
    good: list[dict]
    problems: list[RowProblem]
    encoding: str
    mapped: dict[str, str] = field(default_factory=dict)  # field -> header in the file
    identity: list[str] = field(default_factory=list)  # headers skipped: identity numbers
    ignored: list[str] = field(default_factory=list)  # other headers, not imported


@dataclass
class ImportReport:
    encoding: str
    rows: int = 0  # data rows read
    imported: int = 0
    problems: list[RowProblem] = None  # type: ignore[assignment]
    committed: bool = False
    mapped: dict[str, str] = field(default_factory=dict)
    identity: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)  # the first rows as they are stored


def _check_row(line: int, cells: list[str], header: list[str], plan: cols.ColumnPlan,
               normalise, strip_controls) -> tuple[dict | None, list[RowProblem]]:
    def cell(name: str) -> str:
        at = plan.columns.get(name)
        return strip_controls(cells[at]).strip() if at is not None and at < len(cells) else ""

    record = {name: cell(name) for name in cols.FIELDS}
    if plan.composed:
        record["unit"] = cols.compose_unit([record[p] for p in cols.UNIT_PARTS])
    found: list[RowProblem] = []

    def problem(name: str, key: str, value: str | None = None) -> None:
        found.append(RowProblem(line, plan.header_of(header, name), key,
                                record.get(name, "") if value is None else value))

    raw_kind = record["kind"]
    kind = KIND_ALIASES.get(raw_kind, raw_kind.lower() or "resident")
    if kind not in DIRECTORY_KINDS:
        problem("kind", "directory.bad.kind")
    if not record["name"]:
        problem("name", "directory.bad.name_missing")
    for name, limit in LIMITS.items():
        if len(record[name]) > limit:
            problem(name, "directory.bad.too_long")
        elif record[name].startswith(FORMULA_STARTS):
            # A spreadsheet formula (=cmd|' /C calc'!A0) would be live again in every
            # export and autocomplete that shows the entry: refused where it comes in.
            problem(name, "directory.bad.formula")
    phones: list[str] = []
    pieces = cols.split_phones(record["phone"])
    if len(pieces) > MAX_PHONES:
        problem("phone", "directory.bad.too_many_phones")
    for piece in pieces[:MAX_PHONES]:
        try:
            number = normalise(piece)
        except DeskError:
            problem("phone", "directory.bad.phone", piece)
            continue
        if number and number not in phones:
            phones.append(number)
    if found:
        return None, found
    return {"kind": kind, "name": record["name"], "unit": record["unit"],
            "phone": phones[0] if phones else None, "phones": phones,
            "note": record["note"] or None, "line": line}, []


def parse(path: Path, encoding: str | None = None, *, mapping: dict[str, str] | None = None) -> Parsed:
    """Read and check every row. Nothing is written."""
    from deskconsole.services.phone_numbers import normalise
    from deskconsole.services.text import strip_controls

    rows, used = read_rows(Path(path), encoding)
    rows = [(n, cells) for n, cells in rows if any(cells)]
    if not rows:
        raise DeskError("directory.error.empty", path=str(path))
    header_line, header = rows[0]
    plan = cols.plan(header, [cells for _, cells in rows[1:]], mapping)
    if "name" not in plan.columns:
        raise DeskError("directory.error.header", line=header_line, columns=", ".join(COLUMNS))
    width = len(header)
    parsed = Parsed([], [], used, {k: header[i].strip() for k, i in plan.columns.items()},
                    plan.identity, plan.ignored)
    for line, cells in rows[1:]:
        if len(cells) > width and any(cells[width:]):
            parsed.problems.append(RowProblem(line, "", "directory.bad.extra_cells"))
            continue
        row, problems = _check_row(line, cells, header, plan, normalise, strip_controls)
        parsed.problems.extend(problems)
        if row is not None:
            parsed.good.append(row)
    return parsed


def parse_file(path: Path, encoding: str | None = None) -> tuple[list[dict], list[RowProblem], str]:
    """(good rows, problems, encoding): `parse` without the column report."""
    parsed = parse(path, encoding)
    return parsed.good, parsed.problems, parsed.encoding


def import_file(session: Session | None, path: Path, *, encoding: str | None = None,
                skip_bad: bool = False, now=None, actor=None, mapping: dict[str, str] | None = None,
                dry_run: bool = False, preview: int = 5,
                progress: Callable[[int, int | None], None] | None = None) -> ImportReport:
    """Import inside the caller's write transaction. With problems and not skip_bad, nothing
    is added (report.committed False); the caller shows every problem. `dry_run` reads,
    checks and previews only (session may be None). `progress(done, total)` hears the rows
    added, every BATCH rows and at the end."""
    from deskconsole.services import audit

    parsed = parse(path, encoding, mapping=mapping)
    report = ImportReport(encoding=parsed.encoding,
                          rows=len(parsed.good) + len({p.line for p in parsed.problems}),
                          problems=parsed.problems, mapped=parsed.mapped, identity=parsed.identity,
                          ignored=parsed.ignored, preview=parsed.good[:preview])
    if dry_run or (parsed.problems and not skip_bad):
        return report
    total = len(parsed.good)
    for done, row in enumerate(parsed.good, start=1):
        entry = DirectoryEntry(kind=row["kind"], name=row["name"], unit=row["unit"],
                               phone=row["phone"], note=row["note"])
        session.add(entry)
        session.flush()
        session.add_all(DirectoryPhone(entry_id=entry.id, phone=p) for p in row["phones"])
        if progress and done % BATCH == 0:
            progress(done, total)
    session.flush()
    if progress:
        progress(total, total)
    report.imported, report.committed = len(parsed.good), True
    if now is not None:
        stamps = actor.stamps() if actor else {}
        audit.record(session, at=now, action="import", entity="directory",
                     after={"file": Path(path).name, "rows": len(parsed.good),
                            "skipped": len(parsed.problems), "identity_skipped": parsed.identity},
                     **stamps)
    return report
