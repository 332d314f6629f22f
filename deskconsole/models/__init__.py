"""SQLModel tables, one module per domain. Importing this package registers every table."""

from deskconsole.models.calls import Call
from deskconsole.models.core import AuditEvent, Desk, Operator, Shift
from deskconsole.models.directory import DirectoryEntry, DirectoryPhone
from deskconsole.models.etiquette import EtiquetteCheck, EtiquetteResult
from deskconsole.models.registers import GoodsRelease, ItemLoan, KeyLoan
from deskconsole.models.reliability import AuditHead
from deskconsole.models.tickets import FollowUp, ProgressCall, RepairStep, Ticket, TicketEvent
from deskconsole.models.visits import ExpectedVisit, Visit
from deskconsole.models.watch import WatchEntry, WatchHit

__all__ = [
    "AuditEvent", "AuditHead", "Call", "Desk", "DirectoryEntry", "DirectoryPhone", "EtiquetteCheck", "EtiquetteResult",
    "ExpectedVisit", "FollowUp", "GoodsRelease", "ItemLoan", "KeyLoan", "Operator", "ProgressCall", "RepairStep",
    "Shift", "Ticket", "TicketEvent", "Visit", "WatchEntry", "WatchHit",
]
