"""A timeline as words, for the CLI and the console alike: one function per shape (a line, the
open-tickets banner, JSON). Phones masked for the reader (`mask_for`); a record's own text is
returned as plain strings, for the caller to show as data (never markup)."""

from __future__ import annotations

from datetime import datetime, tzinfo

from deskconsole import catalogs
from deskconsole.services.phone_numbers import mask_for
from deskconsole.services.timeline import Entry, OpenTicket, Page, Target

COLUMNS = ("when", "what", "who", "phone", "unit", "status", "detail")


def department(t, code: str | None) -> str:
    if not code:
        return ""
    rows = catalogs.codes_with_labels("departments.toml", "department", t.language)
    return dict(rows).get(code, code)


def when(value: datetime | None, tz: tzinfo, *, with_year: bool = True) -> str:
    if value is None:
        return ""
    return f"{value.astimezone(tz):%Y-%m-%d %H:%M}" if with_year else f"{value.astimezone(tz):%m-%d %H:%M}"


def what(t, e: Entry) -> str:
    label = t(f"timeline.kind.{e.kind}")
    if e.source == "ticket":
        return f"{label} #{e.id} {t('tickets.kind.' + e.extra['ticket_kind'])}"
    if e.source == "follow_up":
        return f"{label} #{e.extra['ticket_id']}"
    return label


def detail(t, e: Entry, tz: tzinfo) -> str:
    if e.source == "ticket":
        parts = [department(t, e.extra.get("department"))]
        if e.extra.get("due_at") and e.status.removeprefix("tickets.status.") in ("new", "assigned", "in_progress"):
            parts.append(t("timeline.due", due=when(e.extra["due_at"], tz, with_year=False)))
        parts.append(e.text)
        return " ".join(p for p in parts if p)
    if e.source == "watch_hit":
        return t(f"watch.place.{e.extra['place']}")
    return e.text


def line(t, e: Entry, actor, tz: tzinfo) -> dict[str, str]:
    """{column: text} of one entry, in the reader's language; the number masked for `actor`."""
    return {"when": when(e.at, tz), "what": what(t, e), "who": e.name, "phone": mask_for(e.phone, actor),
            "unit": e.unit, "status": t(e.status) if e.status else "", "detail": detail(t, e, tz)}


def open_ticket_text(t, ticket: OpenTicket, tz: tzinfo) -> str:
    """'#680 报修, due 18:00' (the day too when it is not today's)."""
    kind = t(f"tickets.kind.{ticket.kind}")
    if ticket.due_at is None:
        return t("timeline.open_ticket_no_due", id=ticket.id, kind=kind)
    return t("timeline.open_ticket", id=ticket.id, kind=kind, due=when(ticket.due_at, tz, with_year=False))


def banner(t, target: Target, tickets: list[OpenTicket], count: int, tz: tzinfo, actor=None) -> str:
    """'2 open tickets for A-1201 (#680 报修, due 18:00)': what the call form shows as soon as
    the unit or the number is known (DOMAIN §4 D: one consistent answer)."""
    if not count:
        return ""
    who = target.unit or mask_for(target.phone, actor)
    first = open_ticket_text(t, tickets[0], tz) if tickets else ""
    return t("timeline.banner", count=count, target=who, first=first)


OPEN_COLUMNS = ("what", "status", "due", "department", "owner", "assignee")


def open_ticket_row(t, ticket: OpenTicket, tz: tzinfo) -> dict[str, str]:
    """{column: text} of an open ticket: who owns it (DOMAIN §3 首问负责), where, by when."""
    return {"what": f"{t('timeline.kind.ticket')} #{ticket.id} {t('tickets.kind.' + ticket.kind)}",
            "status": t(f"tickets.status.{ticket.status}"), "due": when(ticket.due_at, tz, with_year=False),
            "department": department(t, ticket.department), "owner": ticket.owner, "assignee": ticket.assignee}


def as_json(page: Page, actor, tz: tzinfo) -> dict:
    """The page as plain data (`deskconsole timeline --format json`); codes, not labels."""
    def iso(v):
        return v.astimezone(tz).isoformat() if v is not None else None

    def extra(e: Entry) -> dict:
        return {k: (iso(v) if isinstance(v, datetime) else v) for k, v in e.extra.items()}

    return {
        "target": {"unit": page.target.unit, "phone": mask_for(page.target.phone, actor)},
        "open_tickets": {"count": page.open_count, "first": [
            {"id": o.id, "kind": o.kind, "status": o.status, "due_at": iso(o.due_at), "department": o.department,
             "owner": o.owner, "assignee": o.assignee} for o in page.open_tickets]},
        "entries": [{"at": iso(e.at), "source": e.source, "id": e.id, "kind": e.kind, "name": e.name,
                     "phone": mask_for(e.phone, actor), "unit": e.unit,
                     "status": e.status.rsplit(".", 1)[-1] if e.status else None, "text": e.text,
                     **extra(e)} for e in page.entries],
        "next": page.next_cursor.text() if page.next_cursor else None,
    }
