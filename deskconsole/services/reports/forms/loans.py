"""便民雨伞/小推车领用登记表 (003 §6.47, DOMAIN §3): every umbrella, trolley or other loan item
lent in the period, oldest first, one line each: when lent, the item, who took it (name, unit,
phone masked), the deposit or the ID held or seen, who lent it, when it came back and to
whom, whether the deposit was refunded.

Chosen as the summary counts them (`lent_at` in the period, void lines left out, the desk's
when one is given): the rows add up to the summary's `registers.items_lent`."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlmodel import Session

from deskconsole.models import ItemLoan
from deskconsole.services.phone_numbers import mask
from deskconsole.services.registers import rules as register_rules
from deskconsole.services.reports.spec import Column, Query, Report, counted, staff

BATCH = 2000


def _loans(q: Query):
    stmt = select(ItemLoan).where(ItemLoan.lent_at >= q.period.start, ItemLoan.lent_at < q.period.end,
                                  ItemLoan.voided_at.is_(None))
    if q.desk_id is not None:
        stmt = stmt.where(ItemLoan.desk_id == q.desk_id)
    return stmt.order_by(ItemLoan.lent_at, ItemLoan.id)


def item_names(language: str) -> dict[str, str]:
    try:
        return {code: spec.label(language) for code, spec in register_rules.items().items()}
    except Exception:  # noqa: BLE001 - a broken company catalogue must not stop a report
        return {}


def rows(session: Session, q: Query) -> Iterator[list]:
    who = staff(session)
    names = item_names(q.t.language)
    total = counted(session, _loans(q))
    lab = q.labels
    for done, (i,) in enumerate(session.execute(_loans(q).execution_options(yield_per=BATCH)), start=1):
        refunded = i.deposit_refunded if i.deposit is not None and i.returned_at is not None else None
        yield [i.lent_at, names.get(i.item_code, i.item_code), i.name, i.unit,
               mask(i.phone, unmasked=q.unmasked), float(i.deposit) if i.deposit is not None else None,
               i.id_note, who.get(i.operator_id, ""), i.returned_at,
               who.get(i.returned_to, "") if i.returned_to else "",
               lab.of("yes_no", refunded) if refunded is not None else "",
               i.item_code]  # the columns people read | the item's code
        if done % 200 == 0 or done == total:
            q.step(done, total)


REPORT = Report("loans", (
    Column("lent_at"), Column("item", code=True), Column("borrower"), Column("unit"), Column("phone"),
    Column("deposit"), Column("id_note"), Column("staff"), Column("returned_at"), Column("returned_to"),
    Column("deposit_refunded")), rows)
