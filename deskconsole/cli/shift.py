"""`deskconsole shift list|close`: find shifts left open and close them.

A shift its operator forgot to close is closed by the system at the next sign-on at its desk
(services/shifts.py); `close` lets a supervisor close one now (staff number and PIN, audited),
at its last activity, so the next operator at that desk takes it over."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from deskconsole.cli.common import state
from deskconsole.cli.purge import PinStdin, StaffNo, supervisor_actor

app = typer.Typer(help="Shifts: list them, close one left open.", no_args_is_help=True)


@app.command("list")
def list_(
    ctx: typer.Context,
    open_only: Annotated[bool, typer.Option("--open", help="Only shifts still open.")] = False,
    day: Annotated[str, typer.Option("--date", help="Shifts started on this day (YYYY-MM-DD, site time).")] = "",
    fmt: Annotated[Literal["table", "json"], typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Shifts newest first, with who closed them (a staff number, or 'system')."""
    import json

    from deskconsole.services import shifts

    st = state(ctx)
    config, store = st.open_store()
    t = st.translator()
    with store.read() as s:
        rows = shifts.list_shifts(s, open_only=open_only, day=day, timezone=config.timezone)
    if fmt == "json":
        print(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        print(t("shift.left_open.none"))
        return
    from rich.console import Console
    from rich.table import Table

    def local(when):
        return f"{when.astimezone(config.tz):%Y-%m-%d %H:%M}" if when else t("shift.left_open.open")

    table = Table(*(t(k) for k in ("shift.left_open.col_id", "shift.left_open.col_desk",
                                   "shift.left_open.col_staff_no", "shift.left_open.col_started",
                                   "shift.left_open.col_ended", "shift.left_open.col_closed_by")))
    for r in rows:
        by = t("shift.left_open.system") if r.closed_by == shifts.SYSTEM else (r.closed_by or "")
        table.add_row(str(r.id), r.desk, r.staff_no, local(r.started_at), local(r.ended_at), by)
    Console().print(table)


@app.command("close")
def close(
    ctx: typer.Context,
    shift_id: Annotated[int, typer.Argument(help="The shift's number (deskconsole shift list --open).")],
    staff_no: StaffNo,
    pin_stdin: PinStdin = False,
) -> None:
    """Close a shift left open, at its last activity (a supervisor's PIN; audited)."""
    from deskconsole.models import Desk, Operator
    from deskconsole.services import shifts

    st = state(ctx)
    config, store = st.open_store()
    actor = supervisor_actor(store, staff_no, pin_stdin, "shift.action.close_left_open")

    def work(s):
        shift = shifts.close_by_supervisor(s, actor, shift_id)
        return shift.ended_at, s.get(Desk, shift.desk_id).name, s.get(Operator, shift.operator_id).staff_no

    ended, desk, owner = store.write(work)
    print(st.translator()("shift.left_open.closed", shift_id=shift_id, staff_no=owner, desk=desk,
                          time=f"{ended.astimezone(config.tz):%Y-%m-%d %H:%M}"))
