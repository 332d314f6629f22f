"""The follow-up call task (回访, DOMAIN §3) a resolved ticket gets: one open task per ticket.

Created by resolving (actions.py); done by recording the call (followups.py).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from deskconsole.models import FollowUp, Ticket
from deskconsole.services import audit
from deskconsole.services.context import Actor
from deskconsole.services.sla import SLARules


def create_for(session: Session, actor: Actor, ticket: Ticket, rules: SLARules) -> FollowUp:
    """The follow-up task of a just-resolved ticket (the open one if it has one already)."""
    pending = pending_for(session, ticket.id)
    if pending is not None:
        return pending
    now = actor.clock.now()
    fu = FollowUp(ticket_id=ticket.id, created_at=now, due_at=rules.follow_up_due(now))
    session.add(fu)
    session.flush()
    audit.record_for(session, actor, "create", "follow_up", fu.id, None, {"ticket_id": ticket.id})
    return fu


def pending_for(session: Session, ticket_id: int) -> FollowUp | None:
    return session.execute(
        select(FollowUp).where(FollowUp.ticket_id == ticket_id, FollowUp.done_at.is_(None))
        .order_by(FollowUp.id.desc()).limit(1)
    ).scalar_one_or_none()
