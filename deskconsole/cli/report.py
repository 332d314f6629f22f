"""`deskconsole report NAME --from D --to D [--format xlsx|csv|md] [--out PATH] [--desk D]`:
the standard forms a supervisor files (README "Reports"), from `services/reports`: one
module per report there, and the names offered here are the modules found."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Literal

import typer

from deskconsole.cli.common import fail, parse_date, state


def _names() -> list[str]:
    # The registry lists its modules without importing them (no database, no catalogs).
    from deskconsole.services import reports

    return reports.names()


# A choice of the reports there are (Typer shows and checks it): one member per module.
ReportName = Enum("ReportName", {n: n for n in _names()}, type=str)


def report(
    ctx: typer.Context,
    name: Annotated[ReportName, typer.Argument(help="Which report.", show_default=False)],
    first: Annotated[str, typer.Option("--from", help="First day YYYY-MM-DD (site-local).")],
    last: Annotated[str, typer.Option("--to", help="Last day YYYY-MM-DD, included.")],
    fmt: Annotated[Literal["xlsx", "csv", "md"], typer.Option(
        "--format", help="xlsx (to print), csv (UTF-8 with BOM) or md (a Markdown table).")] = "xlsx",
    output: Annotated[Path | None, typer.Option("--out", "--output", help="File to write (xlsx needs one).")] = None,
    desk: Annotated[str | None, typer.Option("--desk", help="Only this desk (its name).")] = None,
) -> None:
    """A standard form for a date range, headers in the console's language."""
    from deskconsole.cli.progress import progress
    from deskconsole.cli.summary import resolve_filters
    from deskconsole.clock import SystemClock
    from deskconsole.services import reports
    from deskconsole.services.labels import Labels
    from deskconsole.services.reports.spec import Query, write
    from deskconsole.services.sla import rules_from
    from deskconsole.services.summary import parse_period

    if fmt == "xlsx" and output is None:
        fail("cli.error.xlsx_needs_output")
    first_day, last_day = parse_date(first, "--from"), parse_date(last, "--to")
    st = state(ctx)
    config, store = st.open_store()
    t = st.translator()
    spec = reports.get(name.value)
    period = parse_period(config.timezone, SystemClock().now(), day=first_day.isoformat(),
                          to_day=last_day.isoformat())
    params = {"title": spec.title(t), "first": first_day.isoformat(), "last": last_day.isoformat(),
              "timezone": config.timezone}
    title = t("report.page_title_desk", desk=desk, **params) if desk else t("report.page_title", **params)
    with progress(st, "progress.report") as step, store.read() as s:
        desk_id, _ = resolve_filters(s, desk, None)
        query = Query(period, t, Labels(t), desk_id=desk_id, rules=rules_from(config), step=step)
        rows = spec.rows(s, query)
        if fmt == "xlsx":
            n = write(spec, rows, fmt, output, t, title=title, timezone=config.timezone)
        elif output is None:
            n = write(spec, rows, fmt, sys.stdout.buffer if fmt == "csv" else sys.stdout, t, title=title,
                      timezone=config.timezone)
        else:
            with output.open("wb") if fmt == "csv" else output.open("w", encoding="utf-8") as fh:
                n = write(spec, rows, fmt, fh, t, title=title, timezone=config.timezone)
    if output is not None:
        print(t("cli.report.done", count=n, report=spec.title(t), path=output), file=sys.stderr)
