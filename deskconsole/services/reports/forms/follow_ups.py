"""客户回访记录表 (003 §6.43, §9.6; DOMAIN §3): the follow-up calls made in the period, oldest
first: when, the ticket and its kind, the customer (as addressed), unit, phone (masked), what
the request was, when it was resolved, who called, the satisfaction given, the customer's
words, the outcome (followed up / reopened / escalated), when the call was due.

Chosen as the summary counts them (`done_at` in the period; of the desk's tickets when a desk
is given): the rows add up to "follow-ups done" and the satisfaction column to the summary's
satisfaction figures."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlmodel import Session

from deskconsole.models import FollowUp, Ticket
from deskconsole.services.people import address
from deskconsole.services.phone_numbers import mask
from deskconsole.services.reports.spec import Column, Query, Report, coded, counted, staff

BATCH = 2000


def _follow_ups(q: Query):
    stmt = select(FollowUp, Ticket).join(Ticket, Ticket.id == FollowUp.ticket_id).where(
        FollowUp.done_at >= q.period.start, FollowUp.done_at < q.period.end)
    if q.desk_id is not None:
        stmt = stmt.where(Ticket.desk_id == q.desk_id)
    return stmt.order_by(FollowUp.done_at, FollowUp.id)


def rows(session: Session, q: Query) -> Iterator[list]:
    who = staff(session)
    total = counted(session, _follow_ups(q))
    lab = q.labels
    for done, (fu, t) in enumerate(session.execute(_follow_ups(q).execution_options(yield_per=BATCH)), start=1):
        # DOMAIN §3: the follow-up call is made by its due time
        late = "late_follow_up" if fu.done_at > fu.due_at else None
        yield [fu.done_at, t.id, *coded(lab, [
            ("ticket_kind", t.kind), (None, address(t.customer_name, t.honorific, q.t.language)), (None, t.unit),
            (None, mask(t.phone, unmasked=q.unmasked)), (None, t.description), (None, t.resolved_at),
            (None, who.get(fu.operator_id, "") if fu.operator_id else ""), ("satisfaction", fu.satisfaction),
            (None, fu.comment), ("follow_up_outcome", fu.outcome), (None, fu.due_at), (None, lab.marks(late))])]
        if done % 200 == 0 or done == total:
            q.step(done, total)


REPORT = Report("follow-ups", (
    Column("follow_up_at"), Column("ticket"), Column("kind", code=True), Column("customer"), Column("unit"),
    Column("phone"), Column("content"), Column("resolved_at"), Column("caller"),
    Column("satisfaction", code=True), Column("comment"), Column("outcome", code=True), Column("due_at"),
    Column("mark")), rows)
