"""业主来电来访登记表 (003 §6.60, DOMAIN §1-§2): every visit and every incoming call of the
period, oldest first, one line each: when, visit or call, who (as addressed), unit, phone
(masked), the matter, whom they came to see, what was said, how it ended, who took it.

Chosen as the summary counts them (visits by arrival, calls by the start of ringing, voided
ones left out, the desk's when one is given): the visits add up to "visitors arrived" and
the calls to "calls incoming"."""

from __future__ import annotations

import heapq
from collections.abc import Iterator

from sqlalchemy import select
from sqlmodel import Session

from deskconsole.models import Call, Visit
from deskconsole.services.people import address
from deskconsole.services.phone_numbers import mask
from deskconsole.services.reports.spec import Column, Query, Report, coded, counted, staff

BATCH = 2000


def _visits(q: Query):
    stmt = select(Visit).where(Visit.arrived_at >= q.period.start, Visit.arrived_at < q.period.end,
                               Visit.voided_at.is_(None))
    if q.desk_id is not None:
        stmt = stmt.where(Visit.desk_id == q.desk_id)
    return stmt.order_by(Visit.arrived_at, Visit.id)


def _calls(q: Query):
    stmt = select(Call).where(Call.started_at >= q.period.start, Call.started_at < q.period.end,
                              Call.voided_at.is_(None), Call.direction == "in")
    if q.desk_id is not None:
        stmt = stmt.where(Call.desk_id == q.desk_id)
    return stmt.order_by(Call.started_at, Call.id)


def rows(session: Session, q: Query) -> Iterator[list]:
    who = staff(session)
    total = counted(session, _visits(q)) + counted(session, _calls(q))
    lang = q.t.language
    lab = q.labels

    def visit_rows():
        for (v,) in session.execute(_visits(q).execution_options(yield_per=BATCH)):
            # DOMAIN §1: those kept waiting are apologised to
            mark = lab.marks("apology" if v.apology_shown_at and not v.apology_ack_at else None)
            yield v.arrived_at, 0, v.id, [v.arrived_at, *coded(lab, [
                ("way", "visit"), (None, address(v.name, v.honorific, lang)), (None, v.unit),
                (None, mask(v.phone, unmasked=q.unmasked)), ("purpose", v.purpose), (None, v.host), (None, v.note),
                ("visit_status", v.status), (None, who.get(v.operator_id, "")), (None, mark)])]

    def call_rows():
        for (c,) in session.execute(_calls(q).execution_options(yield_per=BATCH)):
            # DOMAIN §2: answered before the third ring; a missed call is called back
            late = "late" if c.answered_at and c.within_limit is False else None
            missed = "missed" if c.status == "missed" and not c.returned_at else None
            result = c.outcome or c.status
            group = "call_outcome" if c.outcome else "call_status"
            yield c.started_at, 1, c.id, [c.started_at, *coded(lab, [
                ("way", "call"), (None, address(c.caller_name, c.honorific, lang)), (None, c.unit),
                (None, mask(c.phone, unmasked=q.unmasked)), ("call_category", c.category), (None, c.message_for),
                (None, c.summary), (group, result), (None, who.get(c.operator_id, "")),
                (None, lab.marks(late, missed))])]

    done = 0
    for _, _, _, row in heapq.merge(visit_rows(), call_rows(), key=lambda r: r[:3]):
        done += 1
        if done % 200 == 0 or done == total:
            q.step(done, total)
        yield row  # at | the columns people read | the codes of way, matter, result


REPORT = Report("call-visit-register", (
    Column("at"), Column("way", code=True), Column("name"), Column("unit"), Column("phone"),
    Column("matter", code=True), Column("host"), Column("content"), Column("result", code=True),
    Column("staff"), Column("mark")), rows)
