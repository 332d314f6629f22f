"""`deskconsole [--db X] [--lang L] [COMMAND]`: with no command, the console runs."""

from __future__ import annotations

from typing import Annotated

import typer

from deskconsole import __version__
from deskconsole.cli import audit as audit_cli
from deskconsole.cli import db as db_cli
from deskconsole.cli import demo as demo_cli
from deskconsole.cli import directory as directory_cli
from deskconsole.cli import etiquette as etiquette_cli
from deskconsole.cli import export as export_cli
from deskconsole.cli import operator as operator_cli
from deskconsole.cli import purge as purge_cli
from deskconsole.cli import shift as shift_cli
from deskconsole.cli import summary as summary_cli
from deskconsole.cli import ticket as ticket_cli
from deskconsole.cli import visitor as visitor_cli
from deskconsole.cli.common import CliState, state

app = typer.Typer(
    name="deskconsole",
    help="Keyboard-only front-desk console. With no command, starts the console.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.add_typer(operator_cli.app, name="operator")
app.add_typer(ticket_cli.app, name="ticket")
app.add_typer(db_cli.app, name="db")
app.add_typer(visitor_cli.app, name="visitor")
app.add_typer(directory_cli.app, name="directory")
app.add_typer(etiquette_cli.app, name="etiquette")
app.add_typer(shift_cli.app, name="shift")
app.command("summary")(summary_cli.summary)
app.command("export")(export_cli.export)
app.add_typer(audit_cli.app, name="audit")
app.command("purge")(purge_cli.purge)
app.command("void")(purge_cli.void)
app.command("demo")(demo_cli.demo)


def _version(value: bool) -> None:
    if value:
        print(f"deskconsole {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    db: Annotated[str | None, typer.Option("--db", help="SQLite file path or SQLAlchemy URL (env DESKCONSOLE_DB).")] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="zh-CN or en (env DESKCONSOLE_LANG).")] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")] = False,
) -> None:
    ctx.obj = CliState(db=db, lang=lang)
    if ctx.invoked_subcommand is None:
        _run_console(ctx.obj)


@app.command()
def run(ctx: typer.Context) -> None:
    """Start the console (the same as giving no command)."""
    _run_console(state(ctx))


def _run_console(st: CliState) -> None:
    from deskconsole.cli.console import run_console

    code = run_console(st.db, st.lang)
    if code:
        raise typer.Exit(code)
