"""Phone calls (DOMAIN §2): ring, answer, hang up, missed, outgoing, and the call register.

Every incoming call goes through one small event interface, `PhoneEvents` in
services/ring_lines.py (ring / answer /
hang_up / missed). The receptionist's keys feed it (F7, Shift+F7, F8), and a phone system's
feed (deskconsole/feeds: Asterisk AMI, a generic HTTP feed) feeds it too, through `feed`.

Honesty: a key-timed call (`source` "keys") starts when the key is pressed, so its ring time
is a lower bound of the real one; a call the phone system reported (`source` "pbx",
services/pbx_calls.py) carries the PBX's own times. Elapsed time is a monotonic "now" minus the monotonic start held in
memory for a live call (the UTC start is stored too); it is never counted in ticks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from sqlalchemy import and_, select
from sqlmodel import Session

from deskconsole import catalogs
from deskconsole.cadence import Cadence
from deskconsole.models import Call
from deskconsole.services import audit, phone_numbers, text
from deskconsole.services.context import Actor
from deskconsole.services.errors import DeskError
from deskconsole.services.newest_first import NewestFirst, newest_matching

CATEGORIES_FILE = "call_categories.toml"
OUTCOMES = ("resolved", "ticket", "transferred", "message")
MISSED_WINDOW = timedelta(days=7)  # the same window as the header counter (services/counters)
RESTORE_WINDOW = timedelta(hours=12)
_NEWEST = NewestFirst(Call.started_at, Call.id)  # the register's order


def category_codes() -> list[str]:
    return [row["code"] for row in catalogs.load(CATEGORIES_FILE).get("category", [])]


def ring_level(ring: int, limit: int) -> str:
    """DOMAIN §2: rings before the limit are calm, the limit ring is a warning, later ones alarm."""
    if ring < limit:
        return "calm"
    return "warning" if ring == limit else "alarm"


def _clean(value: object, fld: str, limit: int, *, multiline: bool = False) -> str:
    # Messages are shown under their own field, so they need no field label.
    try:
        return text.clean(value, field=fld, limit=limit, multiline=multiline)
    except DeskError:
        raise DeskError("phone.error.too_long", field=fld, limit=limit) from None


def _snap(call: Call) -> dict:
    return {k: getattr(call, k) for k in (
        "direction", "line", "status", "rings", "within_limit", "answer_seconds", "category",
        "outcome", "message_for", "returns_call_id", "covering_neighbour")}


def _get(session: Session, call_id: int) -> Call:
    call = session.get(Call, call_id)
    if call is None or call.voided_at is not None:
        raise DeskError("phone.error.no_call", id=call_id)
    return call


# -- writes on a Session (each is one transaction via store.write) ---------------------------
def start_ring(session: Session, actor: Actor, *, line: str = "1", covering_neighbour: bool = False) -> Call:
    call = Call(direction="in", line=_clean(line, "line", 16) or "1", status="ringing",
                covering_neighbour=covering_neighbour, started_at=actor.clock.now(), **actor.stamps())
    session.add(call)
    session.flush()
    audit.record_for(session, actor, "create", "call", call.id, after=_snap(call))
    return call


def record_answer(session: Session, actor: Actor, call_id: int, *, elapsed: float,
                  cadence: Cadence, limit: int) -> Call:
    """DOMAIN §2: within the limit means answered before ring (limit+1) began: on the China
    cadence 14.9 s is ring 3 (within three rings), 15.0 s is ring 4 (outside)."""
    call = _get(session, call_id)
    if call.status != "ringing":
        raise DeskError("phone.error.not_ringing", id=call_id)
    before = _snap(call)
    call.status = "answered"
    call.answered_at = actor.clock.now()
    call.answer_seconds = round(max(elapsed, 0.0), 3)
    call.rings = cadence.ring_number(elapsed)
    call.within_limit = call.rings <= limit
    call.operator_id, call.shift_id = actor.operator_id, actor.shift_id  # who picked it up
    session.add(call)
    audit.record_for(session, actor, "answer", "call", call.id, before, _snap(call))
    return call


def record_missed(session: Session, actor: Actor, call_id: int, *, elapsed: float, cadence: Cadence) -> Call:
    """The caller hung up before anyone answered: the call becomes a callback task."""
    call = _get(session, call_id)
    if call.status != "ringing":
        raise DeskError("phone.error.not_ringing", id=call_id)
    before = _snap(call)
    call.status = "missed"
    call.ended_at = actor.clock.now()
    call.rings = cadence.ring_number(elapsed)
    call.within_limit = False
    session.add(call)
    audit.record_for(session, actor, "missed", "call", call.id, before, _snap(call))
    return call


def record_missed_number(session: Session, actor: Actor, call_id: int, phone: str) -> Call:
    """The number the phone's display showed for a missed call, typed after F8, so its
    callback can be made (DOMAIN §2: every call registered). Blank leaves it unknown."""
    call = _get(session, call_id)
    if call.direction != "in" or call.status != "missed":
        raise DeskError("phone.error.not_missed", id=call_id)
    number = phone_numbers.normalise(phone, field="phone")
    if number and number != call.phone:
        before = {"phone": call.phone}
        call.phone = number
        session.add(call)
        audit.record_for(session, actor, "update", "call", call.id, before, {"phone": call.phone})
    return call


def record_hang_up(session: Session, actor: Actor, call_id: int) -> Call:
    call = _get(session, call_id)
    if call.status == "ended":
        return call
    if call.status != "answered":
        raise DeskError("phone.error.not_answered", id=call_id)
    before = _snap(call)
    call.status = "ended"
    call.ended_at = actor.clock.now()
    session.add(call)
    audit.record_for(session, actor, "hang_up", "call", call.id, before, _snap(call))
    return call


@dataclass
class CallDetails:
    """What the receptionist types about a call (the owner call register, DOMAIN §2)."""

    caller_name: str = ""
    honorific: str = ""
    phone: str = ""
    unit: str = ""
    category: str | None = None
    summary: str = ""
    outcome: str | None = None
    message_for: str = ""
    covering_neighbour: bool = False


def _apply_details(call: Call, d: CallDetails, *, need_outcome: bool) -> None:
    from deskconsole.services.people import HONORIFICS

    if d.honorific and d.honorific not in HONORIFICS:
        raise DeskError("phone.error.honorific", field="honorific")
    if d.category and d.category not in category_codes():
        raise DeskError("phone.error.category", field="category")
    call.caller_name = _clean(d.caller_name, "caller_name", 64)
    call.honorific = d.honorific or ""
    call.phone = phone_numbers.normalise(d.phone, field="phone")
    call.unit = _clean(d.unit, "unit", 64)
    call.summary = _clean(d.summary, "summary", 1000, multiline=True) or None
    if need_outcome:
        if not d.category:
            raise DeskError("phone.error.required", field="category")
        if d.outcome not in OUTCOMES:
            raise DeskError("phone.error.required", field="outcome")
    call.category = d.category or None
    call.outcome = d.outcome or None
    message_for = _clean(d.message_for, "message_for", 64)
    if call.outcome == "message" and not message_for:
        raise DeskError("phone.error.message_for", field="message_for")
    call.message_for = message_for if call.outcome == "message" else None


def save_details(session: Session, actor: Actor, call_id: int, details: CallDetails, *,
                 complete: bool | None = None) -> Call:
    """Register what the call was about. Category and outcome are required once the call has
    ended (unless `complete=False`: the receptionist chose to leave it incomplete); while it
    is still under way a partial record may be saved."""
    call = _get(session, call_id)
    if call.direction != "in" or call.status not in ("answered", "ended"):
        raise DeskError("phone.error.not_answered", id=call_id)
    before = _snap(call)
    _apply_details(call, details, need_outcome=call.status == "ended" if complete is None else complete)
    if call.outcome == "ticket" and not has_ticket(session, call.id):
        # DOMAIN §3 (first-contact ownership): "ticket opened" is said by the ticket itself;
        # until it exists the call has no outcome and stays open in the register.
        call.outcome = None
    call.covering_neighbour = details.covering_neighbour
    session.add(call)
    audit.record_for(session, actor, "update", "call", call.id, before, _snap(call))
    return call


def has_ticket(session: Session, call_id: int) -> bool:
    from deskconsole.models import Ticket

    return session.execute(select(Ticket.id).where(Ticket.call_id == call_id).limit(1)).first() is not None


def ticket_opened(session: Session, actor: Actor, call_id: int) -> Call:
    """The ticket for this call was created: its outcome is now "ticket opened"."""
    call = _get(session, call_id)
    if not has_ticket(session, call_id):
        raise DeskError("phone.error.no_ticket", id=call_id)
    if call.outcome != "ticket":
        before = _snap(call)
        call.outcome, call.message_for = "ticket", None
        session.add(call)
        audit.record_for(session, actor, "update", "call", call.id, before, _snap(call))
    return call


def log_outgoing(session: Session, actor: Actor, *, phone: str, caller_name: str = "", honorific: str = "",
                 unit: str = "", summary: str = "", category: str | None = None,
                 returns_call_id: int | None = None) -> Call:
    """An outgoing call: a callback of a missed call (sets returned_at on it) or a follow-up
    (回访, DOMAIN §3). Logged when it is made, so it starts and ends now."""
    missed = None
    if returns_call_id is not None:
        missed = _get(session, returns_call_id)
        if missed.direction != "in" or missed.status != "missed":
            raise DeskError("phone.error.not_missed", id=returns_call_id)
    number = phone_numbers.normalise(phone, field="phone")
    if not number:
        raise DeskError("phone.error.required", field="phone")
    now = actor.clock.now()
    call = Call(direction="out", status="ended", started_at=now, answered_at=now, ended_at=now,
                returns_call_id=returns_call_id, **actor.stamps())
    _apply_details(call, CallDetails(caller_name=caller_name, honorific=honorific, phone=number, unit=unit,
                                     category=category, summary=summary), need_outcome=False)
    session.add(call)
    session.flush()
    audit.record_for(session, actor, "create", "call", call.id, after=_snap(call))
    if missed is not None:
        before = {"returned_at": missed.returned_at, "phone": missed.phone}
        if missed.returned_at is None:
            missed.returned_at = now
        missed.phone = missed.phone or number
        session.add(missed)
        audit.record_for(session, actor, "returned", "call", missed.id, before,
                         {"returned_at": missed.returned_at, "phone": missed.phone, "by_call": call.id})
    return call


# -- queries ---------------------------------------------------------------------------------
def unreturned_missed(session: Session, now: datetime, *, limit: int = 50) -> list[Call]:
    """Missed calls of the last seven days not yet called back, newest first."""
    return list(session.execute(
        select(Call).where(Call.status == "missed", Call.started_at >= now - MISSED_WINDOW,
                           Call.returned_at.is_(None), Call.voided_at.is_(None))
        .order_by(Call.started_at.desc(), Call.id.desc()).limit(limit)).scalars())


def messages_for(session: Session, actor: Actor, *, limit: int = 20) -> list[Call]:
    """Messages taken for the signed-on operator (by staff number or name), last seven days."""
    since = actor.clock.now() - MISSED_WINDOW
    return list(session.execute(
        select(Call).where(Call.outcome == "message", Call.started_at >= since, Call.voided_at.is_(None),
                           Call.message_for.in_([actor.staff_no, actor.name]))
        .order_by(Call.started_at.desc(), Call.id.desc()).limit(limit)).scalars())


@dataclass(frozen=True)
class CallQuery:
    day: date | None = None  # site-local date
    category: str | None = None
    unit: str = ""
    phone: str = ""
    unanswered: bool = False


def search_calls(session: Session, query: CallQuery, tz: tzinfo, *,
                 after: tuple[datetime, int] | None = None, limit: int = 20) -> list[Call]:
    """The register, newest first, paged by keyset (started_at, id) < after."""
    conds = [Call.voided_at.is_(None)]
    if query.day is not None:
        start = datetime.combine(query.day, time(0), tz)
        conds += [Call.started_at >= start, Call.started_at < start + timedelta(days=1)]
    if query.category:
        conds.append(Call.category == query.category)
    # Prefixes as index ranges (column >= p AND column < p + U+FFFF): a LIKE with a bound
    # pattern cannot use an index on the column and would walk all history by date.
    prefixes = []
    unit = query.unit.strip()
    if unit:
        prefixes.append((Call.unit, lambda c, p=unit: and_(c >= p, c < p + "\uffff")))
    digits = "".join(c for c in query.phone if c.isdigit() or c == "+")
    if digits:
        prefixes.append((Call.phone, lambda c, p=digits: and_(c >= p, c < p + "\uffff")))
    if query.unanswered:
        conds += [Call.direction == "in", Call.answered_at.is_(None)]
    if prefixes and query.day is None:
        # Newest first without sorting every match in history (services/newest_first); a
        # second prefix, if any, is one more condition.
        (column, match), *rest = prefixes
        return newest_matching(session, Call, _NEWEST, column, match, after=after, need=limit,
                               where=[*conds, *(m(c) for c, m in rest)])
    conds += [m(c) for c, m in prefixes]
    if after is not None:
        conds.append(_NEWEST.beyond(after))
    return list(session.execute(select(Call).where(*conds).order_by(*_NEWEST.clauses()).limit(limit)).scalars())


def open_calls(session: Session, desk_id: int, now: datetime) -> list[Call]:
    """Calls of this desk still ringing or under way (to restore the live lines after a restart)."""
    return list(session.execute(
        select(Call).where(Call.desk_id == desk_id, Call.direction == "in", Call.voided_at.is_(None),
                           Call.status.in_(("ringing", "answered")), Call.started_at >= now - RESTORE_WINDOW)
        .order_by(Call.started_at)).scalars())
