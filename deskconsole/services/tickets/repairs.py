"""The in-home repair flow on a repair ticket (DOMAIN §3, 001 §5.2.5.4: 业主户内维修): receive
the order, agree the visit time, confirm work and fee with the owner, repair, clean up, owner
signs and pays, return the order with the fee to finance, archive. The steps (data/
repair_steps.toml) are ticked in order, once the ticket is assigned or in progress; a step
may be skipped only with a reason; the last step resolves the ticket (and
so opens its follow-up call). The fee is a Decimal with a currency, never a float.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlmodel import Session

from deskconsole import catalogs
from deskconsole.models import RepairStep
from deskconsole.services.context import Actor
from deskconsole.services.sla import SLARules
from deskconsole.services.text import clean_optional
from deskconsole.services.tickets.follow_up_tasks import create_for as open_follow_up
from deskconsole.services.tickets.history import (
    append_event,
    get_for_update,
    save_audited,
    set_status,
    snapshot,
)
from deskconsole.services.tickets.progress_calls import stop_for as stop_progress_calls
from deskconsole.services.tickets.workflow import TicketError, target


def repair_steps() -> list[dict]:
    return list(catalogs.load("repair_steps.toml").get("step", []))


def parse_fee(raw: str | None) -> Decimal | None:
    """'120' / '120.5' / '¥120.50' -> Decimal('120.50'). Never a float (repair flow)."""
    text = (raw or "").strip().lstrip("¥￥$").replace(",", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise TicketError("tickets.error.fee", field="ticket_fee") from None
    if not value.is_finite() or value < 0 or value >= Decimal("10000000000") or value != value.quantize(Decimal("0.01")):
        raise TicketError("tickets.error.fee", field="ticket_fee")
    return value.quantize(Decimal("0.01"))


def tick_repair_step(session: Session, actor: Actor, ticket_id: int, *, note: str | None = None,
                     fee: str | None = None, currency: str = "CNY", skip: bool = False,
                     rules: SLARules) -> str:
    """Tick (or, with a reason in `note`, skip) the next in-home repair step (DOMAIN §3,
    001 §5.2.5.4), in order. Returns its code."""
    ticket = get_for_update(session, ticket_id)
    if ticket.kind != "repair":
        raise TicketError("tickets.error.not_repair")
    target("repair_step", ticket.status)
    done = set(session.execute(select(RepairStep.step).where(RepairStep.ticket_id == ticket.id)).scalars())
    pending = [row for row in repair_steps() if row["code"] not in done]
    if not pending:
        raise TicketError("tickets.error.steps_done")
    step = pending[0]
    note = clean_optional(note, field="ticket_note", limit=200)
    if skip and not note:
        raise TicketError("tickets.error.skip_reason", field="ticket_note")
    before = snapshot(ticket)
    if step.get("fee") and not skip:
        amount = parse_fee(fee)
        if amount is None:
            raise TicketError("error.required", field="ticket_fee", label="field.ticket_fee")
        currency = (currency or "CNY").strip().upper()
        if len(currency) != 3 or not currency.isascii() or not currency.isalpha():
            raise TicketError("tickets.error.currency", field="ticket_currency")
        append_event(session, actor, ticket, "field", field="fee", old=ticket.fee_amount,
               new=f"{amount} {currency}")
        ticket.fee_amount, ticket.fee_currency = amount, currency
    session.add(RepairStep(ticket_id=ticket.id, step=step["code"], done_at=actor.clock.now(),
                           operator_id=actor.operator_id, note=note, skipped=skip))
    append_event(session, actor, ticket, "repair", field="skipped" if skip else None, new=step["code"], note=note)
    if len(pending) == 1:  # the last step: the repair is done; the follow-up call is due
        set_status(session, actor, ticket, "resolve", note=note)
        ticket.resolved_at = actor.clock.now()
        stop_progress_calls(session, actor, ticket)
        if rules.needs_follow_up(ticket.kind):
            open_follow_up(session, actor, ticket, rules)
    save_audited(session, actor, ticket, "repair_step", before)
    return step["code"]
