"""`deskconsole [--db X] [--lang L] [COMMAND]`: with no command, the console runs."""

from __future__ import annotations

from typing import Annotated

import typer

from deskconsole.cli import audit as audit_cli
from deskconsole.cli import db as db_cli
from deskconsole.cli import demo as demo_cli
from deskconsole.cli import directory as directory_cli
from deskconsole.cli import etiquette as etiquette_cli
from deskconsole.cli import export as export_cli
from deskconsole.cli import operator as operator_cli
from deskconsole.cli import phone as phone_cli
from deskconsole.cli import purge as purge_cli
from deskconsole.cli import register as register_cli
from deskconsole.cli import report as report_cli
from deskconsole.cli import shift as shift_cli
from deskconsole.cli import summary as summary_cli
from deskconsole.cli import ticket as ticket_cli
from deskconsole.cli import timeline as timeline_cli
from deskconsole.cli import visitor as visitor_cli
from deskconsole.cli import watch as watch_cli
from deskconsole.cli.common import CliState, state

app = typer.Typer(
    name="deskconsole",
    help="Keyboard-only front-desk console. With no command, starts the console. "
         "--db and --lang may also follow the command. Exit codes: 0 done, 1 a check found a problem, "
         "2 refused (usage, input, config or store), 3 a fault (see the crash log).",
    no_args_is_help=False,
    add_completion=True,
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
app.add_typer(watch_cli.app, name="watch")
app.add_typer(phone_cli.app, name="phone")
app.add_typer(register_cli.app, name="register")
app.command("summary")(summary_cli.summary)
app.command("export")(export_cli.export)
app.command("report")(report_cli.report)
app.add_typer(audit_cli.app, name="audit")
app.command("purge")(purge_cli.purge)
app.command("void")(purge_cli.void)
app.command("demo")(demo_cli.demo)
app.command("timeline")(timeline_cli.timeline)


def _version(value: bool) -> None:
    if value:
        from deskconsole import __version__

        print(f"deskconsole {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    db: Annotated[str | None, typer.Option("--db", metavar="PATH|URL", help="SQLite file path or SQLAlchemy URL (env DESKCONSOLE_DB).")] = None,
    lang: Annotated[str | None, typer.Option("--lang", metavar="zh-CN|en", help="The console's language (env DESKCONSOLE_LANG).")] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")] = False,
    log_level: Annotated[str | None, typer.Option(
        "--log-level", metavar="LEVEL", help="debug, info, warning or error (env DESKCONSOLE_LOG_LEVEL); the log file is in the user log folder.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
) -> None:
    from deskconsole import logs

    if log_level is not None and log_level.lower() not in logs.LEVELS:
        raise typer.BadParameter(f"must be one of: {', '.join(logs.LEVELS)}", param_hint="--log-level")
    logs.setup(level=log_level)
    logs.log.info("command %s", ctx.invoked_subcommand or "console")
    st = state(ctx)  # run_guarded hands in its CliState, so a refusal speaks the chosen language
    st.db, st.lang, st.quiet = db, lang, quiet
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
