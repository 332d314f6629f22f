"""Starting the console. Kept free of Typer: `deskconsole` with no command (or only the global
options) comes straight here, so the sign-on screen does not wait for the whole CLI to load."""

from __future__ import annotations

import sys


def run_console(db: str | None, lang: str | None) -> int:
    from deskconsole.cli.common import fail
    from deskconsole.config import load_config
    from deskconsole.db.store import Store, preflight

    config = load_config(db=db, language=lang)
    if config.checklist_path is not None:
        # A company checklist that cannot be read stops here with the line `etiquette show`
        # prints (file:line: problem), not later as a notice nobody reads.
        from deskconsole.services.etiquette_checklist import load_checklist

        load_checklist(config)
    preflight(config.db_url)
    if not sys.stdout.isatty():
        fail("cli.error.no_terminal")
    from deskconsole import logs
    from deskconsole.ui.app import DeskApp

    logs.bind(desk=config.desk_name)
    logs.log.info("console started (%s store)", "SQLite" if config.db_url.startswith("sqlite") else "PostgreSQL")
    app = DeskApp(config=config, store=Store(config.db_url))
    app.run()
    app.store.close()
    logs.log.info("console stopped (exit %s)", app.return_code or 0)
    return app.return_code or 0


def console_options(argv: list[str]) -> tuple[str | None, str | None] | None:
    """(db, lang) when argv asks for the console only (nothing but --db / --lang, or `run`),
    else None (a subcommand, --help, --version, or anything Typer should judge)."""
    db = lang = None
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg in ("--db", "--lang"):
            if not args:
                return None
            value = args.pop(0)
        elif arg.startswith(("--db=", "--lang=")):
            arg, value = arg.split("=", 1)
        elif arg == "run" and not args:
            return db, lang
        else:
            return None
        if arg == "--db":
            db = value
        else:
            lang = value
    return db, lang
