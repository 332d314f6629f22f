"""The `deskconsole` command. With no subcommand it starts the console without loading Typer
and the other commands (a faster first frame); everything else goes through Typer, which
imports Textual and SQLAlchemy only inside the commands that need them."""

from __future__ import annotations

import os
import sys


def main() -> None:
    # Ctrl+C while Python imports the commands (a second or more on a slow PC) is an
    # interruption like any other: one line and 130, never a traceback.
    try:
        code = _run()
    except KeyboardInterrupt:
        from deskconsole.cli.common import interrupted

        code = interrupted(sys.argv[1:])
    from deskconsole.cli.common import INTERRUPTED

    if code == INTERRUPTED:
        _interruption_handled()
    sys.exit(code)


def _run() -> int:
    from deskconsole import logs
    from deskconsole.cli.common import guard, run_guarded

    logs.setup()  # --log-level, when given, changes only the level
    from deskconsole.cli.console import console_options, run_console

    # A shell asking for completions runs `deskconsole` with no arguments and this variable set:
    # Typer answers it; the console must not start.
    completing = "_DESKCONSOLE_COMPLETE" in os.environ
    options = None if completing else console_options(sys.argv[1:])
    if options is not None:
        return guard(lambda: run_console(*options))
    from deskconsole.cli.main import app

    return run_guarded(app)


def _interruption_handled() -> None:
    """Tell CPython the Ctrl+C was handled. It keeps a flag, set when a KeyboardInterrupt
    leaves code that exec() ran from a string (dataclasses and namedtuple build their methods
    so, while modules import), and cleared only when exec() runs a string again. Run as
    `python -m deskconsole`, the interpreter reads that flag after our sys.exit(130) and ends by
    killing itself with SIGINT instead (seen as -2 from subprocess; the console script and
    `python -c` exit as told)."""
    exec("None")  # noqa: S102 - a constant string: clears the flag, runs nothing
