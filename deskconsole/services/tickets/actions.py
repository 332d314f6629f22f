"""Tickets (DOMAIN §3): every request a customer brings becomes a ticket someone owns to the end.

首问负责 (first-contact ownership, 000 A, 003 §3.2): the operator who receives it is the
first owner, and stays so whoever it is assigned to. Every change is appended to the
ticket's history (history.py) with who and when, and to the audit trail.

Due times come from the SLA rules (services/sla.py) the caller passes in: the CLI and the
console build them once from their config.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from deskconsole import catalogs
from deskconsole.models import Call, Operator, Ticket, Visit
from deskconsole.models.tickets import PRIORITIES, TICKET_KINDS
from deskconsole.services import audit, phone_numbers
from deskconsole.services.context import Actor
from deskconsole.services.people import HONORIFICS
from deskconsole.services.sla import SLARules
from deskconsole.services.text import clean, clean_optional
from deskconsole.services.tickets.follow_up_tasks import create_for as open_follow_up
from deskconsole.services.tickets.history import (
    append_event,
    get_for_update,
    save_audited,
    set_status,
    snapshot,
)
from deskconsole.services.tickets.progress_calls import schedule as schedule_progress_call
from deskconsole.services.tickets.progress_calls import stop_for as stop_progress_calls
from deskconsole.services.tickets.workflow import OPEN, TicketError, target

SOURCES = ("visit", "call", "walk_in", "other")
EDITABLE = ("customer_name", "honorific", "phone", "unit", "description", "category",
            "priority", "department")


# -- catalogs -------------------------------------------------------------------------------
def department_codes() -> list[str]:
    return [row["code"] for row in catalogs.load("departments.toml").get("department", [])]


def categories() -> list[dict]:
    return list(catalogs.load("ticket_categories.toml").get("category", []))


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


# -- create ---------------------------------------------------------------------------------
def create_ticket(session: Session, actor: Actor, *, kind: str, customer_name: str = "",
                  honorific: str = "", phone: str | None = None, unit: str = "",
                  source: str = "walk_in", visit_id: int | None = None, call_id: int | None = None,
                  description: str, category: str | None = None, priority: str = "normal",
                  department: str | None = None, rules: SLARules) -> Ticket:
    """Open a ticket owned by `actor` (首问负责). Due time from the SLA (DOMAIN §3)."""
    kind = _choice(kind, TICKET_KINDS, "ticket_kind")
    description = clean(description, field="ticket_description", limit=2000, required=True, multiline=True)
    customer_name = clean(customer_name, field="ticket_customer_name", limit=64)
    honorific = _choice(honorific or "", ("", *HONORIFICS), "ticket_honorific")
    phone = phone_numbers.normalise(phone, field="ticket_phone")
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
    ticket = Ticket(kind=kind, status="new", priority=priority, customer_name=customer_name,
                    honorific=honorific, phone=phone, unit=unit, source=source, visit_id=visit_id,
                    call_id=call_id, description=description, category=category, department=department,
                    first_owner_id=actor.operator_id, due_at=rules.due_at(kind, priority, now),
                    created_at=now, updated_at=now, shift_id=actor.shift_id, desk_id=actor.desk_id)
    session.add(ticket)
    session.flush()
    append_event(session, actor, ticket, "created", new=kind, note=description)
    session.flush()
    audit.record_for(session, actor, "create", "ticket", ticket.id, None,
                     {"kind": kind, "source": source, "priority": priority, "due_at": ticket.due_at})
    schedule_progress_call(session, actor, ticket, rules)  # DOMAIN §3: keep them informed
    return ticket


# -- field changes --------------------------------------------------------------------------
def update_fields(session: Session, actor: Actor, ticket_id: int, changes: dict, *,
                  rules: SLARules) -> Ticket:
    """Change customer/description/category/priority/department; each change is one history event."""
    ticket = get_for_update(session, ticket_id)
    target("edit", ticket.status)
    before = snapshot(ticket)
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
            value = phone_numbers.normalise(value, field="ticket_phone")
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
            append_event(session, actor, ticket, "field", field=key, old=old, new=value)
            if key == "priority" and ticket.status in OPEN and not ticket.first_checked_at:
                _set_due(session, actor, ticket, rules.due_at(ticket.kind, value, ticket.created_at))
    return save_audited(session, actor, ticket, "update", before)


def _set_due(session: Session, actor: Actor, ticket: Ticket, due: datetime | None) -> None:
    if due != ticket.due_at:
        append_event(session, actor, ticket, "field", field="due_at",
               old=ticket.due_at.isoformat() if ticket.due_at else None, new=due.isoformat() if due else None)
        ticket.due_at = due


# -- workflow actions -----------------------------------------------------------------------
def assign(session: Session, actor: Actor, ticket_id: int, *, assignee_id: int | None = None,
           assignee_text: str | None = None, department: str | None = None,
           note: str | None = None) -> Ticket:
    """Pass it on quickly (DOMAIN §3). The first-contact owner never changes."""
    ticket = get_for_update(session, ticket_id)
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
    before = snapshot(ticket)
    set_status(session, actor, ticket, "assign")
    for key, value in (("assignee_id", assignee_id), ("assignee_text", assignee_text)):
        if getattr(ticket, key) != value:
            append_event(session, actor, ticket, "assign", field=key, old=getattr(ticket, key), new=value)
            setattr(ticket, key, value)
    if department and department != ticket.department:
        append_event(session, actor, ticket, "assign", field="department", old=ticket.department, new=department)
        ticket.department = department
    if note:
        append_event(session, actor, ticket, "note", note=note)
    return save_audited(session, actor, ticket, "assign", before)


def assign_to(session: Session, actor: Actor, ticket_id: int, *, who: str = "",
              department: str | None = None, note: str | None = None) -> Ticket:
    """Assign by what the receptionist typed: a staff number of an operator, else a name."""
    who = (who or "").strip()
    op_id = session.execute(select(Operator.id).where(Operator.staff_no == who, Operator.active)
                            ).scalar_one_or_none() if who else None
    return assign(session, actor, ticket_id, assignee_id=op_id, assignee_text=None if op_id else who,
                  department=department, note=note)


def start(session: Session, actor: Actor, ticket_id: int) -> Ticket:
    ticket = get_for_update(session, ticket_id)
    before = snapshot(ticket)
    set_status(session, actor, ticket, "start")
    return save_audited(session, actor, ticket, "start", before)


def escalate(session: Session, actor: Actor, ticket_id: int, *, reason: str) -> Ticket:
    """DOMAIN §3: what cannot be solved goes up to the manager (the supervisors' queue)."""
    ticket = get_for_update(session, ticket_id)
    target("escalate", ticket.status)
    if ticket.escalated_at is not None:
        raise TicketError("tickets.error.already_escalated")
    reason = clean(reason, field="ticket_reason", limit=500, required=True)
    before = snapshot(ticket)
    ticket.escalated_at, ticket.escalation_reason = actor.clock.now(), reason
    append_event(session, actor, ticket, "escalate", note=reason)
    return save_audited(session, actor, ticket, "escalate", before)


def check(session: Session, actor: Actor, ticket_id: int, *, finding: str, rules: SLARules) -> Ticket:
    """A complaint investigated and verified (DOMAIN §3: the same day); due for a solution next."""
    ticket = get_for_update(session, ticket_id)
    target("check", ticket.status)
    if ticket.kind != "complaint" or ticket.first_checked_at is not None:
        raise TicketError("tickets.error.check")
    finding = clean(finding, field="ticket_note", limit=2000, required=True, multiline=True)
    before = snapshot(ticket)
    now = actor.clock.now()
    ticket.first_checked_at = now
    append_event(session, actor, ticket, "check", note=finding)
    due = rules.due_after_check(ticket.kind, now)
    if due is not None:
        _set_due(session, actor, ticket, due)
    return save_audited(session, actor, ticket, "check", before)


def add_note(session: Session, actor: Actor, ticket_id: int, *, note: str) -> Ticket:
    """Internal notes: progress reported to the customer, findings (DOMAIN §3: keep informed)."""
    ticket = get_for_update(session, ticket_id)
    target("note", ticket.status)
    note = clean(note, field="ticket_note", limit=2000, required=True, multiline=True)
    append_event(session, actor, ticket, "note", note=note)
    return save_audited(session, actor, ticket, "note", snapshot(ticket))


def resolve(session: Session, actor: Actor, ticket_id: int, *, note: str, rules: SLARules) -> Ticket:
    """Resolved: the follow-up call (回访) task is created at once (DOMAIN §3), for the kinds
    that need one (`SLARules.follow_up_kinds`)."""
    ticket = get_for_update(session, ticket_id)
    target("resolve", ticket.status)
    note = clean(note, field="ticket_note", limit=2000, required=True, multiline=True)
    before = snapshot(ticket)
    set_status(session, actor, ticket, "resolve", note=note)
    ticket.resolved_at = actor.clock.now()
    stop_progress_calls(session, actor, ticket)
    if rules.needs_follow_up(ticket.kind):
        open_follow_up(session, actor, ticket, rules)
    return save_audited(session, actor, ticket, "resolve", before)


def close(session: Session, actor: Actor, ticket_id: int) -> Ticket:
    ticket = get_for_update(session, ticket_id)
    before = snapshot(ticket)
    set_status(session, actor, ticket, "close")
    ticket.closed_at = actor.clock.now()
    return save_audited(session, actor, ticket, "close", before)


def reopen(session: Session, actor: Actor, ticket_id: int, *, reason: str, rules: SLARules) -> Ticket:
    ticket = get_for_update(session, ticket_id)
    target("reopen", ticket.status)
    reason = clean(reason, field="ticket_reason", limit=500, required=True)
    before = snapshot(ticket)
    set_status(session, actor, ticket, "reopen", note=reason)
    now = actor.clock.now()
    ticket.reopened_count += 1
    ticket.resolved_at = ticket.followed_up_at = ticket.closed_at = None
    # A new promise: due again as if received now (DOMAIN §3: keep the deadline you give).
    _set_due(session, actor, ticket, rules.due_at(ticket.kind, ticket.priority, now))
    schedule_progress_call(session, actor, ticket, rules)  # not solved after all: report again
    return save_audited(session, actor, ticket, "reopen", before)


def cancel(session: Session, actor: Actor, ticket_id: int, *, reason: str) -> Ticket:
    actor.require_supervisor("tickets.action.cancel")
    ticket = get_for_update(session, ticket_id)
    target("cancel", ticket.status)
    reason = clean(reason, field="ticket_reason", limit=200, required=True)
    before = snapshot(ticket)
    set_status(session, actor, ticket, "cancel", note=reason)
    ticket.cancelled_at, ticket.cancel_reason = actor.clock.now(), reason
    stop_progress_calls(session, actor, ticket)
    return save_audited(session, actor, ticket, "cancel", before)

