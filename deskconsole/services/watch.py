"""The watch list (访客关注名单): a short list a supervisor keeps of people the desk must look
out for (a court order, a repeated nuisance caller, a former contractor), each with what to do
when they turn up: refuse entry, call security, or tell the supervisor.

Check-in, expected visitors and the call form ask `match` as soon as a name or a number is
typed: an exact number, or the same surname + given name with or without an honorific
(王建国 = 王建国先生 = Mr 王建国; a surname alone matches nobody). The receptionist is shown the
action, a supervisor also the reason (DOMAIN §1: privacy, never leak customer information);
each time the desk meets a watched person a WatchHit is written and audited. Only a supervisor
adds, changes and removes entries, and every entry ends at its `valid_until`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from deskconsole.models import WatchEntry, WatchHit
from deskconsole.models.watch import WATCH_ACTIONS, WATCH_PLACES
from deskconsole.services import audit
from deskconsole.services.errors import DeskError
from deskconsole.services.phone_numbers import mask, normalise
from deskconsole.services.text import clean

# DOMAIN §1 (001 §5.2.3.3.2): the honorifics a desk adds to a name, and the English ones.
ZH_HONORIFICS = ("小朋友", "先生", "女士", "夫人", "小姐", "太太")
EN_HONORIFICS = ("mr", "mrs", "ms", "miss", "dr", "madam", "sir")


def name_key(name: str | None) -> str | None:
    """The name as the list compares it: spaces, dots and honorifics gone, lower case; None when
    what is left is too short to be a surname and a given name ('王先生' -> None)."""
    text = " ".join((name or "").split()).lower()
    words = [w.rstrip(".") for w in text.split(" ") if w]
    while words and words[0].rstrip(".") in EN_HONORIFICS:
        words = words[1:]
    text = "".join(words)
    for suffix in ZH_HONORIFICS:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
            break
    text = re.sub(r"[\s.\u00b7\u30fb]", "", text)
    if len(text) < 2:
        return None
    return text


@dataclass(frozen=True)
class Match:
    entry_id: int
    action: str  # WATCH_ACTIONS
    reason: str  # show only to a supervisor: use `reason_for`
    matched: str  # "phone" or "name"
    name: str
    valid_until: datetime

    def reason_for(self, actor) -> str | None:
        return self.reason if actor is not None and actor.is_supervisor else None


def active(session: Session, now: datetime) -> list[WatchEntry]:
    """The entries in force now (not removed, not expired): a short list, read whole."""
    return list(session.execute(
        select(WatchEntry).where(WatchEntry.removed_at.is_(None), WatchEntry.valid_until > now)
        .order_by(WatchEntry.valid_until, WatchEntry.id)).scalars())


def match(session: Session, now: datetime, *, name: str | None = None, phone: str | None = None) -> list[Match]:
    """The entries in force that `name` or `phone` matches (a number is matched exactly, after
    normalising; a number that cannot be one matches nothing)."""
    try:
        number = normalise(phone) if phone else None
    except DeskError:
        number = None
    key = name_key(name)
    if number is None and key is None:
        return []
    found = []
    for e in active(session, now):
        how = "phone" if number and e.phone == number else "name" if key and name_key(e.name) == key else None
        if how:
            found.append(Match(e.id, e.action, e.reason, how, e.name, e.valid_until))
    return found


def record_hits(session: Session, actor, matches: list[Match], *, place: str, name: str = "",
                phone: str | None = None, unit: str = "") -> list[int]:
    """Write one WatchHit per match (audited): the desk met a watched person at `place`."""
    if place not in WATCH_PLACES:
        raise DeskError("watch.error.place", field="place")
    try:
        number = normalise(phone) if phone else None
    except DeskError:
        number = None
    ids = []
    for m in matches:
        hit = WatchHit(entry_id=m.entry_id, at=actor.clock.now(), place=place, matched=m.matched,
                       name=clean(name, field="name", limit=64), phone=number,
                       unit=clean(unit, field="unit", limit=64), action=m.action, **actor.stamps())
        session.add(hit)
        session.flush()
        audit.record_for(session, actor, "watch_hit", "watch_hit", hit.id,
                         after={"entry": m.entry_id, "place": place, "matched": m.matched, "action": m.action})
        ids.append(hit.id)
    return ids


# -- keeping the list (supervisors only) ----------------------------------------------------
def _fields(name, phone, reason, action, valid_until, now) -> dict:
    name = clean(name, field="name", limit=64)
    number = normalise(phone) if (phone or "").strip() else None
    if not name and number is None:
        raise DeskError("watch.error.who", field="name")
    if name and name_key(name) is None:
        raise DeskError("watch.error.full_name", field="name")
    if action not in WATCH_ACTIONS:
        raise DeskError("watch.error.action", field="action", actions=", ".join(WATCH_ACTIONS))
    if valid_until is None or valid_until <= now:
        raise DeskError("watch.error.until", field="valid_until")
    return {"name": name, "phone": number, "reason": clean(reason, field="reason", limit=200, required=True),
            "action": action, "valid_until": valid_until}


def _audited(e: WatchEntry) -> dict:
    return {"name": e.name, "phone": mask(e.phone), "reason": e.reason, "action": e.action,
            "valid_until": e.valid_until.isoformat()}


def add(session: Session, actor, *, name: str = "", phone: str | None = None, reason: str,
        action: str, valid_until: datetime) -> WatchEntry:
    actor.require_supervisor("watch.action.keep")
    now = actor.clock.now()
    entry = WatchEntry(**_fields(name, phone, reason, action, valid_until, now), created_at=now,
                       created_by=actor.operator_id)
    session.add(entry)
    session.flush()
    audit.record_for(session, actor, "watch_add", "watch_entry", entry.id, after=_audited(entry))
    return entry


def _load(session: Session, entry_id: int) -> WatchEntry:
    entry = session.get(WatchEntry, entry_id)
    if entry is None or entry.removed_at is not None:
        raise DeskError("watch.error.not_found", field="id", id=entry_id)
    return entry


def change(session: Session, actor, entry_id: int, *, name: str = "", phone: str | None = None,
           reason: str, action: str, valid_until: datetime) -> WatchEntry:
    actor.require_supervisor("watch.action.keep")
    entry = _load(session, entry_id)
    now = actor.clock.now()
    before = _audited(entry)
    for key, value in _fields(name, phone, reason, action, valid_until, now).items():
        setattr(entry, key, value)
    entry.changed_at = now
    session.add(entry)
    session.flush()
    audit.record_for(session, actor, "watch_change", "watch_entry", entry.id, before=before, after=_audited(entry))
    return entry


def remove(session: Session, actor, entry_id: int) -> WatchEntry:
    actor.require_supervisor("watch.action.keep")
    entry = _load(session, entry_id)
    entry.removed_at, entry.removed_by = actor.clock.now(), actor.operator_id
    session.add(entry)
    session.flush()
    audit.record_for(session, actor, "watch_remove", "watch_entry", entry.id, before=_audited(entry),
                     after={"removed_at": entry.removed_at.isoformat()})
    return entry


def entries(session: Session, actor, now: datetime, *, include_ended: bool = False) -> list[WatchEntry]:
    """The list as a supervisor keeps it (reasons included): supervisors only."""
    actor.require_supervisor("watch.action.keep")
    if not include_ended:
        return active(session, now)
    return list(session.execute(select(WatchEntry).order_by(WatchEntry.id.desc()).limit(500)).scalars())


def keep_signed(store, actor, pin: str, change):
    """A supervisor's PIN signs a change to the list (as an inspection is signed): checked
    first (a wrong PIN counts towards the lockout, field "pin"), then `change(session)` is
    written in one transaction."""
    from deskconsole.services.operators import authenticate_in

    actor.require_supervisor("watch.action.keep")
    authenticate_in(store, staff_no=actor.staff_no, pin=pin, now=actor.clock.now())
    return store.write(change)


def parse_until(text: str, tz) -> datetime:
    """'2026-12-31' -> the end of that site-local day, aware."""
    from datetime import date, time

    try:
        day = date.fromisoformat((text or "").strip())
    except ValueError:
        raise DeskError("watch.error.until", field="valid_until") from None
    return datetime.combine(day, time(23, 59, 59), tzinfo=tz)


def check_entry(actor, *, name: str = "", phone: str | None = None, reason: str, action: str,
                valid_until: datetime) -> None:
    """Refuse a bad entry before anything is asked or written (a form checks it first)."""
    actor.require_supervisor("watch.action.keep")
    _fields(name, phone, reason, action, valid_until, actor.clock.now())
