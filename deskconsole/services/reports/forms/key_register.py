"""钥匙借(领)用登记表 (003 §6.54, DOMAIN §3): every key lent in the period, oldest first, one
line each: when lent, the key (code and name from the key catalogue), its unit, who took it
(name, company, phone masked, staff or contractor), the purpose, the repair ticket, when due
back, when returned and to whom, the return note, who lent it, and a mark when it came back
late or is still out past its due time.

Chosen as the summary counts them (`lent_at` in the period, void lines left out, the desk's
when one is given): the rows add up to the summary's `registers.keys_lent`."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlmodel import Session

from deskconsole.models import KeyLoan
from deskconsole.services.phone_numbers import mask
from deskconsole.services.registers import rules as register_rules
from deskconsole.services.reports.spec import Column, Query, Report, coded, counted, staff

BATCH = 2000


def _loans(q: Query):
    stmt = select(KeyLoan).where(KeyLoan.lent_at >= q.period.start, KeyLoan.lent_at < q.period.end,
                                 KeyLoan.voided_at.is_(None))
    if q.desk_id is not None:
        stmt = stmt.where(KeyLoan.desk_id == q.desk_id)
    return stmt.order_by(KeyLoan.lent_at, KeyLoan.id)


def key_names(language: str) -> dict[str, str]:
    try:
        return {code: spec.label(language) for code, spec in register_rules.keys().items()}
    except Exception:  # noqa: BLE001 - a broken company catalogue must not stop a report
        return {}


def rows(session: Session, q: Query) -> Iterator[list]:
    who = staff(session)
    names = key_names(q.t.language)
    total = counted(session, _loans(q))
    lab = q.labels
    for done, (k,) in enumerate(session.execute(_loans(q).execution_options(yield_per=BATCH)), start=1):
        # DOMAIN §3: a key comes back by its due time
        late = (k.returned_at or q.period.as_of) > k.due_at
        yield [k.lent_at, *coded(lab, [
            (None, k.key_code), (None, names.get(k.key_code, "")), (None, k.unit), (None, k.name),
            (None, k.company), (None, mask(k.phone, unmasked=q.unmasked)), ("register_kind", k.borrower_kind),
            (None, k.purpose), (None, k.ticket_id), (None, k.due_at), (None, k.returned_at),
            (None, who.get(k.returned_to, "") if k.returned_to else ""), (None, k.return_note),
            (None, who.get(k.operator_id, "")), (None, lab.marks("overdue" if late else None))])]
        if done % 200 == 0 or done == total:
            q.step(done, total)


REPORT = Report("key-register", (
    Column("lent_at"), Column("key_code"), Column("key_name"), Column("unit"), Column("borrower"),
    Column("company"), Column("phone"), Column("borrower_kind", code=True), Column("purpose"), Column("ticket"),
    Column("due_back"), Column("returned_at"), Column("returned_to"), Column("return_note"),
    Column("staff"), Column("mark")), rows)
