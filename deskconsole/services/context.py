"""Who is acting: operator, role, shift and desk stamp every record."""

from __future__ import annotations

from dataclasses import dataclass

from deskconsole.clock import Clock
from deskconsole.services.errors import NotAllowed


@dataclass(frozen=True)
class Actor:
    operator_id: int
    staff_no: str
    name: str
    role: str
    shift_id: int
    desk_id: int
    desk_name: str
    clock: Clock

    @property
    def is_supervisor(self) -> bool:
        return self.role == "supervisor"

    def require_supervisor(self, what: str) -> None:
        """`what` is a catalog key naming the action, for the 'denied' message."""
        if not self.is_supervisor:
            raise NotAllowed("error.supervisor_only", action=what)

    def stamps(self) -> dict[str, int]:
        return {"operator_id": self.operator_id, "shift_id": self.shift_id, "desk_id": self.desk_id}
