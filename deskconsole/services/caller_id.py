"""Who is probably calling (DOMAIN §2: greet the caller by surname and honorific): from the
directory and from the last calls registered with the same number, with the unit's open
tickets. Read when the phone system says the number, before the receptionist answers.
Each read is one indexed lookup with a LIMIT (ix_directory_phone, ix_call_phone_started,
ix_ticket_unit_created); no count over history beyond one unit's open tickets."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session

from deskconsole.models import Call, DirectoryEntry, Ticket
from deskconsole.services.tickets.workflow import OPEN


@dataclass(frozen=True)
class CallerGuess:
    name: str = ""
    honorific: str = ""
    unit: str = ""
    open_tickets: int = 0
    watch_action: str = ""  # the watch list's action when the number is on it (services/watch)

    def prefill(self, phone: str | None) -> dict:
        """The call form's fields, filled from the guess (what the receptionist may correct)."""
        return {"caller_name": self.name, "honorific": self.honorific or None, "phone": phone or "",
                "unit": self.unit}


def guess(session: Session, phone: str | None, caller_name: str = "", *, call_id: int | None = None,
          now=None) -> CallerGuess:
    """Who calls from `phone`: the last call registered with a name (not `call_id`, the call
    ringing now, which holds only what the PBX said), then the directory, then the PBX's name.
    With `now`, a number on the watch list brings its action (the ring bar shows it before the
    receptionist answers; the call form records the hit)."""
    if not phone:
        return CallerGuess(name=caller_name)
    last = session.execute(
        select(Call.caller_name, Call.honorific, Call.unit)
        .where(Call.phone == phone, Call.voided_at.is_(None), Call.caller_name != "", Call.id != (call_id or 0))
        .order_by(Call.started_at.desc(), Call.id.desc()).limit(1)).first()
    entry = session.execute(
        select(DirectoryEntry.name, DirectoryEntry.unit)
        .where(DirectoryEntry.phone == phone, DirectoryEntry.active.is_(True))
        .order_by(DirectoryEntry.id).limit(1)).first()
    name = (last.caller_name if last else "") or (entry.name if entry else "") or caller_name
    honorific = last.honorific if last else ""
    unit = (entry.unit if entry else "") or (last.unit if last else "")
    tickets = 0
    if unit:
        tickets = session.execute(
            select(func.count()).select_from(Ticket).where(Ticket.unit == unit, Ticket.status.in_(OPEN))).scalar_one()
    watched = ""
    if now is not None:
        from deskconsole.services import watch

        found = watch.match(session, now, phone=phone)
        watched = found[0].action if found else ""
    return CallerGuess(name=name, honorific=honorific, unit=unit, open_tickets=tickets, watch_action=watched)
