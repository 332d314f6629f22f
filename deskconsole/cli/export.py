"""`deskconsole export visits|calls|tickets|inspections --from D --to D --format csv|xlsx`.
Phones are masked unless `--unmask`, which a supervisor unlocks with staff number and PIN
(hidden prompt, or --pin-stdin); who unmasked what is written to the audit trail."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from deskconsole.cli.common import fail, state


def _supervisor_pin(store, staff_no: str | None, pin_stdin: bool, now):
    from deskconsole.services import operators

    if not staff_no:
        if pin_stdin or not sys.stdin.isatty():
            fail("--unmask: give --supervisor STAFF_NO")
        staff_no = typer.prompt("Supervisor staff no.")
    if pin_stdin:
        pin = sys.stdin.readline().strip()
        if not pin:
            fail("--pin-stdin: standard input is empty")
    else:
        if not sys.stdin.isatty():
            fail("no terminal to type a PIN in; pipe it with --pin-stdin")
        pin = typer.prompt("Supervisor PIN", hide_input=True)
    op = operators.authenticate_in(store, staff_no=staff_no, pin=pin, now=now)
    if op.role != "supervisor":
        fail(f"--unmask needs a supervisor; {op.staff_no} is not one")
    return op


def export(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="visits, calls, tickets or inspections.")],
    first: Annotated[str, typer.Option("--from", help="First day YYYY-MM-DD (site-local).")],
    last: Annotated[str, typer.Option("--to", help="Last day YYYY-MM-DD, included.")],
    fmt: Annotated[str, typer.Option("--format", help="csv (UTF-8 with BOM) or xlsx.")] = "csv",
    output: Annotated[Path | None, typer.Option("--output", help="File to write (xlsx needs one).")] = None,
    unmask: Annotated[bool, typer.Option("--unmask", help="Show phone numbers whole (supervisor PIN).")] = False,
    supervisor: Annotated[str | None, typer.Option("--supervisor", help="With --unmask: the supervisor's staff no.")] = None,
    pin_stdin: Annotated[bool, typer.Option("--pin-stdin", help="Read the supervisor PIN from standard input.")] = False,
) -> None:
    """Export raw records of a date range for Excel, headers in the console's language."""
    from deskconsole.clock import SystemClock
    from deskconsole.services import audit, exports
    from deskconsole.services.summary import parse_period

    if kind not in exports.KINDS:
        fail(f"export what? one of {', '.join(exports.KINDS)}")
    if fmt not in exports.FORMATS:
        fail(f"--format must be one of {', '.join(exports.FORMATS)}")
    if fmt == "xlsx" and output is None:
        fail("--format xlsx needs --output FILE")
    st = state(ctx)
    config, store = st.open_store()
    t = st.translator()
    now = SystemClock().now()
    period = parse_period(config.timezone, now, day=first, to_day=last)
    if unmask:
        op = _supervisor_pin(store, supervisor, pin_stdin, now)
        # DOMAIN §1 / 003: customer information leaves the console only on a supervisor's word.
        store.write(lambda s: audit.record(s, at=now, action="export_unmasked", entity=kind, operator_id=op.id,
                                           after={"from": first, "to": last, "format": fmt}))
    from deskconsole.cli.progress import progress

    with progress(st, "progress.export"), store.read() as s:
        if fmt == "xlsx":
            n = exports.export(s, kind, period, fmt, output, t, unmasked=unmask)
        elif output is None:
            n = exports.export(s, kind, period, fmt, sys.stdout.buffer, t, unmasked=unmask)
        else:
            with output.open("wb") as fh:
                n = exports.export(s, kind, period, fmt, fh, t, unmasked=unmask)
    if output is not None:
        print(f"{n} {kind} -> {output}", file=sys.stderr)
