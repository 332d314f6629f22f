"""`deskconsole operator add|list|passwd|deactivate|activate`.

Changing operators is a supervisor's act: `--as STAFF_NO` names them and their PIN is asked
(hidden), or read from standard input with `--pin-stdin`: the first line is the PIN of the one
named by --as, the second (add, passwd) the new PIN. Only the first supervisor of a store that
nobody can sign on to is added without --as (then the one line is the new PIN), and an operator
changes their own PIN by naming themself (first line: their current PIN).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from deskconsole.cli.common import fail, state

app = typer.Typer(help="Manage operators (receptionists and supervisors).", no_args_is_help=True)

STDIN_HELP = ("Read PINs from standard input, one a line: first the PIN of the operator named by --as "
              "(your current PIN when you change your own), then (add, passwd) the new PIN.")
AsOption = Annotated[str | None, typer.Option(
    "--as", metavar="STAFF_NO", help="Staff number of the supervisor doing this (their PIN is asked).")]
PinStdin = Annotated[bool, typer.Option("--pin-stdin", help=STDIN_HELP)]


class _Pins:
    """PINs from hidden prompts, or successive lines of standard input with --pin-stdin.
    Never arguments: they would land in shell history."""

    def __init__(self, from_stdin: bool, t) -> None:
        self.from_stdin, self.t = from_stdin, t
        if not from_stdin and not sys.stdin.isatty():
            fail("operator.no_terminal")

    def read(self, prompt_key: str, staff_no: str, *, confirm: bool = False) -> str:
        if self.from_stdin:
            line = sys.stdin.readline()
            if not line:
                fail("operator.stdin_ended")
            return line.strip()
        return typer.prompt(self.t(prompt_key, staff_no=staff_no), hide_input=True, confirmation_prompt=confirm)


def _now():
    from deskconsole.clock import SystemClock

    return SystemClock().now()


@app.command("add")
def add(
    ctx: typer.Context,
    staff_no: Annotated[str, typer.Option("--staff-no", help="Staff number (工号).")],
    name: Annotated[str, typer.Option("--name", help="Full name.")],
    role: Annotated[str, typer.Option("--role", help="receptionist or supervisor.")] = "receptionist",
    acting: AsOption = None,
    pin_stdin: PinStdin = False,
) -> None:
    """Add an operator (4-8 digit PIN; 6-8 for a supervisor). Needs --as a supervisor, except the
    first supervisor of an empty store. With --pin-stdin: the supervisor's PIN, then the new PIN."""
    from deskconsole.services import operators
    from deskconsole.services.errors import DeskError

    st = state(ctx)
    t = st.translator()
    operators.check_staff_no(staff_no)
    if acting is not None:
        operators.check_staff_no(acting)
    _, store = st.open_store(create=True)
    if acting is None:
        with store.read() as s:
            empty = operators.count_active(s) == 0
        if not empty:
            raise DeskError("error.admin_needs_supervisor", field="staff_no")
        if role != "supervisor":
            raise DeskError("error.first_must_be_supervisor", field="role")
    pins = _Pins(pin_stdin, t)
    acting_pin = pins.read("operator.acting_pin", acting) if acting is not None else None
    pin = pins.read("operator.new_pin", staff_no, confirm=True)
    operators.check_pin_format(pin, role)
    if acting is None:
        info = store.write(lambda s: operators.create_first_supervisor(
            s, staff_no=staff_no, name=name, pin=pin, now=_now()))
    else:
        now = _now()
        info = operators.as_admin(store, staff_no=acting, pin=acting_pin, now=now, act=lambda s, who: (
            operators.create_operator(s, staff_no=staff_no, name=name, role=role, pin=pin, now=now, by=who.id)))
    print(t("operator.added", staff_no=info.staff_no, name=info.name, role=info.role))


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
    staff_no: Annotated[str, typer.Option("--staff-no", help="Whose PIN changes.")],
    acting: AsOption = None,
    pin_stdin: PinStdin = False,
) -> None:
    """Set a new PIN (also clears a lockout). Without --as, or --as yourself: change your own PIN,
    giving the current one first. With --as a supervisor: their PIN, then the new PIN."""
    from deskconsole.services import operators

    st = state(ctx)
    t = st.translator()
    staff_no = operators.check_staff_no(staff_no)
    acting = operators.check_staff_no(acting) if acting is not None else staff_no
    _, store = st.open_store()
    pins = _Pins(pin_stdin, t)
    acting_pin = pins.read("operator.old_pin" if acting == staff_no else "operator.acting_pin", acting)
    pin = pins.read("operator.new_pin", staff_no, confirm=True)
    now = _now()
    operators.as_admin(store, staff_no=acting, pin=acting_pin, now=now, own_staff_no=staff_no, act=lambda s, who: (
        operators.change_pin(s, staff_no=staff_no, new_pin=pin, now=now, by=who.id)))
    print(t("operator.pin_changed", staff_no=staff_no))


def _set_active(ctx: typer.Context, staff_no: str, acting: str, pin_stdin: bool, active: bool) -> None:
    from deskconsole.services import operators

    st = state(ctx)
    t = st.translator()
    staff_no, acting = operators.check_staff_no(staff_no), operators.check_staff_no(acting)
    _, store = st.open_store()
    acting_pin = _Pins(pin_stdin, t).read("operator.acting_pin", acting)
    now = _now()
    info = operators.as_admin(store, staff_no=acting, pin=acting_pin, now=now, act=lambda s, who: (
        operators.set_active(s, staff_no=staff_no, active=active, now=now, by=who.id)))
    print(t("operator.activated" if active else "operator.deactivated", staff_no=info.staff_no))


RequiredAs = Annotated[str, typer.Option(
    "--as", metavar="STAFF_NO", help="Staff number of the supervisor doing this (their PIN is asked).")]


@app.command("deactivate")
def deactivate(ctx: typer.Context, staff_no: Annotated[str, typer.Option("--staff-no")],
               acting: RequiredAs, pin_stdin: PinStdin = False) -> None:
    """Stop an operator from signing on (records stay). With --pin-stdin: the supervisor's PIN."""
    _set_active(ctx, staff_no, acting, pin_stdin, False)


@app.command("activate")
def activate(ctx: typer.Context, staff_no: Annotated[str, typer.Option("--staff-no")],
             acting: RequiredAs, pin_stdin: PinStdin = False) -> None:
    """Let a deactivated operator sign on again. With --pin-stdin: the supervisor's PIN."""
    _set_active(ctx, staff_no, acting, pin_stdin, True)
