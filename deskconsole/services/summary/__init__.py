"""The end-of-shift summary (DOMAIN §6: the work statistics a supervisor reads, 客服组工作统计表).

One function, `summarize`, computes it for a shift, a day or a range, optionally for one desk
or operator; the F6 screen, `deskconsole summary` (table/json/csv/md/xlsx) and the exports all
show what it returns, so they cannot disagree. Each section reads its own table by an indexed
time column over the half-open period [from, to) (see period.py and each section's module for
the exact definitions); a shift's figures are the records stamped with that shift, so the
shifts of a period add up to it. `to_dict()` is the stable JSON documented in the README.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import bindparam, select
from sqlmodel import Session

from deskconsole.models.reliability import loaded_text
from deskconsole.services.handover import HandoverEntry, history
from deskconsole.services.registers.figures import RegisterFigures, register_figures
from deskconsole.services.sla import SLARules
from deskconsole.services.summary import sql
from deskconsole.services.summary.audit import AuditFigures, audit_figures
from deskconsole.services.summary.calls import CallFigures, call_figures
from deskconsole.services.summary.etiquette import EtiquetteFigures, etiquette_figures
from deskconsole.services.summary.period import Period, iso, parse_period
from deskconsole.services.summary.tickets import TicketFigures, ticket_figures
from deskconsole.services.summary.visitors import VisitorFigures, visitor_figures

SECTIONS = ("visitors", "calls", "tickets", "etiquette", "registers", "audit")
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Summary:
    period: Period
    desk_id: int | None
    operator_id: int | None
    visitors: VisitorFigures
    calls: CallFigures
    tickets: TicketFigures
    etiquette: EtiquetteFigures
    handover: list[HandoverEntry] = field(default_factory=list)
    audit: AuditFigures = AuditFigures()  # the signed audit checkpoint of the last shift closed
    registers: RegisterFigures = field(default_factory=RegisterFigures)
    desk: str | None = None  # names for the header, when filtered
    operator: str | None = None

    def to_dict(self) -> dict:
        """Stable JSON: keys never renamed; new keys only added (README "Summary")."""
        return {
            "schema": SCHEMA_VERSION,
            "period": {**self.period.to_dict(), "desk": self.desk, "operator": self.operator},
            "visitors": self.visitors.to_dict(),
            "calls": self.calls.to_dict(),
            "tickets": self.tickets.to_dict(),
            "etiquette": self.etiquette.to_dict(),
            "registers": self.registers.to_dict(),
            "handover": [h.to_dict() for h in self.handover],
            "audit": self.audit.to_dict(),
        }


def summarize(session: Session, period: Period, *, desk_id: int | None = None,
              operator_id: int | None = None, rules: SLARules | None = None,
              progress: Callable[[int, int | None], None] | None = None) -> Summary:
    """A shift's period is limited to its desk unless another desk is asked for. `rules` (the
    SLA's business days) decide "checked the same day" as they decide the due time.
    `progress(done, total)` hears the sections counted (the four of SECTIONS, then the handover)."""
    if desk_id is None:
        desk_id = period.desk_id
    filt = {"desk_id": desk_id, "operator_id": operator_id}
    desk = op = None
    if desk_id is not None or operator_id is not None:
        desk, op = session.connection().execute(_names(), filt).one()
    parts = (
        lambda: visitor_figures(session, period, **filt),
        lambda: call_figures(session, period.start, period.end, tz=period.tz, shift_id=period.shift_id, **filt),
        lambda: ticket_figures(session, period, rules=rules, **filt),
        lambda: etiquette_figures(session, period, **filt),
        lambda: history(session, start=period.start, end=period.end, **filt),
        lambda: register_figures(session, period.start, period.end, now=period.as_of, shift_id=period.shift_id,
                                 **filt),
        lambda: audit_figures(session, period, **filt),
    )
    figures = []
    for done, part in enumerate(parts, start=1):
        figures.append(part())
        if progress:
            progress(done, len(parts))
    visitors, calls, tickets, etiquette, handover, registers, audit = figures
    return Summary(period=period, desk_id=desk_id, operator_id=operator_id, visitors=visitors, calls=calls,
                   tickets=tickets, etiquette=etiquette, handover=handover, registers=registers, audit=audit,
                   desk=loaded_text(desk), operator=loaded_text(op))


def _names():
    """The desk's name and the operator's staff number of the filters (NULL when not given)."""
    from deskconsole.models import Desk, Operator

    d, o = Desk.__table__.c, Operator.__table__.c
    return sql.statements(("names",), lambda: select(
        select(d.name).where(d.id == bindparam("desk_id")).scalar_subquery(),
        select(o.staff_no).where(o.id == bindparam("operator_id")).scalar_subquery()))


def _nested(prefix: str, value: dict) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for sub, v in value.items():
        out += _nested(f"{prefix}.{sub}", v) if isinstance(v, dict) else [(f"{prefix}.{sub}", v)]
    return out


def flatten(data: dict) -> list[tuple[str, str, object]]:
    """(section, key, value) rows of the figures: nested maps become "by_purpose.visit",
    hours "by_hour.09". CSV, Markdown, the Rich table and XLSX are all written from these."""
    rows: list[tuple[str, str, object]] = []
    for section in SECTIONS:
        for key, value in data.get(section, {}).items():  # a section added later is absent from older JSON
            if isinstance(value, dict):
                rows += [(section, name, v) for name, v in _nested(key, value)]
            elif isinstance(value, list):
                rows += [(section, f"{key}.{h:02d}", v) for h, v in enumerate(value)]
            else:
                rows.append((section, key, value))
    return rows


__all__ = ["CallFigures", "EtiquetteFigures", "Period", "Summary", "TicketFigures", "VisitorFigures",
           "call_figures", "flatten", "iso", "parse_period", "summarize"]
