"""`deskconsole watch list|add|remove --as STAFF_NO`: the watch list, kept by a supervisor.

Every command is a supervisor's act: `--as` names them and their PIN is asked (hidden), or
read from standard input with `--pin-stdin`. Each change is audited."""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated, Literal

import typer

from deskconsole.cli.common import MAX_ID, parse_date, state

app = typer.Typer(help="The watch list: people the desk must look out for (supervisors).", no_args_is_help=True)

AsOption = Annotated[str, typer.Option("--as", metavar="STAFF_NO", help="Your staff number (a supervisor).")]
PinStdin = Annotated[bool, typer.Option("--pin-stdin", help="Read the PIN from standard input.")]
Action = Literal["refuse_entry", "call_security", "tell_supervisor"]


def _supervisor(ctx, acting: str, pin_stdin: bool):
    from deskconsole.cli.purge import supervisor_actor

    st = state(ctx)
    config, store = st.open_store()
    return st, config, store, supervisor_actor(store, acting, pin_stdin, "watch.action.keep")


@app.command("list")
def list_(ctx: typer.Context, acting: AsOption, pin_stdin: PinStdin = False,
          ended: Annotated[bool, typer.Option("--all", help="Removed and expired entries too.")] = False) -> None:
    """The entries in force (with --all, every entry), with their reasons."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from deskconsole.services import watch
    from deskconsole.services.phone_numbers import mask_for
    from deskconsole.services.text import strip_controls

    st, config, store, actor = _supervisor(ctx, acting, pin_stdin)
    t = st.translator()
    with store.read() as s:
        rows = watch.entries(s, actor, actor.clock.now(), include_ended=ended)
    if not rows:
        print(t("watch.none"))
        return
    table = Table(*(t(f"watch.col.{c}") for c in ("id", "name", "phone", "action", "reason", "until")))
    for e in rows:
        table.add_row(*(Text(strip_controls(v)) for v in (
            str(e.id), e.name, mask_for(e.phone, actor), t(f"watch.action.{e.action}"), e.reason,
            f"{e.valid_until.astimezone(config.tz):%Y-%m-%d %H:%M}")))
    Console(markup=False, highlight=False).print(table)


@app.command("add")
def add(
    ctx: typer.Context,
    acting: AsOption,
    reason: Annotated[str, typer.Option("--reason", help="Why (shown to supervisors only).")],
    action: Annotated[Action, typer.Option("--action", help="What the desk does when they turn up.")],
    until: Annotated[str, typer.Option("--until", help="Last day in force, YYYY-MM-DD (site time).")],
    name: Annotated[str, typer.Option("--name", help="Surname and given name.")] = "",
    phone: Annotated[str, typer.Option("--phone", help="Phone number.")] = "",
    pin_stdin: PinStdin = False,
) -> None:
    """Add a person to the watch list (name and/or phone)."""
    from deskconsole.services import watch

    st = state(ctx)
    day = parse_date(until, "--until")
    st, config, store, actor = _supervisor(ctx, acting, pin_stdin)
    ends = datetime.combine(day, time(23, 59, 59), tzinfo=config.tz)  # in force all that day
    entry_id = store.write(lambda s: watch.add(s, actor, name=name, phone=phone, reason=reason, action=action,
                                               valid_until=ends).id)
    print(st.translator()("watch.added", id=entry_id))


@app.command("remove")
def remove(ctx: typer.Context, entry_id: Annotated[int, typer.Argument(min=1, max=MAX_ID, help="Entry number.")],
           acting: AsOption, pin_stdin: PinStdin = False) -> None:
    """Remove an entry (it stays in the audit trail)."""
    from deskconsole.services import watch

    st, _, store, actor = _supervisor(ctx, acting, pin_stdin)
    store.write(lambda s: watch.remove(s, actor, entry_id))
    print(st.translator()("watch.removed", id=entry_id))
