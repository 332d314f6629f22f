"""投诉处理汇总表 (003 §6.7, DOMAIN §3): the complaints received in the period, oldest first:
received, customer (as addressed), unit, phone (masked), what the complaint is, who received
it (首问负责), the department it went to, when it was checked, the result (its status), the
last follow-up call and what the customer said, their satisfaction.

Chosen as the summary counts them (`created_at` in the period, the desk's when one is given):
the rows add up to "complaints"; those without the "checked late" mark and with a check time
are "complaints checked the same day" (001 §5.2.5.5.1.3, by the SLA's business day)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, select
from sqlmodel import Session

from deskconsole.models import FollowUp, Ticket
from deskconsole.services.people import address
from deskconsole.services.phone_numbers import mask
from deskconsole.services.reports.spec import Column, Query, Report, coded, counted, staff
from deskconsole.services.tickets.workflow import OPEN

BATCH = 2000


def _complaints(q: Query):
    last = select(FollowUp.ticket_id, func.max(FollowUp.id).label("follow_up_id")).where(
        FollowUp.done_at.is_not(None)).group_by(FollowUp.ticket_id).subquery()
    stmt = select(Ticket, FollowUp).outerjoin(last, last.c.ticket_id == Ticket.id).outerjoin(
        FollowUp, FollowUp.id == last.c.follow_up_id).where(
        Ticket.created_at >= q.period.start, Ticket.created_at < q.period.end, Ticket.kind == "complaint")
    if q.desk_id is not None:
        stmt = stmt.where(Ticket.desk_id == q.desk_id)
    return stmt.order_by(Ticket.created_at, Ticket.id)


def checked_late(ticket: Ticket, q: Query) -> bool:
    """Not checked by the end of the business day it came in (as of the report's time)."""
    if q.rules is not None:
        deadline = q.rules.end_of_business_day(ticket.created_at)
        checked = ticket.first_checked_at
        return checked > deadline if checked is not None else q.period.as_of > deadline
    tz = q.period.tz
    day = ticket.created_at.astimezone(tz).date()
    checked = ticket.first_checked_at or q.period.as_of
    return checked.astimezone(tz).date() > day


def rows(session: Session, q: Query) -> Iterator[list]:
    who = staff(session)
    total = counted(session, _complaints(q))
    lab = q.labels
    for done, (t, fu) in enumerate(session.execute(_complaints(q).execution_options(yield_per=BATCH)), start=1):
        is_open = t.status in OPEN
        marks = lab.marks("checked_late" if checked_late(t, q) else None,
                          "overdue" if is_open and t.due_at is not None and t.due_at < q.period.as_of else None,
                          "escalated" if is_open and t.escalated_at else None)
        yield [t.id, t.created_at, *coded(lab, [
            (None, address(t.customer_name, t.honorific, q.t.language)), (None, t.unit),
            (None, mask(t.phone, unmasked=q.unmasked)), (None, t.description), (None, who.get(t.first_owner_id, "")),
            ("department", t.department), (None, t.first_checked_at), ("ticket_status", t.status),
            (None, fu.done_at if fu else None), (None, fu.comment if fu else None),
            ("satisfaction", t.satisfaction or (fu.satisfaction if fu else None)), (None, marks)])]
        if done % 200 == 0 or done == total:
            q.step(done, total)


REPORT = Report("complaints", (
    Column("ticket"), Column("received"), Column("customer"), Column("unit"), Column("phone"), Column("content"),
    Column("owner"), Column("department", code=True), Column("checked_at"), Column("result", code=True),
    Column("follow_up_at"), Column("follow_up_note"), Column("satisfaction", code=True), Column("mark")), rows)
