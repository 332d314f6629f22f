"""The ticket state machine (DOMAIN §3).

    new -> assigned -> in_progress -> resolved -> followed_up -> closed
    reopen (from resolved / followed_up / closed), cancel with a reason (supervisor only).

Escalation ("can't solve", DOMAIN §3: what cannot be solved goes up to the manager) and the
same-day complaint check are flags on an open ticket, not states. Every action is checked
here before anything is written, so an illegal one is refused whole, never half-applied.
"""

from __future__ import annotations

from deskconsole.services.errors import DeskError


class TicketError(DeskError):
    """A refusal whose parameters may be catalog keys (a status, an action): shown translated."""

    def message(self, t) -> str:
        params = {k: (t(v) if isinstance(v, str) and (v.startswith(("field.", "tickets."))) else v)
                  for k, v in self.params.items()}
        return t(self.key, **params)

OPEN = ("new", "assigned", "in_progress")
ACTIVE = (*OPEN, "resolved", "followed_up")  # not yet closed or cancelled
DONE = ("closed", "cancelled")

# action -> (statuses it is allowed from, status it leads to; None = stays, "*" = computed)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "assign": (OPEN, "assigned"),
    "start": (("new", "assigned"), "in_progress"),
    "resolve": (("assigned", "in_progress"), "resolved"),
    "follow_up": (("resolved",), "followed_up"),
    "close": (("followed_up",), "closed"),
    "reopen": (("resolved", "followed_up", "closed"), "*"),
    "cancel": ((*OPEN, "resolved"), "cancelled"),
    "escalate": (OPEN, None),
    "check": (OPEN, None),
    # DOMAIN §3 (000 C): report progress to the customer until it is solved
    "progress_call": (OPEN, None),
    "note": ((*ACTIVE, *DONE), None),
    "edit": (ACTIVE, None),
    # DOMAIN §3: the in-home repair is done by whoever it is assigned to; the last step resolves
    "repair_step": (("assigned", "in_progress"), None),
}

ACTIONS = tuple(TRANSITIONS)


def allowed(action: str, status: str) -> bool:
    sources, _ = TRANSITIONS[action]
    return status in sources


def target(action: str, status: str, *, has_assignee: bool = False) -> str:
    """The status after `action`, or DeskError('tickets.error.transition') when illegal."""
    if action not in TRANSITIONS:
        raise ValueError(f"unknown ticket action {action}")
    if not allowed(action, status):
        raise TicketError("tickets.error.transition", action=f"tickets.action.{action}",
                        status=f"tickets.status.{status}")
    _, to = TRANSITIONS[action]
    if to is None:
        return status
    if to == "*":  # reopened: back to whoever had it, or to the desk's queue
        return "assigned" if has_assignee else "new"
    return to


def available_actions(status: str, *, kind: str, escalated: bool, checked: bool,
                      is_supervisor: bool) -> list[str]:
    """The actions to offer as keys on a ticket in this state."""
    out = []
    for action in ACTIONS:
        if not allowed(action, status):
            continue
        if action == "cancel" and not is_supervisor:
            continue
        if action == "escalate" and escalated:
            continue
        if action == "check" and (kind != "complaint" or checked):
            continue
        if action == "repair_step" and kind != "repair":
            continue
        out.append(action)
    return out
