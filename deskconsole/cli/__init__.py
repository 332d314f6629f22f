"""The `deskconsole` command. Typer only at import: Textual and SQLAlchemy load when a
command needs them, so `deskconsole --help` is fast (STYLE: cli.py imports lazily)."""

from __future__ import annotations

import sys


def main() -> None:
    from deskconsole.cli.common import run_guarded
    from deskconsole.cli.main import app

    sys.exit(run_guarded(app))
