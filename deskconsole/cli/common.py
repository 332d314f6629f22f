"""What every subcommand shares: global options, opening the store, and errors as one line
with exit code 2 (never a traceback)."""

from __future__ import annotations

import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from deskconsole.config import ConfigError

if TYPE_CHECKING:
    import typer


@dataclass
class CliState:
    db: str | None = None
    lang: str | None = None

    def config(self):
        from deskconsole.config import load_config

        return load_config(db=self.db, language=self.lang)

    def translator(self):
        from deskconsole.i18n import Translator

        return Translator(self.config().language)

    def open_store(self):
        """(config, opened store). Upgrades the schema, like the console does."""
        from deskconsole.db.store import Store

        config = self.config()
        return config, Store(config.db_url).open()


def state(ctx: typer.Context) -> CliState:
    obj = ctx.find_root().obj
    if not isinstance(obj, CliState):
        obj = CliState()
        ctx.find_root().obj = obj
    return obj


class CliFailure(Exception):
    """A one-line error for the user."""


def fail(message: str) -> None:
    raise CliFailure(message)


def run_guarded(app) -> int:
    """Run the Typer app; turn every expected error into one line on stderr and exit 2."""
    return guard(lambda: app(standalone_mode=False))


def guard(run) -> int:
    """Call run(); turn every expected error into one line on stderr and exit 2."""
    from deskconsole.db.store import StoreError
    from deskconsole.services.errors import DeskError

    try:
        code = run()
        if isinstance(code, int) and code:
            return code
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0
    except (ConfigError, StoreError, CliFailure) as exc:
        print(f"deskconsole: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except DeskError as exc:
        from deskconsole.i18n import Translator

        try:
            from deskconsole.config import load_config

            t = Translator(load_config().language)
        except ConfigError:
            t = Translator("en")
        print(f"deskconsole: {_one_line(exc.message(t))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("deskconsole: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last guard before a user sees a traceback
        import typer  # only now: the console's fast path never imports it

        # Typer vendors click (typer._click): usage errors are TyperExceptions with show().
        if isinstance(exc, typer.TyperException):
            show = getattr(exc, "show", None)
            if callable(show):
                show()
            else:
                print(f"deskconsole: {exc.format_message()}", file=sys.stderr)
            return 2
        if isinstance(exc, typer.Abort):
            print("deskconsole: aborted", file=sys.stderr)
            return 2
        from deskconsole.db.base import classify

        if (kind := classify(exc)) is not None:  # the store lost, full or read-only: say which
            print(f"deskconsole: {_store_line(kind)}", file=sys.stderr)
            return 1
        log = _write_crash_log(exc)
        print(f"deskconsole: unexpected error ({type(exc).__name__}); details in {log}", file=sys.stderr)
        return 1
    return 0


def _store_line(kind: str) -> str:
    from deskconsole.i18n import Translator

    try:
        from deskconsole.config import load_config

        t = Translator(load_config().language)
    except ConfigError:
        t = Translator("en")
    return t(f"store.cli.{kind}")


def _one_line(message: str) -> str:
    """A message may quote what was typed: never let it carry an escape to the terminal."""
    from deskconsole.services.text import strip_controls

    return strip_controls(message)


def _write_crash_log(exc: BaseException) -> Path:
    import os

    from deskconsole.config import default_dirs

    try:
        _, data_dir = default_dirs(os.environ)
        data_dir.mkdir(parents=True, exist_ok=True)
        path = data_dir / "deskconsole.log"
        with path.open("a", encoding="utf-8") as fh:
            fh.write("".join(traceback.format_exception(exc)))
        return path
    except OSError:
        return Path("(no log: data folder not writable)")


def read_pin(pin_stdin: bool, prompt: str) -> str:
    """A PIN from a hidden prompt, or one line of standard input with --pin-stdin.
    Never an argument: it would land in shell history."""
    if pin_stdin:
        line = sys.stdin.readline()
        if not line:
            fail("--pin-stdin: standard input is empty")
        return line.strip()
    if not sys.stdin.isatty():
        fail("no terminal to type a PIN in; pipe it with --pin-stdin")
    import typer

    return typer.prompt(prompt, hide_input=True, confirmation_prompt=True)
