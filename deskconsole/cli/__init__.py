"""The `deskconsole` command. With no subcommand it starts the console without loading Typer
and the other commands (a faster first frame); everything else goes through Typer, which
imports Textual and SQLAlchemy only inside the commands that need them."""

from __future__ import annotations

import os
import sys


def main() -> None:
    from deskconsole import logs
    from deskconsole.cli.common import guard, run_guarded

    logs.setup()  # --log-level, when given, changes only the level
    from deskconsole.cli.console import console_options, run_console

    # A shell asking for completions runs `deskconsole` with no arguments and this variable set:
    # Typer answers it; the console must not start.
    completing = "_DESKCONSOLE_COMPLETE" in os.environ
    options = None if completing else console_options(sys.argv[1:])
    if options is not None:
        sys.exit(guard(lambda: run_console(*options)))
    from deskconsole.cli.main import app

    sys.exit(run_guarded(app))
