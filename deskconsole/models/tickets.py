"""Requests and tickets (DOMAIN §3) with first-contact ownership, history, repair steps and follow-ups."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Index, UniqueConstraint, event, text
from sqlalchemy.orm import object_session
from sqlmodel import Field, SQLModel

from deskconsole.models.base import money_field, utc_field

TICKET_KINDS = ("repair", "complaint", "inquiry", "suggestion", "callback")
TICKET_STATUSES = ("new", "assigned", "in_progress", "resolved", "followed_up", "closed", "cancelled")
PRIORITIES = ("low", "normal", "high", "urgent")
SATISFACTION = ("very_satisfied", "satisfied", "neutral", "dissatisfied")
# The open statuses as SQL: the partial indexes and the queue queries use this same text, so the
# planner sees the query implies the index (services/tickets/queues.py). On SQLite the unary +
# keeps (status, due_at) from being picked for the IN list and sorting every open ticket.
OPEN_WHERE = "status IN ('new', 'assigned', 'in_progress')"
OPEN_WHERE_SQLITE = "+status IN ('new', 'assigned', 'in_progress')"


class Ticket(SQLModel, table=True):
    __table_args__ = (
        Index("ix_ticket_status_due", "status", "due_at"),
        Index("ix_ticket_created", "created_at"),
        Index("ix_ticket_owner_status", "first_owner_id", "status"),
        Index("ix_ticket_assignee_status", "assignee_id", "status"),
        Index("ix_ticket_department_status", "department", "status"),
        # Search by phone, unit or customer prefix, newest first (services/newest_first.py, 0011).
        Index("ix_ticket_phone_created", "phone", "created_at", "id"),
        Index("ix_ticket_unit_created", "unit", "created_at", "id"),
        Index("ix_ticket_escalated", "escalated_at"),
        # Queues walk open tickets in due order and stop after one page (migration 0004).
        Index("ix_ticket_open_due", "due_at",
              sqlite_where=text(OPEN_WHERE_SQLITE), postgresql_where=text(OPEN_WHERE)),
        Index("ix_ticket_open_dept_due", "department", "due_at",
              sqlite_where=text(OPEN_WHERE_SQLITE), postgresql_where=text(OPEN_WHERE)),
        Index("ix_ticket_due", "due_at"),
        Index("ix_ticket_customer_created", "customer_name", "created_at", "id"),
        # Open tickets newest first (the escalated queue): walks open tickets only (0010).
        Index("ix_ticket_open_created", "created_at",
              sqlite_where=text(OPEN_WHERE_SQLITE), postgresql_where=text(OPEN_WHERE)),
        Index("ix_ticket_shift", "shift_id"),  # a shift's figures are its own tickets
    )
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    status: str = Field(default="new", max_length=16)
    priority: str = Field(default="normal", max_length=8)
    customer_name: str = Field(default="", max_length=64)
    honorific: str = Field(default="", max_length=16)
    phone: str | None = Field(default=None, max_length=32)
    unit: str = Field(default="", max_length=64)
    source: str = Field(default="walk_in", max_length=8)  # visit / call / walk_in / other
    visit_id: int | None = Field(default=None, foreign_key="visit.id")
    call_id: int | None = Field(default=None, foreign_key="call.id")
    description: str = Field(default="", max_length=2000)
    category: str | None = Field(default=None, max_length=32)
    department: str | None = Field(default=None, max_length=32)
    # 首问负责 (DOMAIN §3): whoever first received it; never changed by assignment.
    first_owner_id: int = Field(foreign_key="operator.id")
    assignee_id: int | None = Field(default=None, foreign_key="operator.id")
    assignee_text: str | None = Field(default=None, max_length=64)  # a person in a department
    due_at: datetime | None = utc_field()
    escalated_at: datetime | None = utc_field()
    escalation_reason: str | None = Field(default=None, max_length=500)
    resolved_at: datetime | None = utc_field()
    followed_up_at: datetime | None = utc_field()
    closed_at: datetime | None = utc_field()
    cancelled_at: datetime | None = utc_field()
    cancel_reason: str | None = Field(default=None, max_length=200)
    first_checked_at: datetime | None = utc_field()  # complaints: investigated/verified
    reopened_count: int = 0
    satisfaction: str | None = Field(default=None, max_length=16)
    fee_amount: Decimal | None = money_field()
    fee_currency: str | None = Field(default=None, max_length=3)
    created_at: datetime = utc_field(nullable=False)
    updated_at: datetime = utc_field(nullable=False)
    shift_id: int = Field(foreign_key="shift.id")
    desk_id: int = Field(foreign_key="desk.id")
    anonymised: bool = False


class TicketEvent(SQLModel, table=True):
    """History; appended, never edited."""

    __tablename__ = "ticket_event"
    __table_args__ = (Index("ix_ticket_event_ticket", "ticket_id", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id")
    at: datetime = utc_field(nullable=False)
    operator_id: int = Field(foreign_key="operator.id")
    kind: str = Field(max_length=16)  # created / status / field / note / assign / escalate
    field_name: str | None = Field(default=None, max_length=32)
    old: str | None = Field(default=None, max_length=2000)
    new: str | None = Field(default=None, max_length=2000)
    note: str | None = Field(default=None, max_length=2000)


# The history is append-only: a row, once written, is never changed or removed through the
# ORM. Mapper events on the model itself, so the rule holds in every session of the process
# whichever modules were imported. (Purging personal data after the retention period is a
# deliberate Core UPDATE, services/retention.py.)
@event.listens_for(TicketEvent, "before_update")
def _history_is_not_edited(_mapper, _conn, target: TicketEvent) -> None:
    session = object_session(target)
    if session is not None and session.is_modified(target, include_collections=False):
        raise PermissionError("ticket history is append-only")


@event.listens_for(TicketEvent, "before_delete")
def _history_is_not_deleted(_mapper, _conn, _target: TicketEvent) -> None:
    raise PermissionError("ticket history is append-only")


class RepairStep(SQLModel, table=True):
    """In-home repair steps (DOMAIN §3, 001 §5.2.5.4) ticked on a repair ticket."""

    __tablename__ = "repair_step"
    __table_args__ = (UniqueConstraint("ticket_id", "step", name="uq_repair_step"),)
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    step: str = Field(max_length=24)
    done_at: datetime = utc_field(nullable=False)
    operator_id: int = Field(foreign_key="operator.id")
    note: str | None = Field(default=None, max_length=200)  # for a skipped step: why
    skipped: bool = False


class FollowUp(SQLModel, table=True):
    """回访 (DOMAIN §3): created when a ticket is resolved."""

    __tablename__ = "follow_up"
    __table_args__ = (
        Index("ix_follow_up_due", "done_at", "due_at"),
        Index("ix_follow_up_due_at", "due_at"),  # those due in a window, done or not (services/evidence)
        Index("ix_follow_up_ticket", "ticket_id"),
        Index("ix_follow_up_shift", "shift_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id")
    created_at: datetime = utc_field(nullable=False)
    due_at: datetime = utc_field(nullable=False)
    done_at: datetime | None = utc_field()
    call_id: int | None = Field(default=None, foreign_key="call.id")
    satisfaction: str | None = Field(default=None, max_length=16)
    comment: str | None = Field(default=None, max_length=1000)
    outcome: str | None = Field(default=None, max_length=16)  # closed / reopened / escalated
    operator_id: int | None = Field(default=None, foreign_key="operator.id")
    shift_id: int | None = Field(default=None, foreign_key="shift.id")  # the shift that made the call


class ProgressCall(SQLModel, table=True):
    """A progress call (DOMAIN §3, 000 C: report progress to the customer until it is solved):
    one task per ticket at a time, due some business hours after the ticket was received or
    after the last progress call; done by an outgoing call, then the next one is due. Stopped
    when the ticket is resolved or cancelled first. A call made with no task due has no due_at."""

    __tablename__ = "progress_call"
    __table_args__ = (
        Index("ix_progress_call_pending", "done_at", "stopped_at", "due_at"),  # the worklist
        Index("ix_progress_call_ticket", "ticket_id"),
        Index("ix_progress_call_done", "done_at"),
        Index("ix_progress_call_due", "due_at"),
        Index("ix_progress_call_shift", "shift_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id")
    created_at: datetime = utc_field(nullable=False)
    due_at: datetime | None = utc_field()
    done_at: datetime | None = utc_field()
    stopped_at: datetime | None = utc_field()  # the ticket left the open statuses first
    call_id: int | None = Field(default=None, foreign_key="call.id")  # the outgoing call
    operator_id: int | None = Field(default=None, foreign_key="operator.id")
    shift_id: int | None = Field(default=None, foreign_key="shift.id")  # the shift that made the call
