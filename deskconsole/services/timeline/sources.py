"""The timeline's sources: one function per kind of record, (session, target, bound, limit)
-> entries newest first. Each reads its table by the (unit|phone, time, id) index, bounded by
the cursor, and stops at `limit`. Add a register by appending (name, function) to SOURCES;
the name is the Entry.source its lines carry and the rank is its place in the list."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlmodel import Session

from deskconsole.models import Call, FollowUp, GoodsRelease, KeyLoan, Ticket, Visit, WatchHit
from deskconsole.services.timeline import Bound, Entry, Target


def visits(session: Session, target: Target, bound: Bound, limit: int) -> list[Entry]:
    q = (select(Visit.id, Visit.arrived_at, Visit.name, Visit.honorific, Visit.phone, Visit.unit,
                Visit.status, Visit.purpose, Visit.host)
         .where(target.column(Visit), Visit.voided_at.is_(None)))
    q = bound.apply(q, Visit.arrived_at, Visit.id).order_by(Visit.arrived_at.desc(), Visit.id.desc()).limit(limit)
    return [Entry(r.arrived_at, "visit", r.id, "visit", r.name, r.phone, r.unit,
                  f"reception.status.{r.status}", r.host or "", {"purpose": r.purpose, "honorific": r.honorific})
            for r in session.execute(q)]


def calls(session: Session, target: Target, bound: Bound, limit: int) -> list[Entry]:
    q = (select(Call.id, Call.started_at, Call.direction, Call.status, Call.caller_name, Call.phone, Call.unit,
                Call.summary, Call.outcome)
         .where(target.column(Call), Call.voided_at.is_(None)))
    q = bound.apply(q, Call.started_at, Call.id).order_by(Call.started_at.desc(), Call.id.desc()).limit(limit)
    out = []
    for r in session.execute(q):
        kind = "call_out" if r.direction == "out" else "call_missed" if r.status == "missed" else "call_in"
        out.append(Entry(r.started_at, "call", r.id, kind, r.caller_name, r.phone, r.unit,
                         f"phone.outcome.{r.outcome}" if r.outcome else "", r.summary or ""))
    return out


def tickets(session: Session, target: Target, bound: Bound, limit: int) -> list[Entry]:
    q = (select(Ticket.id, Ticket.created_at, Ticket.kind, Ticket.status, Ticket.customer_name, Ticket.phone,
                Ticket.unit, Ticket.description, Ticket.department, Ticket.due_at)
         .where(target.column(Ticket)))
    q = bound.apply(q, Ticket.created_at, Ticket.id).order_by(Ticket.created_at.desc(), Ticket.id.desc()).limit(limit)
    return [Entry(r.created_at, "ticket", r.id, "ticket", r.customer_name, r.phone, r.unit,
                  f"tickets.status.{r.status}", r.description,
                  {"ticket_kind": r.kind, "department": r.department, "due_at": r.due_at})
            for r in session.execute(q)]


def follow_ups(session: Session, target: Target, bound: Bound, limit: int) -> list[Entry]:
    """Follow-up calls made (回访, DOMAIN §3) on the target's tickets, with the satisfaction
    recorded. Reached through the target's tickets (a unit has tens, not thousands)."""
    q = (select(FollowUp.id, FollowUp.done_at, FollowUp.satisfaction, FollowUp.outcome, FollowUp.comment,
                FollowUp.ticket_id, Ticket.customer_name, Ticket.phone, Ticket.unit)
         .join(Ticket, Ticket.id == FollowUp.ticket_id)
         .where(target.column(Ticket), FollowUp.done_at.is_not(None)))
    q = bound.apply(q, FollowUp.done_at, FollowUp.id).order_by(FollowUp.done_at.desc(), FollowUp.id.desc()).limit(limit)
    return [Entry(r.done_at, "follow_up", r.id, "follow_up", r.customer_name, r.phone, r.unit,
                  f"tickets.satisfaction.{r.satisfaction}" if r.satisfaction else "", r.comment or "",
                  {"ticket_id": r.ticket_id, "outcome": r.outcome})
            for r in session.execute(q)]


def watch_hits(session: Session, target: Target, bound: Bound, limit: int) -> list[Entry]:
    q = (select(WatchHit.id, WatchHit.at, WatchHit.place, WatchHit.action, WatchHit.name, WatchHit.phone,
                WatchHit.unit, WatchHit.entry_id)
         .where(target.column(WatchHit)))
    q = bound.apply(q, WatchHit.at, WatchHit.id).order_by(WatchHit.at.desc(), WatchHit.id.desc()).limit(limit)
    return [Entry(r.at, "watch_hit", r.id, "watch_hit", r.name, r.phone, r.unit, f"watch.action.{r.action}",
                  "", {"place": r.place, "entry_id": r.entry_id})
            for r in session.execute(q)]


def key_loans(session: Session, target: Target, bound: Bound, limit: int) -> list[Entry]:
    """Keys lent (钥匙借用, DOMAIN §3) for the unit or to the number: who took it, and whether it
    came back."""
    q = (select(KeyLoan.id, KeyLoan.lent_at, KeyLoan.key_code, KeyLoan.name, KeyLoan.phone, KeyLoan.unit,
                KeyLoan.purpose, KeyLoan.returned_at, KeyLoan.ticket_id)
         .where(target.column(KeyLoan), KeyLoan.voided_at.is_(None)))
    q = bound.apply(q, KeyLoan.lent_at, KeyLoan.id).order_by(KeyLoan.lent_at.desc(), KeyLoan.id.desc()).limit(limit)
    return [Entry(r.lent_at, "key_loan", r.id, "key_loan", r.name, r.phone, r.unit,
                  "timeline.key_state." + ("returned" if r.returned_at else "out"), f"{r.key_code} {r.purpose}",
                  {"ticket_id": r.ticket_id})
            for r in session.execute(q)]


def goods_releases(session: Session, target: Target, bound: Bound, limit: int) -> list[Entry]:
    """Goods releases (物品放行) issued for the unit or to the number, with their number."""
    q = (select(GoodsRelease.id, GoodsRelease.issued_at, GoodsRelease.number, GoodsRelease.name,
                GoodsRelease.phone, GoodsRelease.unit, GoodsRelease.items, GoodsRelease.voided_at)
         .where(target.column(GoodsRelease), GoodsRelease.voided_at.is_(None)))
    q = bound.apply(q, GoodsRelease.issued_at, GoodsRelease.id).order_by(
        GoodsRelease.issued_at.desc(), GoodsRelease.id.desc()).limit(limit)
    return [Entry(r.issued_at, "goods_release", r.id, "goods_release", r.name, r.phone, r.unit, "",
                  f"{r.number or ''} {r.items}".strip())
            for r in session.execute(q)]


Source = Callable[[Session, Target, Bound, int], list[Entry]]
SOURCES: list[tuple[str, Source]] = [
    ("visit", visits),
    ("call", calls),
    ("ticket", tickets),
    ("follow_up", follow_ups),
    ("watch_hit", watch_hits),
    ("key_loan", key_loans),
    ("goods_release", goods_releases),
]
