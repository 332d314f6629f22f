"""Tickets (DOMAIN §3): every request becomes a ticket someone owns to the end.

The package, bottom up (each module imports only those above it in this list):

    workflow.py         the state machine: which action is allowed from which status
    history.py          load for a change, append history events, set the status, save audited
    follow_up_tasks.py  the follow-up call task a resolved ticket gets
    progress_calls.py   the progress calls an open ticket gets until it is solved
    actions.py          create, edit, assign, start, escalate, check, note, resolve, close,
                        reopen, cancel
    repairs.py          the in-home repair steps of a repair ticket
    followups.py        record the follow-up call (satisfaction; reopen or escalate)
    queues.py           the read side: queues, search, the ticket detail

Callers use the names below (`tickets.create_ticket(...)`), and the modules `followups`,
`progress_calls`, `queues` and `workflow` for the rest.
"""

from deskconsole.services.tickets.actions import (
    EDITABLE,
    SOURCES,
    add_note,
    assign,
    assign_to,
    cancel,
    categories,
    check,
    close,
    create_ticket,
    department_codes,
    escalate,
    reopen,
    resolve,
    start,
    update_fields,
)
from deskconsole.services.tickets.repairs import parse_fee, repair_steps, tick_repair_step
from deskconsole.services.tickets.workflow import TicketError

__all__ = [
    "EDITABLE", "SOURCES", "TicketError", "add_note", "assign", "assign_to", "cancel", "categories",
    "check", "close", "create_ticket", "department_codes", "escalate", "parse_fee", "reopen",
    "repair_steps", "resolve", "start", "tick_repair_step", "update_fields",
]
