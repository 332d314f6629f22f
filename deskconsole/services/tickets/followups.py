"""Follow-up calls (回访, DOMAIN §3, 001 §5.2.5.5.2, 003 §9.0): after a request is handled,
call the customer back and record satisfaction. Resolving a ticket creates the task; doing
it records the outgoing call in the phone register, the satisfaction and a comment.
A dissatisfied customer's ticket is reopened, or escalated to the manager: the receptionist
chooses.
"""

from __future__ import annotations

from sqlmodel import Session

from deskconsole.models import FollowUp, Ticket
from deskconsole.models.tickets import SATISFACTION
from deskconsole.services import audit
from deskconsole.services.calls import log_outgoing
from deskconsole.services.context import Actor
from deskconsole.services.sla import SLARules
from deskconsole.services.text import clean_optional
from deskconsole.services.tickets.actions import reopen
from deskconsole.services.tickets.follow_up_tasks import create_for, pending_for
from deskconsole.services.tickets.history import (
    append_event,
    get_for_update,
    save_audited,
    set_status,
    snapshot,
)
from deskconsole.services.tickets.placed_calls import placed_call
from deskconsole.services.tickets.workflow import TicketError

DISSATISFIED_CHOICES = ("reopen", "escalate")


def record(session: Session, actor: Actor, ticket_id: int, *, satisfaction: str, comment: str = "",
           if_dissatisfied: str | None = None, reason: str = "", log_call: bool = True,
           rules: SLARules) -> FollowUp:
    """Record the follow-up call. Satisfied (or neutral): the ticket is followed up and may be
    closed. Dissatisfied: `if_dissatisfied` is 'reopen' or 'escalate' (with `reason`)."""
    ticket = get_for_update(session, ticket_id)
    if ticket.status != "resolved":
        raise TicketError("tickets.error.transition", action="tickets.action.follow_up",
                          status=f"tickets.status.{ticket.status}")
    fu = pending_for(session, ticket.id)
    if fu is None:  # resolved before follow-ups existed, or the task was lost: make it now
        fu = create_for(session, actor, ticket, rules)
    if satisfaction not in SATISFACTION:
        raise TicketError("tickets.error.choice", field="ticket_satisfaction", label="field.ticket_satisfaction")
    comment = clean_optional(comment, field="ticket_comment", limit=1000, multiline=True)
    dissatisfied = satisfaction == "dissatisfied"
    if dissatisfied and if_dissatisfied not in DISSATISFIED_CHOICES:
        raise TicketError("tickets.error.dissatisfied_choice", field="ticket_next")
    if dissatisfied and not (reason or comment or "").strip():
        raise TicketError("error.required", field="ticket_reason", label="field.ticket_reason")
    now = actor.clock.now()
    # a call the phone system already logged to this customer (placed_calls) is this one
    call_id = placed_call(session, actor, fu, ticket, comment or "") if log_call else None
    if call_id is None and log_call and ticket.phone:
        call_id = _log_call(session, actor, ticket, comment or "")
    before = snapshot(ticket)
    fu.done_at, fu.satisfaction, fu.comment, fu.call_id, fu.operator_id, fu.shift_id = (
        now, satisfaction, comment, call_id, actor.operator_id, actor.shift_id)
    ticket.satisfaction = satisfaction
    append_event(session, actor, ticket, "follow_up", new=satisfaction, note=comment)
    if not dissatisfied:
        fu.outcome = "followed_up"
        set_status(session, actor, ticket, "follow_up")
        ticket.followed_up_at = now
        session.add(fu)
        save_audited(session, actor, ticket, "follow_up", before)
    else:
        session.add(fu)
        session.flush()
        why = (reason or comment).strip()
        reopen(session, actor, ticket.id, reason=why, rules=rules)
        fu.outcome = "reopened"
        if if_dissatisfied == "escalate":
            # DOMAIN §3: what cannot be solved goes up to the manager, again if need be.
            ticket.escalated_at, ticket.escalation_reason = now, why[:500]
            append_event(session, actor, ticket, "escalate", note=why)
            save_audited(session, actor, ticket, "escalate", before)
            fu.outcome = "escalated"
        session.add(fu)
    session.flush()
    audit.record_for(session, actor, "update", "follow_up", fu.id, None,
                     {"satisfaction": satisfaction, "outcome": fu.outcome, "call_id": call_id})
    return fu


def _log_call(session: Session, actor: Actor, ticket: Ticket, comment: str) -> int:
    """The follow-up is an outgoing call in the phone register (DOMAIN §2: register every call)."""
    call = log_outgoing(session, actor, phone=ticket.phone, caller_name=ticket.customer_name,
                        honorific=ticket.honorific, unit=ticket.unit,
                        summary=f"#{ticket.id} {comment}".strip()[:1000])
    return call.id


__all__ = ["DISSATISFIED_CHOICES", "create_for", "pending_for", "record"]
