"""What every subcommand shares: global options, opening the store, and the one place where an
exception becomes one line on stderr and an exit code (never a traceback).

Exit codes (README "Exit codes"): 0 done; 1 a check found a problem (`audit verify`,
`db check`); 2 refused: a usage error, bad input, or a config or store that cannot be used;
3 a fault in deskconsole itself (details in the crash log); 130 interrupted (Ctrl+C).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from deskconsole.config import ConfigError

if TYPE_CHECKING:
    import typer

OK, PROBLEM, REFUSED, FAULT, INTERRUPTED = 0, 1, 2, 3, 130
GLOBAL_OPTIONS = ("--db", "--lang")


@dataclass
class CliState:
    db: str | None = None
    lang: str | None = None
    quiet: bool = False  # no progress bars

    def config(self):
        from deskconsole.config import load_config

        return load_config(db=self.db, language=self.lang)

    def translator(self):
        from deskconsole.i18n import Translator

        return Translator(self.config().language)

    def open_store(self, *, create: bool = False):
        """(config, opened store). Upgrades the schema, like the console does. A SQLite path
        with no file is refused (a mistyped --db made an empty store that `audit verify` read
        as "ok: 0 audit events"), except for the commands that set a store up (`create`:
        db upgrade, demo, operator add, directory import)."""
        from deskconsole.db.store import Store

        config = self.config()
        store = Store(config.db_url)
        path = store.sqlite_path
        if not create and path is not None and not _file_of(path).is_file():
            fail("cli.db.no_such_file", path=path)
        return config, store.open()


def _file_of(path: Path) -> Path:
    """The file of a SQLite path, a URI's too ("file:/x/desk.db?mode=ro&uri=true")."""
    text = str(path)
    if text.startswith("file:"):
        text = text[len("file:"):].split("?", 1)[0]
    return Path(text)


def state(ctx: typer.Context) -> CliState:
    obj = ctx.find_root().obj
    if not isinstance(obj, CliState):
        obj = CliState()
        ctx.find_root().obj = obj
    return obj


class CliFailure(Exception):
    """A refusal for the user: a catalog key and its parameters, shown as one line in the
    console's language, and the exit code (2 refused, 1 a check found a problem). A text
    that is not a catalog key is shown as it is."""

    def __init__(self, key: str, *, code: int = REFUSED, **params: object) -> None:
        super().__init__(key)
        self.key, self.params, self.code = key, params, code

    def message(self, t) -> str:
        return t(self.key, **self.params)

    def __str__(self) -> str:
        from deskconsole.i18n import Translator

        return self.message(Translator("en"))


def fail(key: str, **params: object) -> None:
    """Refuse the command: usage or input the command cannot take (exit code 2)."""
    raise CliFailure(key, **params)


def found_problem(key: str, **params: object) -> None:
    """A check ran and found something wrong (exit code 1)."""
    raise CliFailure(key, code=PROBLEM, **params)


# Dates and times the CLI takes: far enough either way for any record a desk keeps, and never so
# far that a day after the last one is past what Python's dates hold.
FIRST_YEAR, LAST_YEAR = 1970, 2999
MAX_ID = 2**63 - 1  # the largest record number either store holds


def parse_date(value: str | None, option: str):
    """A site-local day YYYY-MM-DD, or a one-line refusal naming the option and the form."""
    from datetime import date

    if value is None:
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        fail("cli.error.date", option=option, value=value[:40])
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        fail("cli.error.date_range", option=option, value=value[:40], first=FIRST_YEAR, last=LAST_YEAR)
    return day


def parse_datetime(value: str | None, option: str, tz):
    """A site-local time YYYY-MM-DDTHH:MM (an offset may be given), or a one-line refusal."""
    from datetime import datetime

    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        fail("cli.error.datetime", option=option, value=value[:40])
    if not FIRST_YEAR <= when.year <= LAST_YEAR:
        fail("cli.error.date_range", option=option, value=value[:40], first=FIRST_YEAR, last=LAST_YEAR)
    return when if when.tzinfo else when.replace(tzinfo=tz)


def hoist_global_options(argv: list[str]) -> list[str]:
    """--db and --lang are accepted anywhere (`etiquette show --lang zh-CN`): they are moved
    before the subcommand, where Typer reads them. Nothing after `--` is touched."""
    front, rest = [], []
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--":
            rest += [arg, *args]
            break
        if arg in GLOBAL_OPTIONS and args:
            front += [arg, args.pop(0)]
        elif arg.split("=", 1)[0] in GLOBAL_OPTIONS and "=" in arg:
            front.append(arg)
        else:
            rest.append(arg)
    return front + rest


def run_guarded(app, argv: list[str] | None = None) -> int:
    """Run the Typer app on argv (default sys.argv[1:]); every error becomes one line."""
    argv = list(sys.argv[1:] if argv is None else argv)
    st = CliState()
    for n, arg in enumerate(argv, start=1):
        if _not_utf8(arg):
            return _say(_translator(st, argv), "cli.error.not_utf8", REFUSED, position=n)
    args = hoist_global_options(argv)
    return guard(lambda: app(args=args, prog_name="deskconsole", standalone_mode=False, obj=st), st, args)


def guard(run, st: CliState | None = None, argv: list[str] | None = None) -> int:
    """Call run(); turn every error into one line on stderr and an exit code (module doc)."""
    from deskconsole.db.store import StoreError
    from deskconsole.services.errors import DeskError

    try:
        code = run()
        sys.stdout.flush()  # a reader that stopped early (`| head`) is met here, not at exit
        if code == INTERRUPTED:  # Typer turns Ctrl+C inside a command into a silent Exit(130)
            return _say(_translator(st, argv), "cli.error.interrupted", INTERRUPTED)
        if isinstance(code, int) and code:
            return code
    except BrokenPipeError:
        _stdout_to_devnull()
        return OK
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0
    except KeyboardInterrupt:
        return _say(_translator(st, argv), "cli.error.interrupted", INTERRUPTED)
    except CliFailure as exc:
        return _print(exc.message(_translator(st, argv)), exc.code)
    except DeskError as exc:
        return _print(exc.message(_translator(st, argv)), REFUSED)
    except (ConfigError, StoreError) as exc:
        return _print(str(exc), REFUSED)
    except Exception as exc:  # noqa: BLE001 - the last guard before a user sees a traceback
        return _unexpected(exc, _translator(st, argv))
    return OK


def interrupted(argv: list[str]) -> int:
    """Ctrl+C before guard() was reached (while the commands import): its one line, and 130."""
    return _say(_translator(None, argv), "cli.error.interrupted", INTERRUPTED)


def _stdout_to_devnull() -> None:
    """The reader of our output went away: what is left unwritten goes nowhere, so Python
    does not print a BrokenPipeError of its own at exit."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _unexpected(exc: Exception, t) -> int:
    import typer  # only now: the console's fast path never imports it

    # Typer vendors click (typer._click): usage errors are ClickExceptions.
    if isinstance(exc, typer.TyperException) or _is_usage_error(exc):
        return _usage(exc, t)
    if isinstance(exc, typer.Abort):
        return _say(t, "cli.error.aborted", REFUSED)
    if isinstance(exc, OverflowError):  # a number or a date past what the store or Python holds
        return _say(t, "cli.error.out_of_range", REFUSED)
    if isinstance(exc, UnicodeError):
        return _say(t, "cli.error.not_utf8_text", REFUSED)
    from deskconsole.db.base import classify

    if (kind := classify(exc)) is not None:  # the store lost, full or read-only: say which
        return _say(t, f"store.cli.{kind}", REFUSED)
    store_line = _store_problem(exc)
    if store_line is not None:
        return _say(t, "cli.error.store", REFUSED, detail=store_line)
    log = _write_crash_log(exc)
    return _say(t, "cli.error.unexpected", FAULT, kind=type(exc).__name__, log=log)


def _is_usage_error(exc: Exception) -> bool:
    from typer._click.exceptions import ClickException

    return isinstance(exc, ClickException)


def _usage(exc, t) -> int:
    """Click's usage errors as one line: what was wrong, then where to read how."""
    from typer._click import exceptions as ce

    code = getattr(exc, "exit_code", REFUSED) or REFUSED
    if isinstance(exc, ce.NoArgsIsHelpError) and exc.ctx is not None:
        print(exc.ctx.get_help())  # a group typed alone: its help is the answer
        return min(code, REFUSED)
    if isinstance(exc, ce.NoSuchOption):
        line = t("cli.error.no_such_option", option=exc.option_name)
    elif isinstance(exc, ce.MissingParameter) and exc.param is not None:
        line = t("cli.error.missing", param=_param_name(exc.param))
    elif isinstance(exc, ce.BadParameter) and exc.param is not None:
        line = _bad_value(exc, t)
    else:
        line = exc.format_message()
    ctx = getattr(exc, "ctx", None)
    where = ctx.command_path if ctx is not None else "deskconsole"
    return _print(t("cli.error.usage", problem=line, help=f"{where} --help"), min(code, REFUSED))


def _bad_value(exc, t) -> str:
    """A value Typer refused, said in the console's language: the choices, the range, or the
    kind of value expected; the parser's own (English) words only when none of those apply."""
    param = exc.param
    name = _param_name(param)
    kind = getattr(param, "type_descriptor", None)
    if kind is not None and kind.is_choice:
        choices = [str(getattr(c, "value", c)) for c in kind.choices]
        return t("cli.error.choice", param=name, choices=", ".join(c or "''" for c in choices))
    lo, hi = getattr(param, "min", None), getattr(param, "max", None)
    annotation = getattr(kind, "annotation", None)
    if annotation is int or (lo is not None or hi is not None):
        if lo is not None and hi is not None:
            return t("cli.error.int_range", param=name, min=lo, max=hi)
        return t("cli.error.int", param=name)
    return t("cli.error.bad_value", param=name, problem=exc.message)


def _param_name(param) -> str:
    opts = getattr(param, "opts", None) or []
    if opts and opts[0].startswith("-"):
        return opts[0]
    return (getattr(param, "name", None) or "").upper()


def _store_problem(exc: BaseException) -> str | None:
    """The first line of what the database said, for an error raised by the store (read-only
    file, a table dropped by hand, a server gone). Never the statement or its parameters:
    they carry visitors' names and phones."""
    if "sqlalchemy" not in sys.modules:
        return None
    from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError

    if not isinstance(exc, SQLAlchemyError) or isinstance(exc, IntegrityError):
        return None  # a broken constraint is a fault in deskconsole: logged, exit 3
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    text = str(orig).strip().splitlines()
    return text[0][:200] if text else type(orig).__name__


def _not_utf8(arg: str) -> bool:
    """Python keeps undecodable argument bytes as lone surrogates (PEP 383)."""
    try:
        arg.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _translator(st: CliState | None, argv: list[str] | None):
    """The console's language as far as it can be known: --lang, then the config file, then
    the locale; a broken config file still gets its error in the locale's language."""
    import os

    from deskconsole.config import default_language, load_config
    from deskconsole.i18n import Translator

    lang = st.lang if st is not None else None
    if lang is None and argv:
        for n, arg in enumerate(argv):
            if arg == "--lang" and n + 1 < len(argv):
                lang = argv[n + 1]
            elif arg.startswith("--lang="):
                lang = arg.split("=", 1)[1]
    try:
        return Translator(load_config(language=lang).language)
    except (ConfigError, ValueError):
        return Translator(default_language(os.environ))


def _say(t, key: str, code: int, **params: object) -> int:
    return _print(t(key, **params), code)


def _print(message: str, code: int) -> int:
    print(f"deskconsole: {_one_line(message)}", file=sys.stderr)
    return code


def _one_line(message: str) -> str:
    """A message may quote what was typed: never let it carry an escape to the terminal."""
    from deskconsole.services.text import strip_controls

    return " ".join(strip_controls(message).split())


def _write_crash_log(exc: BaseException) -> Path:
    from deskconsole import logs

    _hide_statement_parameters(exc)
    return logs.error("command failed", exc)


def _hide_statement_parameters(exc: BaseException | None) -> None:
    """SQLAlchemy prints a failed statement's parameters (names, phones) with the error:
    the crash log keeps the statement only."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if hasattr(exc, "hide_parameters") and hasattr(exc, "params"):
            exc.hide_parameters = True
        exc = exc.__cause__ or exc.__context__


def read_pin(pin_stdin: bool, prompt: str) -> str:
    """A PIN from a hidden prompt, or one line of standard input with --pin-stdin.
    Never an argument: it would land in shell history."""
    if pin_stdin:
        line = sys.stdin.readline()
        if not line:
            fail("cli.error.pin_stdin_empty")
        return line.strip()
    if not sys.stdin.isatty():
        fail("cli.error.no_terminal_for_pin")
    import typer

    return typer.prompt(prompt, hide_input=True, confirmation_prompt=True)
