"""`deskconsole export visits|calls|tickets|inspections --from D --to D --format csv|xlsx`.
Phones are masked unless `--unmask`, which a supervisor unlocks with staff number and PIN
(hidden prompt, or --pin-stdin); who unmasked what is written to the audit trail."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from deskconsole.cli.common import fail, parse_date, state


def _supervisor_pin(store, staff_no: str | None, pin_stdin: bool, now, t):
    from deskconsole.services import operators

    if not staff_no:
        if pin_stdin or not sys.stdin.isatty():
            fail("cli.export.need_supervisor")
        staff_no = typer.prompt(t("cli.prompt.supervisor_staff_no"))
    if pin_stdin:
        pin = sys.stdin.readline().strip()
        if not pin:
            fail("cli.error.pin_stdin_empty")
    else:
        if not sys.stdin.isatty():
            fail("cli.error.no_terminal_for_pin")
        pin = typer.prompt(t("cli.prompt.supervisor_pin"), hide_input=True)
    op = operators.authenticate_in(store, staff_no=staff_no, pin=pin, now=now)
    if op.role != "supervisor":
        fail("cli.export.not_supervisor", staff_no=op.staff_no)
    return op


def export(
    ctx: typer.Context,
    kind: Annotated[Literal["visits", "calls", "tickets", "inspections"], typer.Argument(help="What to export.")],
    first: Annotated[str, typer.Option("--from", metavar="YYYY-MM-DD", help="First day YYYY-MM-DD (site-local).")],
    last: Annotated[str, typer.Option("--to", metavar="YYYY-MM-DD", help="Last day YYYY-MM-DD, included.")],
    fmt: Annotated[Literal["csv", "xlsx"], typer.Option("--format", help="csv (UTF-8 with BOM) or xlsx.")] = "csv",
    output: Annotated[Path | None, typer.Option("--output", metavar="FILE", help="File to write (xlsx needs one).")] = None,
    unmask: Annotated[bool, typer.Option("--unmask", help="Show phone numbers whole (supervisor PIN).")] = False,
    supervisor: Annotated[str | None, typer.Option("--supervisor", metavar="STAFF_NO", help="With --unmask: the supervisor's staff no.")] = None,
    pin_stdin: Annotated[bool, typer.Option("--pin-stdin", help="Read the supervisor PIN from standard input.")] = False,
) -> None:
    """Export raw records of a date range for Excel, headers in the console's language."""
    from deskconsole.clock import SystemClock
    from deskconsole.services import audit, exports
    from deskconsole.services.summary import parse_period

    if fmt == "xlsx" and output is None:
        fail("cli.error.xlsx_needs_output")
    first_day, last_day = parse_date(first, "--from"), parse_date(last, "--to")
    st = state(ctx)
    config, store = st.open_store()
    t = st.translator()
    now = SystemClock().now()
    period = parse_period(config.timezone, now, day=first_day.isoformat(), to_day=last_day.isoformat())
    if unmask:
        op = _supervisor_pin(store, supervisor, pin_stdin, now, t)
        # DOMAIN §1 / 003: customer information leaves the console only on a supervisor's word.
        store.write(lambda s: audit.record(s, at=now, action="export_unmasked", entity=kind, operator_id=op.id,
                                           after={"from": first, "to": last, "format": fmt}))
    from deskconsole.cli.progress import progress

    title = t("report.page_title", title=t(f"shift.export.{kind}"), first=first_day.isoformat(),
              last=last_day.isoformat(), timezone=config.timezone)
    with progress(st, "progress.export") as step, store.read() as s:
        if fmt == "xlsx":
            n = exports.export(s, kind, period, fmt, output, t, unmasked=unmask, title=title, progress=step)
        elif output is None:
            n = exports.export(s, kind, period, fmt, sys.stdout.buffer, t, unmasked=unmask, progress=step)
        else:
            with output.open("wb") as fh:
                n = exports.export(s, kind, period, fmt, fh, t, unmasked=unmask, progress=step)
    # One summary line, on standard error: standard output may be the export itself.
    print(t("cli.export.done", count=n, kind=t(f"shift.export.{kind}"),
            path=output if output is not None else t("cli.export.stdout")), file=sys.stderr)
