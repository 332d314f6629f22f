"""Tickets (DOMAIN §3): every request a customer brings becomes a ticket someone owns to the end.

首问负责 (first-contact ownership, 000 A, 003 §3.2): the operator who receives it is the
first owner, and stays so whoever it is assigned to. Every change is appended to the
ticket's history (TicketEvent) with who and when, and to the audit trail.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import event, select
from sqlmodel import Session

from deskconsole.models import Call, Operator, Ticket, TicketEvent, Visit
from deskconsole.models.tickets import PRIORITIES, TICKET_KINDS
from deskconsole.services import audit, phones
from deskconsole.services.context import Actor
from deskconsole.services.people import HONORIFICS
from deskconsole.services.sla import SLARules, rules_from
from deskconsole.services.text import clean, clean_optional
from deskconsole.services.ticket_workflow import OPEN, TicketError, target

SOURCES = ("visit", "call", "walk_in", "other")
EDITABLE = ("customer_name", "honorific", "phone", "unit", "description", "category",
            "priority", "department")


# -- history is append-only (tickets issue §2) --------------------------------------------
@event.listens_for(Session, "before_flush")
def _history_is_append_only(session, _ctx, _instances) -> None:
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, TicketEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise PermissionError("ticket history is append-only")


# -- catalogs -------------------------------------------------------------------------------
def default_rules() -> SLARules:
    from deskconsole.config import load_config

    return rules_from(load_config())


def department_codes() -> list[str]:
    from deskconsole import catalogs

    return [row["code"] for row in catalogs.load("departments.toml").get("department", [])]


def categories() -> list[dict]:
    from deskconsole import catalogs

    return list(catalogs.load("ticket_categories.toml").get("category", []))


def repair_steps() -> list[dict]:
    from deskconsole.services.ticket_repairs import repair_steps as steps

    return steps()


# -- validation -----------------------------------------------------------------------------
def _choice(value, allowed, field: str, *, optional: bool = False) -> str | None:
    if value in (None, "") and optional:
        return None
    if value not in allowed:
        raise TicketError("tickets.error.choice", field=field, label=f"field.{field}")
    return value


def _category(value, kind: str) -> str | None:
    if not value:
        return None
    for row in categories():
        if row["code"] == value:
            if kind not in row.get("kinds", TICKET_KINDS):
                raise TicketError("tickets.error.category_kind", field="ticket_category",
                                  kind=f"tickets.kind.{kind}")
            return value
    raise TicketError("tickets.error.choice", field="ticket_category", label="field.ticket_category")


def _get(session: Session, ticket_id: int, *, lock: bool = True) -> Ticket:
    stmt = select(Ticket).where(Ticket.id == ticket_id)
    if lock and session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    ticket = session.execute(stmt).scalar_one_or_none()
    if ticket is None:
        raise TicketError("tickets.error.not_found", id=ticket_id)
    return ticket


def _event(session: Session, actor: Actor, ticket: Ticket, kind: str, *, field: str | None = None,
           old=None, new=None, note: str | None = None) -> None:
    session.add(TicketEvent(ticket_id=ticket.id, at=actor.clock.now(), operator_id=actor.operator_id,
                            kind=kind, field_name=field,
                            old=None if old is None else str(old), new=None if new is None else str(new),
                            note=note))


def _status(session: Session, actor: Actor, ticket: Ticket, action: str, note: str | None = None) -> str:
    old = ticket.status
    new = target(action, old, has_assignee=bool(ticket.assignee_id or ticket.assignee_text))
    if new != old:
        ticket.status = new
        _event(session, actor, ticket, "status", field="status", old=old, new=new, note=note)
    return old


def _save(session: Session, actor: Actor, ticket: Ticket, action: str, before: dict) -> Ticket:
    ticket.updated_at = actor.clock.now()
    session.add(ticket)
    session.flush()
    audit.record_for(session, actor, action, "ticket", ticket.id, before, _snapshot(ticket))
    return ticket


def _snapshot(ticket: Ticket) -> dict:
    return {k: getattr(ticket, k) for k in ("status", "assignee_id", "assignee_text", "department",
                                             "priority", "due_at", "escalated_at")}


# -- create ---------------------------------------------------------------------------------
def create_ticket(session: Session, actor: Actor, *, kind: str, customer_name: str = "",
                  honorific: str = "", phone: str | None = None, unit: str = "",
                  source: str = "walk_in", visit_id: int | None = None, call_id: int | None = None,
                  description: str, category: str | None = None, priority: str = "normal",
                  department: str | None = None, rules: SLARules | None = None) -> Ticket:
    """Open a ticket owned by `actor` (首问负责). Due time from the SLA (DOMAIN §3)."""
    kind = _choice(kind, TICKET_KINDS, "ticket_kind")
    description = clean(description, field="ticket_description", limit=2000, required=True, multiline=True)
    customer_name = clean(customer_name, field="ticket_customer_name", limit=64)
    honorific = _choice(honorific or "", ("", *HONORIFICS), "ticket_honorific")
    phone = phones.normalise(phone, field="ticket_phone")
    unit = clean(unit, field="ticket_unit", limit=64)
    if call_id is not None and source == "walk_in":
        source = "call"
    if visit_id is not None and source == "walk_in":
        source = "visit"
    source = _choice(source, SOURCES, "ticket_source")
    if visit_id is not None and session.get(Visit, visit_id) is None:
        raise TicketError("tickets.error.no_visit", id=visit_id)
    if call_id is not None and session.get(Call, call_id) is None:
        raise TicketError("tickets.error.no_call", id=call_id)
    category = _category(category, kind)
    priority = _choice(priority or "normal", PRIORITIES, "ticket_priority")
    department = _choice(department, department_codes(), "ticket_department", optional=True)
    if not (customer_name or phone or unit) and kind != "suggestion":
        # DOMAIN §3: keep the customer informed until solved; we must know whom to call back.
        raise TicketError("tickets.error.no_contact", field="ticket_customer_name")
    now = actor.clock.now()
    rules = rules or default_rules()
    ticket = Ticket(kind=kind, status="new", priority=priority, customer_name=customer_name,
                    honorific=honorific, phone=phone, unit=unit, source=source, visit_id=visit_id,
                    call_id=call_id, description=description, category=category, department=department,
                    first_owner_id=actor.operator_id, due_at=rules.due_at(kind, priority, now),
                    created_at=now, updated_at=now, shift_id=actor.shift_id, desk_id=actor.desk_id)
    session.add(ticket)
    session.flush()
    _event(session, actor, ticket, "created", new=kind, note=description)
    session.flush()
    audit.record_for(session, actor, "create", "ticket", ticket.id, None,
                     {"kind": kind, "source": source, "priority": priority, "due_at": ticket.due_at})
    return ticket


# -- field changes --------------------------------------------------------------------------
def update_fields(session: Session, actor: Actor, ticket_id: int, changes: dict,
                  rules: SLARules | None = None) -> Ticket:
    """Change customer/description/category/priority/department; each change is one history event."""
    ticket = _get(session, ticket_id)
    target("edit", ticket.status)
    before = _snapshot(ticket)
    cleaned = {}
    for key, value in changes.items():
        if key not in EDITABLE:
            raise ValueError(f"not an editable ticket field: {key}")
        if key == "description":
            value = clean(value, field="ticket_description", limit=2000, required=True, multiline=True)
        elif key in ("customer_name", "unit"):
            value = clean(value, field=f"ticket_{key}", limit=64)
        elif key == "honorific":
            value = _choice(value or "", ("", *HONORIFICS), "ticket_honorific")
        elif key == "phone":
            value = phones.normalise(value, field="ticket_phone")
        elif key == "category":
            value = _category(value, ticket.kind)
        elif key == "priority":
            value = _choice(value, PRIORITIES, "ticket_priority")
        elif key == "department":
            value = _choice(value, department_codes(), "ticket_department", optional=True)
        cleaned[key] = value
    for key, value in cleaned.items():
        old = getattr(ticket, key)
        if old != value:
            setattr(ticket, key, value)
            _event(session, actor, ticket, "field", field=key, old=old, new=value)
            if key == "priority" and ticket.status in OPEN and not ticket.first_checked_at:
                rules = rules or default_rules()
                _set_due(session, actor, ticket, rules.due_at(ticket.kind, value, ticket.created_at))
    return _save(session, actor, ticket, "update", before)


def _set_due(session: Session, actor: Actor, ticket: Ticket, due: datetime | None) -> None:
    if due != ticket.due_at:
        _event(session, actor, ticket, "field", field="due_at",
               old=ticket.due_at.isoformat() if ticket.due_at else None, new=due.isoformat() if due else None)
        ticket.due_at = due


# -- workflow actions -----------------------------------------------------------------------
def assign(session: Session, actor: Actor, ticket_id: int, *, assignee_id: int | None = None,
           assignee_text: str | None = None, department: str | None = None,
           note: str | None = None) -> Ticket:
    """Pass it on quickly (DOMAIN §3). The first-contact owner never changes."""
    ticket = _get(session, ticket_id)
    target("assign", ticket.status)
    assignee_text = clean_optional(assignee_text, field="ticket_assignee", limit=64)
    department = _choice(department, department_codes(), "ticket_department", optional=True)
    note = clean_optional(note, field="ticket_note", limit=2000, multiline=True)
    if assignee_id is not None:
        op = session.get(Operator, assignee_id)
        if op is None or not op.active:
            raise TicketError("tickets.error.no_operator", field="ticket_assignee")
    if assignee_id is None and not assignee_text and not department:
        raise TicketError("tickets.error.assign_whom", field="ticket_assignee")
    before = _snapshot(ticket)
    _status(session, actor, ticket, "assign")
    for key, value in (("assignee_id", assignee_id), ("assignee_text", assignee_text)):
        if getattr(ticket, key) != value:
            _event(session, actor, ticket, "assign", field=key, old=getattr(ticket, key), new=value)
            setattr(ticket, key, value)
    if department and department != ticket.department:
        _event(session, actor, ticket, "assign", field="department", old=ticket.department, new=department)
        ticket.department = department
    if note:
        _event(session, actor, ticket, "note", note=note)
    return _save(session, actor, ticket, "assign", before)


def assign_to(session: Session, actor: Actor, ticket_id: int, *, who: str = "",
              department: str | None = None, note: str | None = None) -> Ticket:
    """Assign by what the receptionist typed: a staff number of an operator, else a name."""
    who = (who or "").strip()
    op_id = session.execute(select(Operator.id).where(Operator.staff_no == who, Operator.active)
                            ).scalar_one_or_none() if who else None
    return assign(session, actor, ticket_id, assignee_id=op_id, assignee_text=None if op_id else who,
                  department=department, note=note)


def start(session: Session, actor: Actor, ticket_id: int) -> Ticket:
    ticket = _get(session, ticket_id)
    before = _snapshot(ticket)
    _status(session, actor, ticket, "start")
    return _save(session, actor, ticket, "start", before)


def escalate(session: Session, actor: Actor, ticket_id: int, *, reason: str) -> Ticket:
    """DOMAIN §3: what cannot be solved goes up to the manager (the supervisors' queue)."""
    ticket = _get(session, ticket_id)
    target("escalate", ticket.status)
    if ticket.escalated_at is not None:
        raise TicketError("tickets.error.already_escalated")
    reason = clean(reason, field="ticket_reason", limit=500, required=True)
    before = _snapshot(ticket)
    ticket.escalated_at, ticket.escalation_reason = actor.clock.now(), reason
    _event(session, actor, ticket, "escalate", note=reason)
    return _save(session, actor, ticket, "escalate", before)


def check(session: Session, actor: Actor, ticket_id: int, *, finding: str,
          rules: SLARules | None = None) -> Ticket:
    """A complaint investigated and verified (DOMAIN §3: the same day); due for a solution next."""
    ticket = _get(session, ticket_id)
    target("check", ticket.status)
    if ticket.kind != "complaint" or ticket.first_checked_at is not None:
        raise TicketError("tickets.error.check")
    finding = clean(finding, field="ticket_note", limit=2000, required=True, multiline=True)
    before = _snapshot(ticket)
    now = actor.clock.now()
    ticket.first_checked_at = now
    _event(session, actor, ticket, "check", note=finding)
    due = (rules or default_rules()).due_after_check(ticket.kind, now)
    if due is not None:
        _set_due(session, actor, ticket, due)
    return _save(session, actor, ticket, "check", before)


def add_note(session: Session, actor: Actor, ticket_id: int, *, note: str) -> Ticket:
    """Internal notes: progress reported to the customer, findings (DOMAIN §3: keep informed)."""
    ticket = _get(session, ticket_id)
    target("note", ticket.status)
    note = clean(note, field="ticket_note", limit=2000, required=True, multiline=True)
    _event(session, actor, ticket, "note", note=note)
    return _save(session, actor, ticket, "note", _snapshot(ticket))


def resolve(session: Session, actor: Actor, ticket_id: int, *, note: str,
            rules: SLARules | None = None) -> Ticket:
    """Resolved: the follow-up call (回访) task is created at once (DOMAIN §3)."""
    from deskconsole.services import followups

    ticket = _get(session, ticket_id)
    target("resolve", ticket.status)
    note = clean(note, field="ticket_note", limit=2000, required=True, multiline=True)
    before = _snapshot(ticket)
    _status(session, actor, ticket, "resolve", note=note)
    ticket.resolved_at = actor.clock.now()
    followups.create_for(session, actor, ticket, rules or default_rules())
    return _save(session, actor, ticket, "resolve", before)


def close(session: Session, actor: Actor, ticket_id: int) -> Ticket:
    ticket = _get(session, ticket_id)
    before = _snapshot(ticket)
    _status(session, actor, ticket, "close")
    ticket.closed_at = actor.clock.now()
    return _save(session, actor, ticket, "close", before)


def reopen(session: Session, actor: Actor, ticket_id: int, *, reason: str,
           rules: SLARules | None = None) -> Ticket:
    ticket = _get(session, ticket_id)
    target("reopen", ticket.status)
    reason = clean(reason, field="ticket_reason", limit=500, required=True)
    before = _snapshot(ticket)
    _status(session, actor, ticket, "reopen", note=reason)
    now = actor.clock.now()
    ticket.reopened_count += 1
    ticket.resolved_at = ticket.followed_up_at = ticket.closed_at = None
    # A new promise: due again as if received now (DOMAIN §3: keep the deadline you give).
    _set_due(session, actor, ticket, (rules or default_rules()).due_at(ticket.kind, ticket.priority, now))
    return _save(session, actor, ticket, "reopen", before)


def cancel(session: Session, actor: Actor, ticket_id: int, *, reason: str) -> Ticket:
    actor.require_supervisor("tickets.action.cancel")
    ticket = _get(session, ticket_id)
    target("cancel", ticket.status)
    reason = clean(reason, field="ticket_reason", limit=200, required=True)
    before = _snapshot(ticket)
    _status(session, actor, ticket, "cancel", note=reason)
    ticket.cancelled_at, ticket.cancel_reason = actor.clock.now(), reason
    return _save(session, actor, ticket, "cancel", before)


def tick_repair_step(session: Session, actor: Actor, ticket_id: int, **kw) -> str:
    """See services/ticket_repairs.py (the in-home repair flow)."""
    from deskconsole.services.ticket_repairs import tick_repair_step as tick

    return tick(session, actor, ticket_id, **kw)
