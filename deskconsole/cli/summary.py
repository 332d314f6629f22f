"""`deskconsole summary`: the end-of-shift summary (DOMAIN §6) for a shift, a day or a range,
as a Rich table, JSON (stable, documented in the README), CSV, Markdown or XLSX. The figures
come from `services.summary.summarize`, the function the F6 screen shows."""

from __future__ import annotations

import io
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, Literal

import typer

from deskconsole.cli.common import MAX_ID, fail, parse_date, parse_datetime, state

Format = Literal["table", "json", "csv", "md", "xlsx"]


def resolve_period(session, config, now: datetime, *, shift: int | None, day: str | None,
                   from_time: str | None, to_time: str | None, date_range: tuple[str, str] | None):
    from deskconsole.services.summary import Period, parse_period

    chosen = sum(x is not None for x in (shift, day, date_range))
    if chosen > 1:
        fail("cli.summary.one_period")
    if (from_time or to_time) and day is None:
        fail("cli.summary.times_need_date")
    if shift is not None:
        return Period.for_shift(session, shift, config.timezone, now)
    if date_range is not None:
        first, last = parse_date(date_range[0], "--range"), parse_date(date_range[1], "--range")
        return parse_period(config.timezone, now, day=first.isoformat(), to_day=last.isoformat())
    if day is None:
        day = now.astimezone(config.tz).date().isoformat()
    day = parse_date(day, "--date").isoformat()
    return parse_period(config.timezone, now, day=day, from_time=from_time or "", to_time=to_time or "")


def resolve_filters(session, desk: str | None, operator: str | None) -> tuple[int | None, int | None]:
    from sqlalchemy import select

    from deskconsole.models import Desk, Operator

    desk_id = op_id = None
    if desk is not None:
        desk_id = session.execute(select(Desk.id).where(Desk.name == desk)).scalar_one_or_none()
        if desk_id is None:
            fail("cli.summary.no_desk", desk=desk[:40])
    if operator is not None:
        op_id = session.execute(select(Operator.id).where(Operator.staff_no == operator)).scalar_one_or_none()
        if op_id is None:
            fail("cli.error.no_operator", staff_no=operator[:20])
    return desk_id, op_id


def parse_as_of(text: str | None, tz) -> datetime | None:
    return parse_datetime(text, "--as-of", tz)


def summary(
    ctx: typer.Context,
    shift: Annotated[int | None, typer.Option("--shift", min=1, max=MAX_ID, metavar="ID", help="A shift by its number.")] = None,
    day: Annotated[str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="A site-local day YYYY-MM-DD (default: today).")] = None,
    from_time: Annotated[str | None, typer.Option("--from", metavar="HH:MM", help="With --date: start HH:MM.")] = None,
    to_time: Annotated[str | None, typer.Option("--to", metavar="HH:MM", help="With --date: end HH:MM (before --from: next day).")] = None,
    date_range: Annotated[tuple[str, str] | None, typer.Option("--range", metavar="FROM TO", help="FROM TO dates, both included.")] = None,
    desk: Annotated[str | None, typer.Option("--desk", metavar="NAME", help="Only this desk (its name).")] = None,
    operator: Annotated[str | None, typer.Option("--operator", metavar="STAFF_NO", help="Only this operator (staff number).")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="How to print it.")] = "table",
    output: Annotated[Path | None, typer.Option("--output", metavar="FILE", help="Write to this file (xlsx needs one).")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="YYYY-MM-DDTHH:MM", help="Read states (overdue now) as of this local time.")] = None,
) -> None:
    """The end-of-shift summary: visitors, calls, tickets, etiquette and handover."""
    from deskconsole.clock import SystemClock
    from deskconsole.services.sla import rules_from
    from deskconsole.services.summary import summarize

    if fmt == "xlsx" and output is None:
        fail("cli.error.xlsx_needs_output")
    st = state(ctx)
    config, store = st.open_store()
    t = st.translator()
    now = parse_as_of(as_of, config.tz) or SystemClock().now()
    from deskconsole.cli.progress import progress

    with progress(st, "progress.summary") as step, store.read() as s:
        period = resolve_period(s, config, now, shift=shift, day=day, from_time=from_time, to_time=to_time,
                                date_range=date_range)
        desk_id, op_id = resolve_filters(s, desk, operator)
        data = summarize(s, period, desk_id=desk_id, operator_id=op_id, rules=rules_from(config),
                         progress=step).to_dict()
    write_summary(data, t, fmt, output)
    if output is not None:
        print(t("cli.summary.written", path=output))


def write_summary(data: dict, t, fmt: str, output: Path | None) -> None:
    from deskconsole.services import exports
    from deskconsole.services.sheets import Sheet
    from deskconsole.services.summary import render

    title = render.period_title(data, t)
    if fmt == "xlsx":
        # A sheet to print: sections with headings, figure | value; the handover on its own sheet.
        tz = data["period"]["timezone"]
        exports.write_xlsx(output, [
            Sheet(t("shift.export.summary"), render.sheet_header(t), render.sheet_rows(data, t), tz,
                  title=title, autofilter=False),
            Sheet(t("shift.section.handover"), render.handover_header(t), render.handover_cells(data, t), tz,
                  title=title)])
        return
    if fmt == "csv":
        head, body = render.csv_rows(data, t)
        if output is None:
            exports.write_csv(sys.stdout.buffer, head, body)
        else:
            with output.open("wb") as fh:
                exports.write_csv(fh, head, body)
        return
    if fmt == "json":
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "md":
        text = render.markdown(data, t, title)
    else:
        text = _rich_table(data, t, title, to_file=output is not None)
        if output is None:
            return
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


def _rich_table(data: dict, t, title: str, *, to_file: bool) -> str:
    """Rich measures East Asian wide characters, so Chinese labels line up."""
    from rich.console import Console
    from rich.table import Table

    from deskconsole.services.summary import SECTIONS, render

    # Names and notes in the store are data, never markup (STYLE §14).
    console = (Console(file=io.StringIO(), record=True, width=100, markup=False, highlight=False) if to_file
               else Console(markup=False, highlight=False))
    console.print(title)
    rows = render.labelled_rows(data, t)
    for section in SECTIONS:
        table = Table(title=render.section_label(t, section), title_justify="left")
        table.add_column(t("shift.col.figure"))
        table.add_column(t("shift.col.value"), justify="right")
        for sec, key, lab, value in rows:
            if sec == section and not key.startswith("by_hour."):
                style = "bold red" if render.needs_attention(data, sec, key) else None
                table.add_row(lab, render.shown(value), style=style)
        console.print(table)
    hand = Table(*render.handover_header(t), title=t("shift.section.handover"), title_justify="left")
    for row in render.handover_rows(data, t):
        hand.add_row(*row)
    console.print(hand)
    return console.export_text() if to_file else ""
