"""The directory (residents, units, companies, staff): autocomplete for every unit/host field,
and import from CSV/XLSX. Prefix queries on indexed columns; never more rows than asked for."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session

from deskconsole.models import DirectoryEntry
from deskconsole.models.directory import DIRECTORY_KINDS
from deskconsole.services.errors import DeskError
from deskconsole.services.exports import FORMULA_STARTS


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


# -- import ---------------------------------------------------------
# CSV in UTF-8, UTF-8 with BOM or GB18030 (detected, or named), and XLSX. Every bad row is
# reported with its line, column and reason; the import is all-or-nothing unless the caller
# asks to skip bad rows. A header row names the columns, in English or Chinese.

COLUMNS = ("kind", "name", "unit", "phone", "note")
HEADER_ALIASES = {
    "kind": "kind", "type": "kind", "类型": "kind", "类别": "kind",
    "name": "name", "姓名": "name", "名称": "name", "名字": "name",
    "unit": "unit", "room": "unit", "单元": "unit", "房号": "unit", "单元/房号": "unit", "位置": "unit",
    "phone": "phone", "tel": "phone", "电话": "phone", "手机": "phone", "联系电话": "phone",
    "note": "note", "remark": "note", "备注": "note",
}
KIND_ALIASES = {"住户": "resident", "业主": "resident", "公司": "company", "员工": "staff",
                "职员": "staff", "单元": "unit"}
LIMITS = {"name": 64, "unit": 64, "note": 200}
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030")
BATCH = 500  # rows added between two progress reports


@dataclass(frozen=True)
class RowProblem:
    line: int  # 1-based line (CSV) or row (XLSX) in the file
    column: str  # column name as in the header, or "" for the whole row
    reason: str  # catalog key (directory.bad.*)
    value: str = ""


@dataclass
class ImportReport:
    encoding: str
    rows: int = 0  # data rows read
    imported: int = 0
    problems: list[RowProblem] = None  # type: ignore[assignment]
    committed: bool = False


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding used). A BOM means UTF-8; valid UTF-8 is UTF-8; otherwise GB18030."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise DeskError("directory.error.encoding_unknown", encoding=encoding) from None
        except UnicodeDecodeError as exc:
            raise DeskError("directory.error.encoding_wrong", encoding=encoding, at=exc.start) from None
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:  # a UTF-8 mark, then bytes that are not (cut short?)
            raise DeskError("directory.error.encoding_wrong", encoding="UTF-8", at=exc.start + 3) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise DeskError("directory.error.encoding_unknown_bytes", at=exc.start) from None


def _read_rows(path: Path, encoding: str | None) -> tuple[list[tuple[int, list[str]]], str]:
    """[(line number, cells)] including the header, and the encoding (or 'xlsx')."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DeskError("directory.error.read", path=str(path), reason=exc.strerror or str(exc)) from None
    if data[:4] == b"PK\x03\x04" or path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
            raise DeskError("directory.error.xlsx", path=str(path)) from None
        sheet = book.worksheets[0]
        rows = [(n, ["" if c is None else str(c).strip() for c in row])
                for n, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
        book.close()
        return rows, "xlsx"
    text, used = decode(data, encoding)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    try:
        for cells in reader:
            rows.append((reader.line_num, [c.strip() for c in cells]))
    except csv.Error:
        raise DeskError("directory.error.csv", line=reader.line_num + 1) from None
    return rows, used


def parse_file(path: Path, encoding: str | None = None) -> tuple[list[dict], list[RowProblem], str]:
    """Read and check every row: (good rows, problems, encoding). Nothing is written."""
    from deskconsole.services.phone_numbers import normalise
    from deskconsole.services.text import strip_controls

    rows, used = _read_rows(Path(path), encoding)
    rows = [(n, cells) for n, cells in rows if any(cells)]
    if not rows:
        raise DeskError("directory.error.empty", path=str(path))
    header_line, header = rows[0]
    columns = [HEADER_ALIASES.get(h.strip().lower(), HEADER_ALIASES.get(h.strip(), "")) for h in header]
    if "name" not in columns:
        raise DeskError("directory.error.header", line=header_line, columns=", ".join(COLUMNS))
    good, problems = [], []
    for line, cells in rows[1:]:
        if len(cells) > len(columns) and any(cells[len(columns):]):
            problems.append(RowProblem(line, "", "directory.bad.extra_cells"))
            continue
        record = {c: "" for c in COLUMNS}
        for col, value in zip(columns, cells, strict=False):
            if col:
                record[col] = strip_controls(value).strip()
        found: list[RowProblem] = []

        def problem(col: str, key: str, line=line, record=record, found=found) -> None:
            found.append(RowProblem(line, header[columns.index(col)] if col in columns else col, key,
                                    record.get(col, "")))

        kind = record["kind"].lower() or "resident"
        kind = KIND_ALIASES.get(record["kind"], kind)
        if kind not in DIRECTORY_KINDS:
            problem("kind", "directory.bad.kind")
        if not record["name"]:
            problem("name", "directory.bad.name_missing")
        for col, limit in LIMITS.items():
            if len(record[col]) > limit:
                problem(col, "directory.bad.too_long")
            elif record[col].startswith(FORMULA_STARTS):
                # A spreadsheet formula (=cmd|' /C calc'!A0) would be live again in every
                # export and autocomplete that shows the entry: refused where it comes in.
                problem(col, "directory.bad.formula")
        phone = None
        try:
            phone = normalise(record["phone"])
        except DeskError:
            problem("phone", "directory.bad.phone")
        problems.extend(found)
        if not found:
            good.append({"kind": kind, "name": record["name"], "unit": record["unit"],
                         "phone": phone, "note": record["note"] or None, "line": line})
    return good, problems, used


def import_file(session: Session, path: Path, *, encoding: str | None = None,
                skip_bad: bool = False, now=None, actor=None,
                progress: Callable[[int, int | None], None] | None = None) -> ImportReport:
    """Import inside the caller's write transaction. With problems and not skip_bad, nothing
    is added (report.committed False); the caller shows every problem. `progress(done, total)`
    hears the rows added, every BATCH rows and at the end."""
    from deskconsole.services import audit

    good, problems, used = parse_file(path, encoding)
    report = ImportReport(encoding=used, rows=len(good) + len({p.line for p in problems}),
                          problems=problems)
    if problems and not skip_bad:
        return report
    for done, row in enumerate(good, start=1):
        session.add(DirectoryEntry(kind=row["kind"], name=row["name"], unit=row["unit"],
                                   phone=row["phone"], note=row["note"]))
        if progress and done % BATCH == 0:
            session.flush()
            progress(done, len(good))
    session.flush()
    if progress:
        progress(len(good), len(good))
    report.imported, report.committed = len(good), True
    if now is not None:
        stamps = actor.stamps() if actor else {}
        audit.record(session, at=now, action="import", entity="directory",
                     after={"file": Path(path).name, "rows": len(good), "skipped": len(problems)},
                     **stamps)
    return report
