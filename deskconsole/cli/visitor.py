"""`deskconsole visitor expect|roll-call`: pre-register a visitor; print or write the roll call
of everyone in the building (CSV with BOM, or printable text), without the console."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from deskconsole.cli.common import state

app = typer.Typer(help="Visitors: expected visitors and the roll call.", no_args_is_help=True)


@app.command("expect")
def expect(
    ctx: typer.Context,
    name: Annotated[str, typer.Option("--name", help="Visitor's name (surname is enough).")],
    at: Annotated[str, typer.Option("--at", help="'14:30' (today), '11-26 14:30' or '2026-11-26 14:30', site time.")],
    honorific: Annotated[Literal["", "mr", "mrs", "ms", "miss", "child"], typer.Option(
        "--honorific", help="How to address them (empty: by name).")] = "",
    phone: Annotated[str, typer.Option("--phone")] = "",
    unit: Annotated[str, typer.Option("--unit")] = "",
    host: Annotated[str, typer.Option("--host", help="Whom they visit.")] = "",
    purpose: Annotated[str, typer.Option("--purpose", help="A code from the purposes catalog (deskconsole/data/purposes.toml).")] = "visit_resident",
    party: Annotated[int, typer.Option("--party", help="Party size.")] = 1,
    note: Annotated[str, typer.Option("--note")] = "",
) -> None:
    """Pre-register an expected visitor; they show in today's list on the reception screen."""
    from deskconsole.clock import SystemClock
    from deskconsole.services import reception_query as rq
    st = state(ctx)
    config, store = st.open_store()
    now = SystemClock().now()
    when = rq.parse_when(at, now=now, tz=config.tz)
    e = store.write(lambda s: rq.expect(s, None, when=when, name=name, honorific=honorific, phone=phone,
                                        unit=unit, host=host, purpose=purpose, party_size=party, note=note,
                                        now=now))
    print(st.translator()("cli.visitor.expected", id=e.id, name=e.name,
                          at=f"{when.astimezone(config.tz):%Y-%m-%d %H:%M}"))


@app.command("roll-call")
def roll_call(
    ctx: typer.Context,
    fmt: Annotated[Literal["text", "csv"], typer.Option(
        "--format", help="text (printable) or csv (UTF-8 with BOM).")] = "text",
    output: Annotated[str | None, typer.Option("--output", "-o", help="File to write; default: print.")] = None,
) -> None:
    """Everyone on the premises now (waiting in the lobby, or served and not checked out), for an evacuation."""
    import sys

    from deskconsole.clock import SystemClock
    from deskconsole.services import reception_query as rq

    st = state(ctx)
    config, store = st.open_store()
    t = st.translator()
    now = SystemClock().now()
    with store.read() as s:
        roll = rq.on_premises(s)
    site = config.site_name or t("app.default_site")
    if output:
        path = rq.write_roll_call(output, roll, None, t, config.tz, fmt=fmt, now=now, site=site)
        print(f"{path}: {rq.totals(t, roll.visits)}")
        return
    if fmt == "csv":
        sys.stdout.write(rq.roll_call_csv(roll, None, t, config.tz))
    else:
        sys.stdout.write(rq.roll_call_text(roll, None, t, config.tz, now=now, site=site))
