"""`deskconsole purge --older-than DAYS` and `deskconsole void`.

Both are supervisor actions: the command asks for a supervisor's staff number and PIN (a
hidden prompt, or one line of standard input with --pin-stdin for scripts). A wrong PIN
counts towards the same lockout as at the console.
"""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from deskconsole.cli.common import MAX_ID, read_pin, state

StaffNo = Annotated[str, typer.Option("--staff-no", help="A supervisor's staff number.")]
PinStdin = Annotated[bool, typer.Option("--pin-stdin", help="Read the PIN from standard input.")]


def supervisor_actor(store, staff_no: str, pin_stdin: bool, action: str):
    """The signed-in supervisor as an Actor (no shift or desk: a command line is neither).
    `action` is the catalog key named in the refusal when the operator is not a supervisor."""
    from deskconsole.clock import SystemClock
    from deskconsole.services import operators
    from deskconsole.services.context import Actor
    from deskconsole.services.errors import NotAllowed

    staff_no = operators.check_staff_no(staff_no)
    pin = read_pin(pin_stdin, "PIN")
    clock = SystemClock()
    op = operators.authenticate_in(store, staff_no=staff_no, pin=pin, now=clock.now())
    if op.role != "supervisor":
        raise NotAllowed("error.supervisor_only", action=action)
    return Actor(operator_id=op.id, staff_no=op.staff_no, name=op.name, role=op.role,
                 shift_id=None, desk_id=None, desk_name="", clock=clock)  # type: ignore[arg-type]


def purge(
    ctx: typer.Context,
    older_than: Annotated[str, typer.Option("--older-than", help="Retention period in days.")],
    staff_no: StaffNo,
    pin_stdin: PinStdin = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count only; change nothing.")] = False,
) -> None:
    """Anonymise visitor and caller names and phones older than DAYS (counts and summaries stay)."""
    from deskconsole.services import retention

    st = state(ctx)
    retention.check_days(older_than)
    _, store = st.open_store()
    t = st.translator()
    actor = supervisor_actor(store, staff_no, pin_stdin, "reliability.action.purge")
    from deskconsole.cli.progress import progress

    with progress(st, "progress.purge") as step:
        result = store.write(lambda s: retention.purge_as(s, actor, older_than, dry_run=dry_run, progress=step))
    key = "reliability.purge.dry_run" if dry_run else "reliability.purge.done"
    print(t(key, cutoff=result.cutoff.astimezone(st.config().tz).strftime("%Y-%m-%d %H:%M"),
            visits=result.visits, expected=result.expected_visits, calls=result.calls,
            tickets=result.tickets, history=result.ticket_history,
            notes=result.follow_ups + result.repair_steps + result.handover_notes,
            registers=result.registers))


def void(
    ctx: typer.Context,
    entity: Annotated[Literal["visit", "call"], typer.Argument(help="What to void.")],
    record_id: Annotated[int, typer.Argument(min=1, max=MAX_ID, help="The record's number.")],
    reason: Annotated[str, typer.Option("--reason", help="Why the record is void (required).")],
    staff_no: StaffNo,
    pin_stdin: PinStdin = False,
) -> None:
    """Void a visit or a call made in error (soft: the record stays, with the reason)."""
    from deskconsole.services import voids

    st = state(ctx)
    voids.clean_reason(reason)
    _, store = st.open_store()
    actor = supervisor_actor(store, staff_no, pin_stdin, "reliability.action.void")
    done = store.write(lambda s: voids.void(s, actor, entity.strip().lower(), record_id, reason))
    print(st.translator()("reliability.void.done", entity=done.entity, id=done.id, reason=done.reason))
