"""客服组工作统计表 (003 §6.2, DOMAIN §6): the desk's work per site-local day and operator:
visitors received, calls (incoming, answered, within three rings, missed, outgoing), tickets
opened and complaints among them, follow-up calls made, inspections of their work; a total
line last.

Every figure is counted as the summary counts it (same tables, time columns and filters; a
ticket is its first owner's, 首问负责; a follow-up the caller's; an inspection the inspected
operator's), so the total line equals `deskconsole summary` for the same period and desk."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from sqlalchemy import select
from sqlmodel import Session

from deskconsole.models import Call, EtiquetteCheck, FollowUp, Ticket, Visit
from deskconsole.services.reports.spec import Column, Query, Report, staff

BATCH = 5000
FIGURES = ("visits", "calls_in", "answered", "within_three_rings", "missed", "calls_out", "tickets_opened",
           "complaints", "follow_ups_done", "inspections")


def _sources(q: Query) -> list:
    p, desk = q.period, q.desk_id

    def on_desk(stmt, column):
        return stmt if desk is None else stmt.where(column == desk)

    visits = on_desk(select(Visit.arrived_at, Visit.operator_id).where(
        Visit.arrived_at >= p.start, Visit.arrived_at < p.end, Visit.voided_at.is_(None)), Visit.desk_id)
    calls = on_desk(select(Call.started_at, Call.operator_id, Call.direction, Call.answered_at, Call.within_limit,
                           Call.status, Call.returned_at).where(
        Call.started_at >= p.start, Call.started_at < p.end, Call.voided_at.is_(None)), Call.desk_id)
    tickets = on_desk(select(Ticket.created_at, Ticket.first_owner_id, Ticket.kind).where(
        Ticket.created_at >= p.start, Ticket.created_at < p.end), Ticket.desk_id)
    follow_ups = select(FollowUp.done_at, FollowUp.operator_id).where(
        FollowUp.done_at >= p.start, FollowUp.done_at < p.end)
    if desk is not None:
        follow_ups = follow_ups.join(Ticket, Ticket.id == FollowUp.ticket_id).where(Ticket.desk_id == desk)
    checks = on_desk(select(EtiquetteCheck.at, EtiquetteCheck.operator_id).where(
        EtiquetteCheck.at >= p.start, EtiquetteCheck.at < p.end, EtiquetteCheck.kind != "self",
        EtiquetteCheck.skipped.is_(False)), EtiquetteCheck.desk_id)
    return [("visits", visits), ("calls", calls), ("tickets", tickets), ("follow_ups", follow_ups),
            ("inspections", checks)]


def _count(kind: str, row, c: Counter) -> None:
    if kind == "visits":
        c["visits"] += 1
    elif kind == "calls":
        _, _, direction, answered_at, within, status, returned_at = row
        if direction == "out":
            c["calls_out"] += 1
            return
        c["calls_in"] += 1
        if answered_at is not None:
            c["answered"] += 1
            c["within_three_rings"] += within is True
        elif status == "missed":
            c["missed"] += 1
            c["missed_not_returned"] += returned_at is None
    elif kind == "tickets":
        c["tickets_opened"] += 1
        c["complaints"] += row[2] == "complaint"
    elif kind == "follow_ups":
        c["follow_ups_done"] += 1
    else:
        c["inspections"] += 1


def rows(session: Session, q: Query) -> Iterator[list]:
    who = staff(session)
    tz = q.period.tz
    cells: dict[tuple, Counter] = {}
    sources = _sources(q)
    for done, (kind, stmt) in enumerate(sources):
        q.step(done, len(sources))
        for row in session.execute(stmt.execution_options(yield_per=BATCH)):
            key = (row[0].astimezone(tz).date(), row[1])
            _count(kind, row, cells.setdefault(key, Counter()))
    q.step(len(sources), len(sources))
    total: Counter = Counter()
    for (day, op_id) in sorted(cells, key=lambda k: (k[0], who.get(k[1], ""))):
        c = cells[(day, op_id)]
        total.update(c)
        yield [day, who.get(op_id, "") if op_id else "", *(c[f] for f in FIGURES), _marks(q, c)]
    yield [q.t("report.total"), "", *(total[f] for f in FIGURES), _marks(q, total)]


def _marks(q: Query, c: Counter) -> str:
    # DOMAIN §2: answered before the third ring; a missed call is called back
    return q.labels.marks("late" if c["answered"] > c["within_three_rings"] else None,
                          "missed" if c["missed_not_returned"] else None)


REPORT = Report("work-statistics", (Column("day"), Column("staff"), *(Column(f) for f in FIGURES),
                                    Column("mark")), rows)
