"""Retention (DOMAIN §1: respect privacy, never leak customer information).

`purge` blanks, past the retention period, every column that can hold a person's details -
names, phone numbers and every free text a person may have been written into: visitors'
hosts, notes and hand-off descriptions, call summaries and messages, ticket descriptions and
reasons, ticket history notes and changed values, follow-up comments, repair step notes,
handover notes, void reasons, the registers' borrowers and applicants (their companies, key
purposes, return notes, the owner who confirmed a release, its items and vehicle plate, the ID
noted for a loan) - and marks the rows `anonymised` (expected visits and the register lines, which
have no flag, are marked by the blank name itself). Rows are never deleted and no column a summary
figure reads (times, statuses, purposes, categories, outcomes, durations, units) is touched, so
counts and the summary stay the same before and after (README "Voids and retention" lists
what is kept). Open tickets keep their customer until they are closed or cancelled: a promise
still being kept needs the phone number (DOMAIN §3); so does a key or an item still out.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, or_, select, update
from sqlmodel import Session

from deskconsole.db import guards
from deskconsole.models import (
    Call,
    ExpectedVisit,
    FollowUp,
    GoodsRelease,
    ItemLoan,
    KeyLoan,
    RepairStep,
    Shift,
    Ticket,
    TicketEvent,
    Visit,
)
from deskconsole.services import audit
from deskconsole.services.errors import DeskError

MIN_DAYS, MAX_DAYS = 1, 36500
# Ticket history lines whose old/new values are personal: the customer and the free texts.
PERSONAL_TICKET_FIELDS = ("customer_name", "honorific", "phone", "description", "escalation_reason",
                          "cancel_reason")


@dataclass(frozen=True)
class PurgeCounts:
    cutoff: datetime
    visits: int = 0
    expected_visits: int = 0
    calls: int = 0
    tickets: int = 0
    ticket_history: int = 0
    follow_ups: int = 0
    repair_steps: int = 0
    handover_notes: int = 0
    key_loans: int = 0
    goods_releases: int = 0
    item_loans: int = 0

    @property
    def registers(self) -> int:
        return self.key_loans + self.goods_releases + self.item_loans

    @property
    def total(self) -> int:
        return (self.visits + self.expected_visits + self.calls + self.tickets + self.ticket_history
                + self.follow_ups + self.repair_steps + self.handover_notes + self.registers)


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
                   {"name": "", "honorific": "", "phone": None, "host": "", "note": None,
                    "handoff_description": None, "void_reason": None}),
        "expected_visits": (ExpectedVisit, ExpectedVisit.expected_at < cutoff,
                            {"name": "", "honorific": "", "phone": None, "host": "", "note": None}),
        "calls": (Call, Call.started_at < cutoff,
                  {"caller_name": "", "honorific": "", "phone": None, "summary": None, "message_for": None,
                   "void_reason": None}),
        "tickets": (Ticket, and_(Ticket.status.in_(("closed", "cancelled")), ticket_done < cutoff),
                    {"customer_name": "", "honorific": "", "phone": None, "description": "",
                     "escalation_reason": None, "cancel_reason": None}),
        # The registers (DOMAIN §3): who took a key or an item, who asked for a release. A key or
        # an item still out keeps its borrower (it must come back: the desk calls them).
        "key_loans": (KeyLoan, and_(KeyLoan.lent_at < cutoff, or_(KeyLoan.returned_at.is_not(None),
                                                                   KeyLoan.voided_at.is_not(None))),
                      {"name": "", "company": "", "phone": None, "purpose": "", "return_note": None,
                       "void_reason": None}),
        "goods_releases": (GoodsRelease, GoodsRelease.expires_at < cutoff,  # once no longer good at the gate
                           {"name": "", "phone": None, "confirmed_by": "", "items": "", "vehicle_plate": "",
                            "void_reason": None}),
        "item_loans": (ItemLoan, and_(ItemLoan.lent_at < cutoff, or_(ItemLoan.returned_at.is_not(None),
                                                                      ItemLoan.voided_at.is_not(None))),
                       {"name": "", "phone": None, "id_note": "", "void_reason": None}),
    }


def _holds_any(model, values: dict):
    """Rows in which one of the columns to blank still holds something (so a second purge,
    or one after new columns joined the list, finds exactly what is left)."""
    return or_(*(func.coalesce(getattr(model, col), "") != "" for col in values))


def purge(session: Session, *, older_than_days: object, now: datetime, operator_id: int,
          role: str, dry_run: bool = False,
          progress: Callable[[int, int | None], None] | None = None) -> PurgeCounts:
    """Anonymise everything older than `older_than_days` days; supervisor only. With dry_run,
    count what would be anonymised and change nothing. `progress(done, total)` hears the rows
    anonymised so far, table by table; the total is counted first (a dry run in the same
    transaction, so it is exact; a dry run itself reports without one) and the last report is
    (total, total)."""
    if role != "supervisor":
        raise DeskError("error.supervisor_only", action="reliability.action.purge")
    days = check_days(older_than_days)
    cutoff = now - timedelta(days=days)
    expected = None
    if progress and not dry_run:
        expected = purge(session, older_than_days=days, now=now, operator_id=operator_id, role=role,
                         dry_run=True).total
        progress(0, expected)
    counts: dict[str, int] = {}

    def tell() -> None:
        if progress:
            progress(sum(counts.values()), expected)
    anonymised_tickets = []
    # Every row changed gets a purge event sealing it as anonymised (services/audit_rows.py):
    # `audit verify` then finds it matching its last event, and no personal value in the trail.
    touched: dict[str, set[int]] = {}
    for name, (model, where, values) in _targets(cutoff).items():
        cond = and_(where, _holds_any(model, values))
        if hasattr(model, "anonymised"):
            cond = and_(where, or_(model.anonymised.is_(False), _holds_any(model, values)))
            values = {**values, "anonymised": True}
        # expected visits and the registers have no flag: blank name, phone and texts are the mark
        if name == "tickets":
            anonymised_tickets = list(session.execute(select(Ticket.id).where(cond)).scalars())
        if dry_run:
            counts[name] = session.execute(select(func.count()).select_from(model).where(cond)).scalar_one()
            tell()
            continue
        touched.setdefault(ENTITY[name], set()).update(_ids(session, model, cond))
        result = session.execute(update(model).where(cond).values(**values)
                                 .execution_options(synchronize_session=False))
        counts[name] = result.rowcount
        tell()
    # Of the anonymised tickets: history lines (old/new of personal fields, every note),
    # follow-up comments, repair step notes. Core UPDATE on purpose: history is append-only for
    # the ORM (models/tickets.py); retention is the one sanctioned exception, audited below.
    per_ticket = (
        ("ticket_history", TicketEvent, lambda ids: and_(TicketEvent.ticket_id.in_(ids), or_(
            and_(TicketEvent.field_name.in_(PERSONAL_TICKET_FIELDS),
                 or_(TicketEvent.old.is_not(None), TicketEvent.new.is_not(None))),
            TicketEvent.note.is_not(None))),
         lambda ids: {"old": case((TicketEvent.field_name.in_(PERSONAL_TICKET_FIELDS), None),
                                  else_=TicketEvent.old),
                      "new": case((TicketEvent.field_name.in_(PERSONAL_TICKET_FIELDS), None),
                                  else_=TicketEvent.new), "note": None}),
        ("follow_ups", FollowUp, lambda ids: and_(FollowUp.ticket_id.in_(ids), FollowUp.comment.is_not(None)),
         lambda ids: {"comment": None}),
        ("repair_steps", RepairStep, lambda ids: and_(RepairStep.ticket_id.in_(ids), RepairStep.note.is_not(None)),
         lambda ids: {"note": None}),
    )
    conn = session.connection()
    for name, model, which, values in per_ticket:
        counts[name] = 0
        for start in range(0, len(anonymised_tickets), 500):
            chunk = anonymised_tickets[start:start + 500]
            if model is FollowUp and not dry_run:
                touched.setdefault("follow_up", set()).update(_ids(session, model, which(chunk)))
            # The history's append-only guard (db/guards.py) is lifted for this statement only,
            # inside this transaction; the purge events below record what changed.
            with guards.lifted(conn, "ticket_event") if model is TicketEvent and not dry_run else nullcontext():
                counts[name] += _blank(session, model, which(chunk), values(chunk), dry_run)
            tell()
    # A handover note may name a customer ("钱女士 calls back at 3"): blanked with its shift.
    notes = and_(Shift.ended_at < cutoff, Shift.handover_note.is_not(None))
    if not dry_run:
        touched["shift"] = set(_ids(session, Shift, notes))
    counts["handover_notes"] = _blank(session, Shift, notes, {"handover_note": None}, dry_run)
    tell()
    result = PurgeCounts(cutoff=cutoff, **counts)
    if progress:
        progress(result.total, result.total)
    if not dry_run and result.total:
        audit.record(session, at=now, action="purge", entity="retention", operator_id=operator_id,
                     after={**asdict(result), "cutoff": cutoff.isoformat(), "older_than_days": days})
        for entity, ids in touched.items():
            for row_id in sorted(ids):
                audit.record(session, at=now, action="purge", entity=entity, entity_id=row_id,
                             operator_id=operator_id)
    return result


ENTITY = {"visits": "visit", "expected_visits": "expected_visit", "calls": "call", "tickets": "ticket",
          "key_loans": "key_loan", "goods_releases": "goods_release", "item_loans": "item_loan"}


def _ids(session: Session, model, cond) -> list[int]:
    return list(session.execute(select(model.id).where(cond)).scalars())


def _blank(session: Session, model, cond, values: dict, dry_run: bool) -> int:
    if dry_run:
        return session.execute(select(func.count()).select_from(model).where(cond)).scalar_one()
    return session.execute(update(model).where(cond).values(**values)
                           .execution_options(synchronize_session=False)).rowcount


def purge_as(session: Session, actor, older_than_days: object, *, dry_run: bool = False,
             progress: Callable[[int, int | None], None] | None = None) -> PurgeCounts:
    """The console's entry: the signed-on actor, the injected clock."""
    return purge(session, older_than_days=older_than_days, now=actor.clock.now(),
                 operator_id=actor.operator_id, role=actor.role, dry_run=dry_run, progress=progress)
