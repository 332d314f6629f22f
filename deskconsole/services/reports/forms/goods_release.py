"""物品放行申请表 (003 §6.13, DOMAIN §3): every goods release issued in the period, oldest
first, one line each: the release number security checks, when issued, the unit, the applicant
(name, owner or tenant, phone masked), the owner's confirmation (who and how), the items, the
vehicle plate, the day it is good for, who issued it, when the gate last checked it and how
many times.

Chosen as the summary counts them (`issued_at` in the period, void releases left out, the
desk's when one is given): the rows add up to the summary's `registers.releases_issued`."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlmodel import Session

from deskconsole.models import GoodsRelease
from deskconsole.services.phone_numbers import mask
from deskconsole.services.reports.spec import Column, Query, Report, coded, counted, staff

BATCH = 2000


def _releases(q: Query):
    stmt = select(GoodsRelease).where(GoodsRelease.issued_at >= q.period.start,
                                      GoodsRelease.issued_at < q.period.end, GoodsRelease.voided_at.is_(None))
    if q.desk_id is not None:
        stmt = stmt.where(GoodsRelease.desk_id == q.desk_id)
    return stmt.order_by(GoodsRelease.issued_at, GoodsRelease.id)


def rows(session: Session, q: Query) -> Iterator[list]:
    who = staff(session)
    total = counted(session, _releases(q))
    lab = q.labels
    for done, (g,) in enumerate(session.execute(_releases(q).execution_options(yield_per=BATCH)), start=1):
        yield [g.number, g.issued_at, *coded(lab, [
            (None, g.unit), (None, g.name), ("register_kind", g.applicant_kind),
            (None, mask(g.phone, unmasked=q.unmasked)), (None, g.confirmed_by), ("register_kind", g.confirmed_how),
            (None, g.items), (None, g.vehicle_plate), (None, g.valid_on), (None, who.get(g.operator_id, "")),
            (None, g.checked_at), (None, g.check_count)])]
        if done % 200 == 0 or done == total:
            q.step(done, total)


REPORT = Report("goods-release", (
    Column("release_no"), Column("issued_at"), Column("unit"), Column("applicant"),
    Column("applicant_kind", code=True), Column("phone"), Column("confirmed_by"), Column("confirmed_how", code=True),
    Column("items"), Column("vehicle_plate"), Column("valid_on"), Column("issued_by"), Column("gate_checked_at"),
    Column("gate_checks")), rows)
