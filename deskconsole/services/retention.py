"""Retention (DOMAIN §1: respect privacy, never leak customer information).

`purge` anonymises visitor and caller names and phone numbers older than the retention
period and marks the rows `anonymised` (expected visits, which have no flag, are marked by the
blank name itself). Rows are never deleted and no column a summary
figure reads (times, statuses, purposes, outcomes, durations) is touched, so counts and the
summary stay the same before and after. Open tickets keep their customer until they are
closed or cancelled: a promise still being kept needs the phone number (DOMAIN §3).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlmodel import Session

from deskconsole.models import Call, ExpectedVisit, Ticket, TicketEvent, Visit
from deskconsole.services import audit
from deskconsole.services.errors import DeskError

MIN_DAYS, MAX_DAYS = 1, 36500
# Ticket history lines that carry a customer's name or phone (old/new values).
PERSONAL_TICKET_FIELDS = ("customer_name", "phone")


@dataclass(frozen=True)
class PurgeCounts:
    cutoff: datetime
    visits: int = 0
    expected_visits: int = 0
    calls: int = 0
    tickets: int = 0
    ticket_history: int = 0

    @property
    def total(self) -> int:
        return self.visits + self.expected_visits + self.calls + self.tickets + self.ticket_history


def check_days(days: object) -> int:
    try:
        value = int(str(days).strip())
    except ValueError:
        raise DeskError("reliability.error.days", field="older_than", low=MIN_DAYS, high=MAX_DAYS) from None
    if not MIN_DAYS <= value <= MAX_DAYS:
        raise DeskError("reliability.error.days", field="older_than", low=MIN_DAYS, high=MAX_DAYS)
    return value


def _targets(cutoff: datetime) -> dict:
    """table -> (model, which rows, {column: anonymised value})."""
    ticket_done = func.coalesce(Ticket.closed_at, Ticket.cancelled_at)
    return {
        "visits": (Visit, Visit.arrived_at < cutoff,
                   {"name": "", "honorific": "", "phone": None, "handoff_description": None}),
        "expected_visits": (ExpectedVisit, ExpectedVisit.expected_at < cutoff,
                            {"name": "", "honorific": "", "phone": None}),
        "calls": (Call, Call.started_at < cutoff, {"caller_name": "", "honorific": "", "phone": None}),
        "tickets": (Ticket, and_(Ticket.status.in_(("closed", "cancelled")), ticket_done < cutoff),
                    {"customer_name": "", "honorific": "", "phone": None}),
    }


def purge(session: Session, *, older_than_days: object, now: datetime, operator_id: int,
          role: str, dry_run: bool = False) -> PurgeCounts:
    """Anonymise everything older than `older_than_days` days; supervisor only. With dry_run,
    count what would be anonymised and change nothing."""
    if role != "supervisor":
        raise DeskError("error.supervisor_only", action="reliability.action.purge")
    days = check_days(older_than_days)
    cutoff = now - timedelta(days=days)
    counts: dict[str, int] = {}
    anonymised_tickets = []
    for name, (model, where, values) in _targets(cutoff).items():
        if hasattr(model, "anonymised"):
            cond = and_(where, model.anonymised.is_(False))
            values = {**values, "anonymised": True}
        else:  # expected visits have no flag: blank name and no phone is the mark
            cond = and_(where, or_(model.name != "", model.honorific != "", model.phone.is_not(None)))
        if name == "tickets":
            anonymised_tickets = list(session.execute(select(Ticket.id).where(cond)).scalars())
        if dry_run:
            counts[name] = session.execute(select(func.count()).select_from(model).where(cond)).scalar_one()
            continue
        result = session.execute(update(model).where(cond).values(**values)
                                 .execution_options(synchronize_session=False))
        counts[name] = result.rowcount
    history = 0
    for start in range(0, len(anonymised_tickets), 500):
        chunk = anonymised_tickets[start:start + 500]
        cond = and_(TicketEvent.ticket_id.in_(chunk), TicketEvent.field_name.in_(PERSONAL_TICKET_FIELDS))
        if dry_run:
            history += session.execute(select(func.count()).select_from(TicketEvent).where(cond)).scalar_one()
        else:
            # Core UPDATE on purpose: history is append-only for the ORM (models/tickets.py),
            # and retention is the one sanctioned exception, recorded in the audit trail below.
            history += session.execute(update(TicketEvent).where(cond).values(old=None, new=None)
                                       .execution_options(synchronize_session=False)).rowcount
    result = PurgeCounts(cutoff=cutoff, ticket_history=history, **counts)
    if not dry_run and result.total:
        audit.record(session, at=now, action="purge", entity="retention", operator_id=operator_id,
                     after={**asdict(result), "cutoff": cutoff.isoformat(), "older_than_days": days})
    return result


def purge_as(session: Session, actor, older_than_days: object, *, dry_run: bool = False) -> PurgeCounts:
    """The console's entry: the signed-on actor, the injected clock."""
    return purge(session, older_than_days=older_than_days, now=actor.clock.now(),
                 operator_id=actor.operator_id, role=actor.role, dry_run=dry_run)
