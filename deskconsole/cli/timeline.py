"""`deskconsole timeline --unit U | --phone P`: every visit, call, ticket, follow-up and
watch-list hit of a unit or a number, newest first, open tickets first (phones masked)."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Literal

import typer

from deskconsole.cli.common import state


def timeline(
    ctx: typer.Context,
    unit: Annotated[str | None, typer.Option("--unit", help="A unit, as the directory writes it (A-1201).")] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="A phone number (any common way of writing it).")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=200, help="Lines per page.")] = 20,
    after: Annotated[str | None, typer.Option("--after", help="The cursor printed after the previous page.")] = None,
    fmt: Annotated[Literal["table", "json"], typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """The timeline of one unit or one phone number, newest first, a page at a time."""
    from deskconsole.services import timeline as tl
    from deskconsole.services.timeline import render

    st = state(ctx)
    config, store = st.open_store()
    t = st.translator()
    target = tl.Target.of(unit=unit, phone=phone)
    cursor = tl.Cursor.parse(after) if after else None
    with store.read() as s:
        page = tl.page(s, target, limit=limit, after=cursor)
    tz = config.tz
    if fmt == "json":
        json.dump(render.as_json(page, None, tz), sys.stdout, ensure_ascii=False, indent=2)
        print()
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from deskconsole.services.text import strip_controls

    def cells(values: dict, columns=render.COLUMNS) -> list[Text]:  # a record's text is data, never markup
        return [Text(strip_controls(values[c])) for c in columns]

    console = Console(markup=False, highlight=False)
    name = target.unit or render.mask_for(target.phone, None)
    if page.open_tickets:
        table = Table(*(t(f"timeline.col.{c}") for c in render.OPEN_COLUMNS),
                      title=t("timeline.open_heading", count=page.open_count), title_justify="left")
        for o in page.open_tickets:
            table.add_row(*cells(render.open_ticket_row(t, o, tz), render.OPEN_COLUMNS))
        console.print(table)
    if not page.entries and cursor is None:
        console.print(Text(t("timeline.empty", target=name)))
        return
    table = Table(*(t(f"timeline.col.{c}") for c in render.COLUMNS),
                  title=t("timeline.title", target=name), title_justify="left")
    for e in page.entries:
        table.add_row(*cells(render.line(t, e, None, tz)))
    console.print(table)
    if page.next_cursor:
        console.print(Text(t("timeline.next", cursor=page.next_cursor.text())))
