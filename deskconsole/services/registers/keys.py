"""Key lending (钥匙借(领)用登记表, DOMAIN §3, seed 003 §6.54): which key, to whom (name,
company, phone, staff or contractor), why, for which ticket, when it is due back, and when
it came back and to whom. A key cannot be lent twice; a key out past its due time is overdue.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, text
from sqlmodel import Session

from deskconsole.models import KeyLoan, Ticket
from deskconsole.models.registers import BORROWER_KINDS, OUT_WHERE
from deskconsole.services import audit
from deskconsole.services.errors import DeskError
from deskconsole.services.phone_numbers import mask_for
from deskconsole.services.registers import rules as reg_rules
from deskconsole.services.registers.common import choice, page, person
from deskconsole.services.text import clean, clean_optional

_OUT = text(OUT_WHERE)


@dataclass(frozen=True)
class KeyLendForm:
    key_code: str
    name: str
    purpose: str
    company: str = ""
    phone: str = ""
    borrower_kind: str = "staff"
    ticket: str | int | None = None  # "#680", "680" or 680
    due_at: datetime | None = None


@dataclass(frozen=True)
class KeyLoanView:
    id: int
    key_code: str
    unit: str
    name: str
    company: str
    phone: str  # masked unless the viewer is a supervisor
    borrower_kind: str
    purpose: str
    ticket_id: int | None
    lent_at: datetime
    due_at: datetime
    returned_at: datetime | None
    returned_to: int | None
    voided: bool
    overdue: bool

    @property
    def is_out(self) -> bool:
        return self.returned_at is None and not self.voided

    def to_dict(self, tz) -> dict:
        out = asdict(self)
        for k in ("lent_at", "due_at", "returned_at"):
            out[k] = out[k].astimezone(reg_rules.zone(tz)).isoformat(timespec="minutes") if out[k] else None
        return out


def view(row: KeyLoan, now: datetime, viewer=None) -> KeyLoanView:
    out = row.returned_at is None and row.voided_at is None
    return KeyLoanView(row.id, row.key_code, row.unit, row.name, row.company, mask_for(row.phone, viewer),
                       row.borrower_kind, row.purpose, row.ticket_id, row.lent_at, row.due_at, row.returned_at,
                       row.returned_to, row.voided_at is not None, out and row.due_at < now)


def ticket_number(value: str | int | None) -> int | None:
    if value in (None, ""):
        return None
    text_value = str(value).strip().lstrip("#")
    if not text_value.isdigit() or len(text_value) > 12:
        raise DeskError("registers.error.ticket", field="ticket")
    return int(text_value)


def out_loan(session: Session, key_code: str) -> KeyLoan | None:
    """The key's open loan (one at most: ux_key_loan_out)."""
    return session.execute(select(KeyLoan).where(KeyLoan.key_code == key_code, _OUT)).scalar_one_or_none()


def lend_key(session: Session, actor, form: KeyLendForm, *, catalogue=None, rules=None) -> KeyLoanView:
    catalogue = reg_rules.keys() if catalogue is None else catalogue
    rules = reg_rules.rules() if rules is None else rules
    now = actor.clock.now()
    code = clean(form.key_code, field="key", limit=32, required=True)
    spec = catalogue.get(code) or next((k for k in catalogue.values() if k.code.lower() == code.lower()), None)
    if spec is None:
        raise DeskError("registers.error.unknown_key", field="key", code=code)
    who = person(form.name, form.phone)
    kind = choice(form.borrower_kind or "staff", BORROWER_KINDS, "borrower_kind")
    company = clean(form.company, field="company", limit=64)
    if kind == "contractor" and not company:
        raise DeskError("error.required", field="company", label="field.company")
    purpose = clean(form.purpose, field="purpose", limit=200, required=True)
    ticket_id = ticket_number(form.ticket)
    ticket = session.get(Ticket, ticket_id) if ticket_id else None
    if ticket_id and ticket is None:
        raise DeskError("registers.error.no_ticket", field="ticket", id=ticket_id)
    due = form.due_at or now + timedelta(hours=rules.due_hours)
    if due <= now:
        raise DeskError("registers.error.due_past", field="due")
    held = out_loan(session, spec.code)
    if held is not None:  # DOMAIN §3: a key is with one person at a time
        raise DeskError("registers.error.key_out", field="key", code=spec.code, name=held.name)
    row = KeyLoan(key_code=spec.code, unit=spec.unit or (ticket.unit if ticket else ""), name=who.name,
                  company=company, phone=who.phone, borrower_kind=kind, purpose=purpose, ticket_id=ticket_id,
                  lent_at=now, due_at=due, **actor.stamps())
    session.add(row)
    session.flush()
    audit.record_for(session, actor, "lend", "key_loan", row.id, after={
        "key_code": row.key_code, "unit": row.unit, "borrower_kind": kind, "ticket_id": ticket_id,
        "due_at": due.isoformat()})
    return view(row, now, actor)


def return_key(session: Session, actor, key_code: str, note: object = "") -> KeyLoanView:
    """The key came back to the actor (the register's 'returned to')."""
    now = actor.clock.now()
    code = clean(key_code, field="key", limit=32, required=True)
    row = out_loan(session, code)
    if row is None:
        raise DeskError("registers.error.key_not_out", field="key", code=code)
    row.returned_at, row.returned_to = now, actor.operator_id
    row.returned_shift_id, row.returned_desk_id = actor.shift_id, actor.desk_id
    row.return_note = clean_optional(note, field="note", limit=200)
    session.add(row)
    session.flush()
    audit.record_for(session, actor, "return", "key_loan", row.id, before={"returned_at": None},
                     after={"returned_at": now.isoformat(), "late": row.due_at < now})
    return view(row, now, actor)


def overdue_count(session: Session, now: datetime) -> int:
    """Keys out past their due time (the header counter): walks ix_key_loan_out_due."""
    return session.execute(select(func.count()).select_from(KeyLoan).where(_OUT, KeyLoan.due_at < now)).scalar_one()


def out_keys(session: Session, now: datetime, *, overdue_only: bool = False, limit: int = 200,
             viewer=None) -> list[KeyLoanView]:
    """Keys out now, the longest overdue first."""
    stmt = select(KeyLoan).where(_OUT)
    if overdue_only:
        stmt = stmt.where(KeyLoan.due_at < now)
    rows = session.execute(stmt.order_by(KeyLoan.due_at, KeyLoan.id).limit(limit)).scalars()
    return [view(r, now, viewer) for r in rows]


def list_loans(session: Session, now: datetime, *, open_only: bool = False, overdue_only: bool = False,
               start: datetime | None = None, end: datetime | None = None,
               before: tuple[datetime, int] | None = None, limit: int = 200, viewer=None) -> list[KeyLoanView]:
    """The register newest first (keyset pages); open or overdue loans in due order."""
    if open_only or overdue_only:
        return out_keys(session, now, overdue_only=overdue_only, limit=limit, viewer=viewer)
    stmt = select(KeyLoan)
    if start is not None:
        stmt = stmt.where(KeyLoan.lent_at >= start)
    if end is not None:
        stmt = stmt.where(KeyLoan.lent_at < end)
    rows = session.execute(page(stmt, KeyLoan.lent_at, KeyLoan.id, before, limit)).scalars()
    return [view(r, now, viewer) for r in rows]


def key_loans_for_unit(session: Session, unit: str, before: tuple[datetime, int] | None = None,
                       limit: int = 20, *, now: datetime, viewer=None) -> list[KeyLoanView]:
    """A unit's key loans newest first (ix_key_loan_unit_lent), for the unit's timeline."""
    stmt = select(KeyLoan).where(KeyLoan.unit == unit)
    return [view(r, now, viewer) for r in session.execute(page(stmt, KeyLoan.lent_at, KeyLoan.id, before, limit)).scalars()]


def key_loans_for_phone(session: Session, phone: str, before: tuple[datetime, int] | None = None,
                        limit: int = 20, *, now: datetime, viewer=None) -> list[KeyLoanView]:
    """A caller's key loans newest first (ix_key_loan_phone_lent); `phone` as stored (normalised)."""
    stmt = select(KeyLoan).where(KeyLoan.phone == phone)
    return [view(r, now, viewer) for r in session.execute(page(stmt, KeyLoan.lent_at, KeyLoan.id, before, limit)).scalars()]


def key_loans_for_ticket(session: Session, ticket_id: int, *, now: datetime, viewer=None) -> list[KeyLoanView]:
    rows = session.execute(select(KeyLoan).where(KeyLoan.ticket_id == ticket_id)
                           .order_by(KeyLoan.lent_at.desc(), KeyLoan.id.desc()).limit(50)).scalars()
    return [view(r, now, viewer) for r in rows]


def key_board(session: Session, now: datetime, *, catalogue=None, viewer=None) -> list[tuple]:
    """Every catalogue key with its open loan (or None), in catalogue order: the keys tab."""
    catalogue = reg_rules.keys() if catalogue is None else catalogue
    out = {r.key_code: r for r in session.execute(select(KeyLoan).where(_OUT)).scalars()}
    return [(spec, view(out[code], now, viewer) if code in out else None) for code, spec in catalogue.items()]
