"""The log, kept like a service's: Python `logging` into a rotating file in the platformdirs
log folder (`<DESKCONSOLE_HOME>/log` when that is set), wherever the database is. One line per
event: time, level, desk, operator id, what happened. Size-capped (1 MB, three older files).

It never holds personal data: no bound SQL parameters (the engine hides them, and `redact`
strips any that an error text still carries), no quoted values, no phone-like digit runs.
A traceback is kept as its frames (file, line, function) and the error's type and redacted
message, on the same line."""

from __future__ import annotations

import logging
import os
import re
import traceback
from pathlib import Path

LOGGER = "deskconsole"
FILE_NAME = "deskconsole.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
LEVELS = ("debug", "info", "warning", "error")
FORMAT = "%(asctime)s %(levelname)s desk=%(desk)s operator=%(operator)s %(name)s: %(message)s"

log = logging.getLogger(LOGGER)
_context = {"desk": "-", "operator": "-"}

_PARAMS = re.compile(r"\[parameters: .*?\](?=\s*(\(Background|\Z|\n))", re.S)
_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")
_DIGITS = re.compile(r"\d{5,}")


def log_dir(env=None) -> Path:
    env = os.environ if env is None else env
    home = env.get("DESKCONSOLE_HOME")
    if home:
        return Path(home) / "log"
    import platformdirs

    return Path(platformdirs.user_log_dir("deskconsole", appauthor=False))


def log_file(env=None) -> Path:
    return log_dir(env) / FILE_NAME


def setup(level: str | None = None, env=None) -> Path:
    """Send the `deskconsole` loggers to the log file (once per file; a later call with a level
    only changes the level). Level: `level`, else DESKCONSOLE_LOG_LEVEL, else info."""
    env = os.environ if env is None else env
    name = (level or env.get("DESKCONSOLE_LOG_LEVEL") or "info").lower()
    if name not in LEVELS:
        name = "info"
    path = log_file(env)
    log.setLevel(name.upper())
    log.propagate = False
    if not any(getattr(h, "baseFilename", None) == str(path.absolute()) for h in log.handlers):
        from logging.handlers import RotatingFileHandler

        for old in list(log.handlers):
            log.removeHandler(old)
            old.close()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handler: logging.Handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                                           encoding="utf-8", delay=True)
        except OSError:
            handler = logging.NullHandler()  # a log that cannot be written is no reason to stop
        handler.setFormatter(_OneLine(FORMAT))
        handler.addFilter(_add_context)
        log.addHandler(handler)
    return path


def bind(**values: object) -> None:
    """Set what every following line carries (desk=..., operator=...; None clears)."""
    for key, value in values.items():
        _context[key] = "-" if value is None else str(value)


def error(event: str, exc: BaseException) -> Path:
    """Log an unexpected error (frames, type, redacted message); returns the log file."""
    if not log.handlers:
        setup()
    log.error("%s: %s", event, describe(exc))
    return next((Path(h.baseFilename) for h in log.handlers if hasattr(h, "baseFilename")),
                log_file())


def describe(exc: BaseException) -> str:
    """`Type: redacted message | at file:line in function | ...` (innermost frame last)."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = " | ".join(f"at {Path(f.filename).name}:{f.lineno} in {f.name}" for f in frames[-12:])
    text = f"{type(exc).__name__}: {redact(str(exc))}"
    return f"{text} | {where}" if where else text


def redact(text: str) -> str:
    """Strip what could be a person's data from an error text: bound SQL parameters, quoted
    values, long digit runs (phone numbers); and keep it on one line."""
    text = _PARAMS.sub("[parameters hidden]", text)
    text = _QUOTED.sub("'?'", text)
    text = _DIGITS.sub("#", text)
    return " ".join(text.split())


def _add_context(record: logging.LogRecord) -> bool:
    record.desk = _context["desk"]
    record.operator = _context["operator"]
    return True


class _OneLine(logging.Formatter):
    """A record is one line: an exception attached with exc_info is described, redacted."""

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info and record.exc_info[1] is not None:
            record.msg = f"{record.getMessage()} | {describe(record.exc_info[1])}"
            record.args, record.exc_info, record.exc_text = None, None, None
        return " ".join(super().format(record).split())
