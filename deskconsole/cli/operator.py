"""`deskconsole operator add|list|passwd|deactivate|activate`."""

from __future__ import annotations

from typing import Annotated

import typer

from deskconsole.cli.common import read_pin, state

app = typer.Typer(help="Manage operators (receptionists and supervisors).", no_args_is_help=True)


@app.command("add")
def add(
    ctx: typer.Context,
    staff_no: Annotated[str, typer.Option("--staff-no", help="Staff number (工号).")],
    name: Annotated[str, typer.Option("--name", help="Full name.")],
    role: Annotated[str, typer.Option("--role", help="receptionist or supervisor.")] = "receptionist",
    pin_stdin: Annotated[bool, typer.Option("--pin-stdin", help="Read the PIN from standard input.")] = False,
) -> None:
    """Add an operator. The PIN is asked for (hidden) or read with --pin-stdin."""
    from deskconsole.clock import SystemClock
    from deskconsole.services import operators

    st = state(ctx)
    operators.check_staff_no(staff_no)
    pin = read_pin(pin_stdin, "PIN (4-8 digits)")
    operators.check_pin_format(pin)
    _, store = st.open_store()
    info = store.write(lambda s: operators.create_operator(
        s, staff_no=staff_no, name=name, role=role, pin=pin, now=SystemClock().now()))
    print(f"added {info.staff_no} {info.name} ({info.role})")


@app.command("list")
def list_(ctx: typer.Context) -> None:
    """List operators."""
    from rich.console import Console
    from rich.table import Table

    from deskconsole.services import operators

    st = state(ctx)
    config, store = st.open_store()
    t = st.translator()
    with store.read() as s:
        rows = operators.list_operators(s)
    table = Table(t("field.staff_no"), t("field.name"), t("field.role"), t("field.active"))
    for op in rows:
        table.add_row(op.staff_no, op.name, t(f"role.{op.role}"), t("key.yes") if op.active else t("key.no"))
    Console(markup=False, highlight=False).print(table)  # names are data, never markup


@app.command("passwd")
def passwd(
    ctx: typer.Context,
    staff_no: Annotated[str, typer.Option("--staff-no")],
    pin_stdin: Annotated[bool, typer.Option("--pin-stdin")] = False,
) -> None:
    """Set a new PIN for an operator (also clears a lockout)."""
    from deskconsole.clock import SystemClock
    from deskconsole.services import operators

    st = state(ctx)
    pin = read_pin(pin_stdin, "New PIN (4-8 digits)")
    operators.check_pin_format(pin)
    _, store = st.open_store()
    store.write(lambda s: operators.change_pin(s, staff_no=staff_no, new_pin=pin, now=SystemClock().now()))
    print(f"PIN changed for {staff_no}")


def _set_active(ctx: typer.Context, staff_no: str, active: bool) -> None:
    from deskconsole.clock import SystemClock
    from deskconsole.services import operators

    _, store = state(ctx).open_store()
    info = store.write(lambda s: operators.set_active(s, staff_no=staff_no, active=active, now=SystemClock().now()))
    print(f"{info.staff_no} {'activated' if active else 'deactivated'}")


@app.command("deactivate")
def deactivate(ctx: typer.Context, staff_no: Annotated[str, typer.Option("--staff-no")]) -> None:
    """Stop an operator from signing on (records stay)."""
    _set_active(ctx, staff_no, False)


@app.command("activate")
def activate(ctx: typer.Context, staff_no: Annotated[str, typer.Option("--staff-no")]) -> None:
    """Let a deactivated operator sign on again."""
    _set_active(ctx, staff_no, True)
