"""Calls as the phone system reports them (DOMAIN §2): ring, answer and hang-up with the PBX's
own times, so ring times and "within three rings" are exact instead of key-timed lower bounds.

Every event names the PBX's call id (`Call.pbx_call_id`, unique): an event replayed (a feed
that retries, a reconnect that reports a call again) finds its row and changes nothing it
already knows; a key pressed for a call just before the PBX reported it is adopted by the
PBX's ring instead of making a second row. The feeds (services/cti_http.py, services/ami.py)
turn their own formats into a `PbxEvent`; services/ring_lines.PhoneEvents.feed writes it here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from deskconsole.cadence import Cadence
from deskconsole.models import Call
from deskconsole.services import audit, phone_numbers, text
from deskconsole.services.context import Actor
from deskconsole.services.errors import DeskError

KINDS = ("ring", "answer", "hangup", "outgoing")
# A key-started call (F7 with nothing ringing) this close before the PBX's ring is that call.
ADOPT_WINDOW = timedelta(seconds=30)
MISSED_CAUSES = ("noanswer", "cancel", "busy", "")


@dataclass(frozen=True)
class PbxEvent:
    kind: str  # ring | answer | hangup (incoming) | outgoing (reported once, at its end)
    call_id: str  # the PBX's id of the call
    at: datetime  # the PBX's time of the event (aware UTC)
    number: str = ""  # the caller's number (CallerIDNum / `from`); outgoing: the number called
    name: str = ""  # the caller's name as the PBX knows it (CallerIDName)
    neighbour: bool = False  # answered at a neighbour's extension, not at this desk
    cause: str = ""
    # False: the time is only as good as "now" (a call found under way after a reconnect):
    # it never replaces an exact time already stored.
    exact: bool = True
    # outgoing, when the feed knows them (AMI): dialled and answered (None: not answered);
    # without `started` the call is logged at `at` alone (the HTTP feed's hang-up).
    started: datetime | None = None
    answered: datetime | None = None


def _snap(call: Call) -> dict:
    return {k: getattr(call, k) for k in ("status", "rings", "within_limit", "answer_seconds", "source",
                                          "pbx_call_id", "covering_neighbour")}


def by_pbx_id(session: Session, pbx_call_id: str) -> Call | None:
    return session.execute(select(Call).where(Call.pbx_call_id == pbx_call_id)).scalar_one_or_none()


def _number(raw: str) -> str | None:
    try:
        return phone_numbers.normalise(raw, field="phone")
    except DeskError:
        return None  # an anonymous or odd caller id: the call is still registered


def _seconds(call: Call, at: datetime) -> float:
    return max((at - call.started_at).total_seconds(), 0.0)


def _adoptable(session: Session, actor: Actor, at: datetime) -> Call | None:
    """A call started by a key at this desk, not yet known to the PBX, begun just before."""
    return session.execute(
        select(Call).where(Call.desk_id == actor.desk_id, Call.direction == "in", Call.pbx_call_id.is_(None),
                           Call.status.in_(("ringing", "answered")), Call.voided_at.is_(None),
                           Call.started_at >= at - ADOPT_WINDOW, Call.started_at <= at + ADOPT_WINDOW)
        .order_by(Call.started_at.desc()).limit(1)).scalar_one_or_none()


def pbx_ring(session: Session, actor: Actor, ev: PbxEvent, *, line: str = "1") -> tuple[Call, bool]:
    """The desk phone began to ring at `ev.at`. Returns (call, new): a call the PBX already
    reported is returned as it is; a key-started one is adopted and gets the exact start."""
    call = by_pbx_id(session, ev.call_id)
    if call is not None:
        return call, False
    number, name = _number(ev.number), text.clean(ev.name[:64], field="caller_name", limit=64)
    call = _adoptable(session, actor, ev.at)
    if call is not None:
        before = _snap(call)
        call.pbx_call_id, call.source, call.started_at = ev.call_id, "pbx", min(ev.at, call.started_at)
        call.phone = call.phone or number
        call.caller_name = call.caller_name or name
        session.add(call)
        audit.record_for(session, actor, "update", "call", call.id, before, _snap(call))
        return call, False
    call = Call(direction="in", line=text.clean(line, field="line", limit=16) or "1", status="ringing",
                started_at=ev.at, source="pbx", pbx_call_id=ev.call_id, phone=number, caller_name=name,
                **actor.stamps())
    session.add(call)
    session.flush()
    audit.record_for(session, actor, "create", "call", call.id, after=_snap(call))
    return call, True


def pbx_answer(session: Session, actor: Actor, ev: PbxEvent, *, cadence: Cadence, limit: int,
               line: str = "1") -> Call:
    """Picked up at `ev.at` (here, or at a neighbour's extension: covered by a neighbour). A
    call answered by F7 first gets the PBX's exact answer time; an ended call is left alone."""
    call, _new = pbx_ring(session, actor, ev, line=line)
    if call.status not in ("ringing", "answered") or (call.status == "answered" and
                                                     (call.answered_at == ev.at or not ev.exact)):
        return call  # a replay, or the answer of a call that already ended
    before = _snap(call)
    elapsed = _seconds(call, ev.at)
    call.status, call.answered_at, call.source = "answered", ev.at, "pbx"
    call.answer_seconds = round(elapsed, 3)
    call.rings = cadence.ring_number(elapsed)
    call.within_limit = call.rings <= limit
    call.covering_neighbour = call.covering_neighbour or ev.neighbour
    session.add(call)
    audit.record_for(session, actor, "answer", "call", call.id, before, _snap(call))
    return call


def pbx_hangup(session: Session, actor: Actor, ev: PbxEvent, *, cadence: Cadence) -> Call | None:
    """Ended at `ev.at`: still ringing means missed (the number is kept for the callback);
    answered means ended. Unknown or already ended: nothing changes (None when unknown)."""
    call = by_pbx_id(session, ev.call_id)
    if call is None or call.status not in ("ringing", "answered"):
        return call
    before = _snap(call)
    call.ended_at = max(ev.at, call.started_at)
    if call.status == "ringing":
        call.status = "missed"
        call.rings = cadence.ring_number(_seconds(call, ev.at))
        call.within_limit = False
        action = "missed"
    else:
        call.status = "ended"
        action = "hang_up"
    session.add(call)
    audit.record_for(session, actor, action, "call", call.id, before, _snap(call))
    return call


def pbx_outgoing(session: Session, actor: Actor, ev: PbxEvent) -> Call:
    """An outgoing call the PBX saw from the desk's extension (reported at its hang-up): logged
    once, and linked to the unreturned missed call from that number, which it answers."""
    call = by_pbx_id(session, ev.call_id)
    if call is not None:
        return call
    from deskconsole.services.calls import MISSED_WINDOW
    from deskconsole.services.tickets import placed_calls

    number = _number(ev.number)
    missed = None if number is None else session.execute(
        select(Call).where(Call.phone == number, Call.direction == "in", Call.status == "missed",
                           Call.returned_at.is_(None), Call.voided_at.is_(None),
                           Call.started_at >= ev.at - MISSED_WINDOW)
        .order_by(Call.started_at.desc()).limit(1)).scalar_one_or_none()
    started = min(ev.started, ev.at) if ev.started is not None else ev.at
    answered = ev.at if ev.started is None else ev.answered
    call = Call(direction="out", status="ended", started_at=started, answered_at=answered, ended_at=ev.at,
                source="pbx", pbx_call_id=ev.call_id, phone=number,
                returns_call_id=missed.id if missed else None, **actor.stamps())
    session.add(call)
    session.flush()
    # DOMAIN §3: a call to a customer whose follow-up / progress call waits is that call
    # (linked, not done: the receptionist still records what was said).
    placed_calls.link_outgoing(session, actor, call)
    audit.record_for(session, actor, "create", "call", call.id, after=_snap(call))
    if missed is not None:
        missed.returned_at = started
        session.add(missed)
        audit.record_for(session, actor, "returned", "call", missed.id, {"returned_at": None},
                         {"returned_at": missed.returned_at, "by_call": call.id})
    return call


def apply(session: Session, actor: Actor, ev: PbxEvent, *, cadence: Cadence, limit: int,
          line: str = "1") -> Call | None:
    if ev.kind == "ring":
        return pbx_ring(session, actor, ev, line=line)[0]
    if ev.kind == "answer":
        return pbx_answer(session, actor, ev, cadence=cadence, limit=limit, line=line)
    if ev.kind == "hangup":
        return pbx_hangup(session, actor, ev, cadence=cadence)
    if ev.kind == "outgoing":
        return pbx_outgoing(session, actor, ev)
    raise ValueError(f"unknown PBX event kind {ev.kind!r}")
