"""Exports of raw records: `deskconsole export visits|calls|tickets|inspections`.

- One column list for both formats (README "Exports"): values as the console shows them, in
  its language (已关闭, not `closed`); a "!" column with the marks the screens show (overdue,
  answered late, ...); and, after the columns people read, one "... code" column per coded
  column with the stored code, for machines (`status code` = `closed`), so a script reads
  the same column whatever the console's language.
- Times are real date-times in the site's zone: XLSX cells with a date format; CSV text
  "YYYY-MM-DD HH:MM:SS" (site-local). Writing is `services/sheets` (widths, print setup).
- CSV is UTF-8 with a BOM, so Excel opens Chinese text correctly; XLSX is written by
  xlsxwriter in constant-memory mode, row by row, so a year of records never sits in memory.
- Phone numbers are masked (138****8000) unless a supervisor unlocked the export
  (DOMAIN §1: never leak customer information); the CLI records who did, in the audit trail.
- Text typed at the desk is data, never a formula (`sheets.inert`, OWASP CSV injection).
- Records are chosen like the summary counts them: by the indexed time column, half-open
  [from, to), voided rows left out - so an export's rows add up to the summary's figures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from deskconsole.models import Call, Desk, EtiquetteCheck, Operator, Ticket, Visit
from deskconsole.services.errors import DeskError
from deskconsole.services.labels import Labels
from deskconsole.services.phone_numbers import mask
from deskconsole.services.sheets import FORMULA_STARTS, Sheet, inert, write_csv, write_xlsx
from deskconsole.services.summary.period import Period
from deskconsole.services.tickets.workflow import OPEN

KINDS = ("visits", "calls", "tickets", "inspections")
FORMATS = ("csv", "xlsx")
BATCH = 2000
Progress = Callable[[int, int | None], None]

# (column, label group or None): a column with a group shows its label and gets a code column.
COLUMNS: dict[str, tuple[tuple[str, str | None], ...]] = {
    "visits": (("id", None), ("mark", None), ("arrived_at", None), ("name", None), ("honorific", "honorific"),
               ("phone", None), ("unit", None), ("host", None), ("purpose", "purpose"), ("party_size", None),
               ("level", "level"), ("status", "visit_status"), ("served_at", None), ("wait_s", None),
               ("apology_shown_at", None), ("apology_ack_at", None), ("checked_out_at", None),
               ("staff_no", None), ("desk", None)),
    "calls": (("id", None), ("mark", None), ("direction", "direction"), ("started_at", None),
              ("answered_at", None), ("ended_at", None), ("answer_seconds", None), ("rings", None),
              ("within_limit", "yes_no"), ("status", "call_status"), ("caller_name", None), ("phone", None),
              ("unit", None), ("category", "call_category"), ("outcome", "call_outcome"), ("returned_at", None),
              ("staff_no", None), ("desk", None)),
    "tickets": (("id", None), ("mark", None), ("kind", "ticket_kind"), ("status", "ticket_status"),
                ("priority", "priority"), ("created_at", None), ("customer_name", None), ("phone", None),
                ("unit", None), ("category", "ticket_category"), ("department", "department"), ("due_at", None),
                ("escalated_at", None), ("first_checked_at", None), ("resolved_at", None), ("closed_at", None),
                ("satisfaction", "satisfaction"), ("staff_no", None), ("desk", None)),
    "inspections": (("id", None), ("mark", None), ("kind", "inspection_kind"), ("at", None), ("staff_no", None),
                    ("inspector", None), ("skipped", "yes_no"), ("score", None), ("max_score", None),
                    ("comments", None), ("desk", None)),
}

__all__ = ["COLUMNS", "FORMATS", "FORMULA_STARTS", "KINDS", "export", "header", "inert", "inert_row", "rows",
           "write_csv", "write_xlsx"]


def inert_row(row: Iterable) -> list:
    return [inert(v) for v in row]


def header(kind: str, t) -> list[str]:
    """The columns people read, then one code column per coded column."""
    cols = COLUMNS[kind]
    return ([t(f"shift.col.{c}") for c, _ in cols]
            + [t("shift.col.code_of", column=t(f"shift.col.{c}")) for c, g in cols if g])


def _statement(kind: str, period: Period):
    """The records of `kind` in the period, oldest first, with the operator's staff number and
    the desk's name (and, for inspections, the inspector's staff number)."""
    desk = aliased(Desk)
    op = aliased(Operator)
    if kind == "visits":
        stmt = select(Visit, op.staff_no, desk.name).join(op, op.id == Visit.operator_id).join(
            desk, desk.id == Visit.desk_id).where(Visit.arrived_at >= period.start, Visit.arrived_at < period.end,
                                                   Visit.voided_at.is_(None)).order_by(Visit.arrived_at, Visit.id)
    elif kind == "calls":
        stmt = select(Call, op.staff_no, desk.name).join(op, op.id == Call.operator_id).join(
            desk, desk.id == Call.desk_id).where(Call.started_at >= period.start, Call.started_at < period.end,
                                                  Call.voided_at.is_(None)).order_by(Call.started_at, Call.id)
    elif kind == "tickets":
        stmt = select(Ticket, op.staff_no, desk.name).join(op, op.id == Ticket.first_owner_id).join(
            desk, desk.id == Ticket.desk_id).where(Ticket.created_at >= period.start,
                                                    Ticket.created_at < period.end).order_by(Ticket.created_at, Ticket.id)
    else:
        inspector = aliased(Operator)
        stmt = select(EtiquetteCheck, op.staff_no, desk.name, inspector.staff_no).join(
            op, op.id == EtiquetteCheck.operator_id).outerjoin(desk, desk.id == EtiquetteCheck.desk_id).outerjoin(
            inspector, inspector.id == EtiquetteCheck.inspector_id).where(
            EtiquetteCheck.at >= period.start, EtiquetteCheck.at < period.end).order_by(
            EtiquetteCheck.at, EtiquetteCheck.id)
    return stmt


def _records(session: Session, kind: str, period: Period):
    return session.execute(_statement(kind, period).execution_options(yield_per=BATCH))


def count(session: Session, kind: str, period: Period) -> int:
    """How many rows `rows` will give (the progress bar's total), by the same query."""
    if kind not in KINDS:
        raise DeskError("shift.error.export_kind", field="kind", kinds=", ".join(KINDS))
    stmt = _statement(kind, period).order_by(None)
    return session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()


def _reported(body: Iterable[list], progress: Progress | None, total: int | None) -> Iterator[list]:
    """The rows as they are written, telling `progress(done, total)` every BATCH rows and at the end."""
    done = 0
    for done, row in enumerate(body, start=1):
        yield row
        if progress and done % BATCH == 0:
            progress(done, total)
    if progress:
        progress(done, total if total is not None else done)


def _values(kind: str, row, ph, marks, now) -> dict:
    """The record's values by column (codes, not labels), and its marks."""
    r, staff_no, desk_name = row[0], row[1], row[2]
    if kind == "visits":
        wait = round((r.served_at - r.arrived_at).total_seconds(), 1) if r.served_at else None
        # DOMAIN §1: those kept waiting are apologised to; served in the order they came
        apology = "apology" if r.apology_shown_at and not r.apology_ack_at else None
        return {**_fields(r, COLUMNS[kind]), "phone": ph(r.phone), "wait_s": wait, "staff_no": staff_no,
                "desk": desk_name, "mark": marks(apology, "out_of_order" if r.served_out_of_order else None)}
    if kind == "calls":
        # DOMAIN §2: answered before the third ring; a missed call is called back
        late = "late" if r.direction == "in" and r.answered_at and r.within_limit is False else None
        missed = "missed" if r.status == "missed" and not r.returned_at else None
        return {**_fields(r, COLUMNS[kind]), "phone": ph(r.phone), "staff_no": staff_no, "desk": desk_name,
                "mark": marks(late, missed)}
    if kind == "tickets":
        is_open = r.status in OPEN
        overdue = "overdue" if is_open and r.due_at is not None and r.due_at < now else None
        return {**_fields(r, COLUMNS[kind]), "phone": ph(r.phone), "staff_no": staff_no, "desk": desk_name,
                "mark": marks(overdue, "escalated" if is_open and r.escalated_at else None)}
    lost = "points_lost" if not r.skipped and r.max_score and r.score < r.max_score else None
    return {**_fields(r, COLUMNS[kind]), "staff_no": staff_no, "inspector": row[3], "desk": desk_name,
            "mark": marks(lost)}


def _fields(record, cols) -> dict:
    return {c: getattr(record, c) for c, _ in cols if hasattr(record, c)}


def rows(session: Session, kind: str, period: Period, t, *, unmasked: bool = False) -> Iterator[list]:
    """The records of `kind` in the period, oldest first, as lists in `header` order."""
    if kind not in KINDS:
        raise DeskError("shift.error.export_kind", field="kind", kinds=", ".join(KINDS))
    labels = Labels(t)
    cols = COLUMNS[kind]
    coded = [(c, g) for c, g in cols if g]

    def ph(phone):
        return mask(phone, unmasked=unmasked)

    for row in _records(session, kind, period):
        v = _values(kind, row, ph, labels.marks, period.as_of)
        shown = [labels.of(g, v.get(c)) if g else v.get(c) for c, g in cols]
        codes = [_code(v.get(c)) for c, _ in coded]
        yield shown + codes


def _code(value):
    if isinstance(value, bool):
        return int(value)
    return value


def export(session: Session, kind: str, period: Period, fmt: str, out, t, *, unmasked: bool = False,
           title: str = "", progress: Progress | None = None) -> int:
    """Write the export to `out` (a binary stream for csv, a path for xlsx); returns the rows.
    `progress(done, total)` hears the rows written, the total counted first."""
    if fmt not in FORMATS:
        raise DeskError("shift.error.export_format", field="format", formats=", ".join(FORMATS))
    total = count(session, kind, period) if progress else None
    if progress:
        progress(0, total)
    body = _reported(rows(session, kind, period, t, unmasked=unmasked), progress, total)
    if fmt == "csv":
        return write_csv(out, header(kind, t), body, period.timezone)
    return write_xlsx(Path(out), [Sheet(t(f"shift.export.{kind}"), header(kind, t), body, period.timezone,
                                        title=title or t(f"shift.export.{kind}"), printed=len(COLUMNS[kind]))])
