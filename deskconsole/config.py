"""Settings: a TOML file in the platformdirs config dir, then environment variables.

No module-level state: `load_config()` returns a Config that the CLI passes down.
A bad file gives one ConfigError line naming the file, the key and the problem.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from deskconsole.cadence import PRESETS, Cadence, parse_cadence
from deskconsole.phone_config import PhoneSettings

APP_NAME = "deskconsole"


class ConfigError(Exception):
    """One line for the user: where and what."""


@dataclass(frozen=True)
class SLAHours:
    """Business hours for ticket due times (DOMAIN §3)."""

    start: time = time(9, 0)
    end: time = time(18, 0)
    workdays: tuple[int, ...] = (0, 1, 2, 3, 4)  # Monday=0
    holidays: tuple[date, ...] = ()


@dataclass(frozen=True)
class Config:
    site_name: str = ""
    desk_name: str = "desk-1"
    language: str = "en"
    timezone: str = "Asia/Shanghai"
    ring_cadence: Cadence = PRESETS["cn"]
    ring_limit: int = 3  # DOMAIN §2: answer before the phone has rung three times
    idle_lock_minutes: int = 5
    apology_after_minutes: float = 3.0  # DOMAIN §1: apologise to those kept waiting
    db: str | None = None
    data_dir: Path = Path(".")
    config_path: Path | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    sla: SLAHours = SLAHours()
    checklist_path: Path | None = None
    retention_days: int | None = None
    stale_shift_hours: int = 14  # a shift open longer is closed at sign-on, not resumed
    phone: PhoneSettings = PhoneSettings()  # [phone]: where the console hears of calls

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def db_url(self) -> str:
        return resolve_db_url(self.db, self.data_dir)


def default_language(env: dict[str, str] | os._Environ) -> str:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        val = env.get(var, "")
        if val:
            return "zh-CN" if val.lower().startswith("zh") else "en"
    return "en"


# The environment variables the config folder depends on (DESKCONSOLE_HOME, then platformdirs'
# XDG / HOME / Windows folders).
DIR_ENV = ("DESKCONSOLE_HOME", "XDG_CONFIG_HOME", "HOME", "APPDATA", "LOCALAPPDATA", "USERPROFILE")
_config_dirs: dict[tuple, Path] = {}


def config_dir(env) -> Path:
    """default_dirs(env)'s config folder, kept per the values of DIR_ENV: resolving it costs
    ~0.3 ms, and the catalogs and every durable save ask for it."""
    key = tuple(env.get(k) for k in DIR_ENV)
    found = _config_dirs.get(key)
    if found is None:
        found = _config_dirs[key] = default_dirs(env)[0]
    return found


def default_dirs(env) -> tuple[Path, Path]:
    """(config dir, data dir). DESKCONSOLE_HOME puts both in one folder (tests, kiosks)."""
    home = env.get("DESKCONSOLE_HOME")
    if home:
        return Path(home), Path(home)
    import platformdirs

    return (
        Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
    )


def resolve_db_url(db: str | None, data_dir: Path) -> str:
    """A path or an SQLAlchemy URL. Default: deskconsole.db in the data dir."""
    if not db:
        return f"sqlite:///{data_dir / 'deskconsole.db'}"
    if "://" in db:
        scheme = db.split("://", 1)[0]
        if scheme not in ("sqlite", "sqlite+pysqlite", "postgresql", "postgresql+psycopg"):
            raise ConfigError(
                f"database URL scheme '{scheme}' is not supported "
                "(use a file path, sqlite:///PATH or postgresql+psycopg://...)"
            )
        if scheme == "postgresql":
            db = "postgresql+psycopg://" + db.split("://", 1)[1]
        return db
    return f"sqlite:///{Path(db).expanduser().absolute()}"


_TOP_KEYS = {
    "site_name", "desk", "language", "timezone", "ring_cadence", "ring_limit",
    "idle_lock_minutes", "db", "checklist", "retention_days", "stale_shift_hours",
    "reception", "keys", "sla", "phone",
}


def _fail(path: Path | str, key: str, problem: str) -> ConfigError:
    return ConfigError(f"{path}: key '{key}': {problem}")


def _parse_hhmm(src, key: str, value) -> time:
    try:
        h, m = str(value).split(":")
        return time(int(h), int(m))
    except ValueError:
        raise _fail(src, key, f"'{value}' is not a time HH:MM") from None


def _apply(values: dict, raw: dict, src: Path | str) -> None:
    """Validate raw settings (file or env) into `values` (Config keyword arguments)."""
    for key in raw:
        if key not in _TOP_KEYS:
            raise _fail(src, key, "unknown setting")
    if "site_name" in raw:
        values["site_name"] = _str(src, "site_name", raw["site_name"], 60)
    if "desk" in raw:
        values["desk_name"] = _str(src, "desk", raw["desk"], 32) or "desk-1"
    if "language" in raw:
        lang = str(raw["language"])
        norm = {"zh": "zh-CN", "zh-cn": "zh-CN", "zh_cn": "zh-CN", "en": "en"}.get(lang.lower())
        if norm is None:
            raise _fail(src, "language", f"'{lang}' is not one of zh-CN, en")
        values["language"] = norm
    if "timezone" in raw:
        tz = str(raw["timezone"])
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise _fail(src, "timezone", f"unknown time zone '{tz}'") from None
        values["timezone"] = tz
    if "ring_cadence" in raw:
        try:
            values["ring_cadence"] = parse_cadence(str(raw["ring_cadence"]))
        except ValueError as exc:
            raise _fail(src, "ring_cadence", str(exc)) from None
    for key, lo, hi in (("ring_limit", 1, 10), ("idle_lock_minutes", 0, 240), ("retention_days", 30, 36500),
                        ("stale_shift_hours", 1, 72)):
        if key in raw:
            values[key] = _int(src, key, raw[key], lo, hi)
    if "db" in raw:
        values["db"] = _path_or_url(src, "db", raw["db"])
    if "checklist" in raw:
        values["checklist_path"] = Path(_path_or_url(src, "checklist", raw["checklist"])).expanduser()
    if "reception" in raw:
        sec = _table(src, "reception", raw["reception"])
        for k, v in sec.items():
            if k != "apology_after_minutes":
                raise _fail(src, f"reception.{k}", "unknown setting")
            values["apology_after_minutes"] = float(_int(src, "reception.apology_after_minutes", v, 1, 60))
    if "keys" in raw:
        values["keymap"] = _keymap(src, _table(src, "keys", raw["keys"]))
    if "sla" in raw:
        values["sla"] = _sla(src, _table(src, "sla", raw["sla"]))
    if "phone" in raw:
        from deskconsole import phone_config

        values["phone"] = phone_config.parse(_table(src, "phone", raw["phone"]), lambda k, p: _fail(src, k, p))


def _path_or_url(src, key: str, value) -> str:
    """`db = 42` would have made a file named 42: a path or a URL is a non-empty string."""
    if not isinstance(value, str) or not value.strip():
        raise _fail(src, key, "expected a file path or a URL in quotes")
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise _fail(src, key, "contains control characters")
    return value.strip()


def _keymap(src, sec: dict) -> dict[str, str]:
    """[keys] binding_id = "key[,key]": a known id, keys Textual can bind, and no key already
    held by another binding where both are active (keymap.clash). Checked here, from the plain
    table in keymap.py, so a typo stops the console with one line instead of being ignored."""
    from deskconsole.keymap import DEFAULT_KEYS, clash, is_valid_key, key_names

    chosen: dict[str, str] = {}
    for bid, value in _flat(sec):
        where = f"keys.{bid}"
        if bid not in DEFAULT_KEYS:
            raise _fail(src, where, "unknown binding id (F1 lists the ids)")
        if not isinstance(value, str) or not key_names(value):
            raise _fail(src, where, 'expected a key name in quotes, such as "f12" or "ctrl+l"')
        names = key_names(value)
        for name in names:
            if not is_valid_key(name):
                raise _fail(src, where, f"'{name}' is not a key name (such as f12, ctrl+l, escape, a)")
        chosen[bid] = ",".join(names)
    effective = {**DEFAULT_KEYS, **chosen}
    for bid in chosen:
        other = clash(effective, bid)
        if other is not None:
            raise _fail(src, f"keys.{bid}", f"'{chosen[bid]}' is already the key of '{other}'"
                        + (f" (set keys.{other} too)" if other not in chosen else ""))
    return chosen


def _flat(sec: dict, prefix: str = "") -> list[tuple[str, object]]:
    """TOML reads a bare `mode.reception = "f1"` as a nested table: ids are dotted names."""
    out: list[tuple[str, object]] = []
    for k, v in sec.items():
        if isinstance(v, dict):
            out += _flat(v, f"{prefix}{k}.")
        else:
            out.append((f"{prefix}{k}", v))
    return out


def _sla(src, sec: dict) -> SLAHours:
    start, end = time(9, 0), time(18, 0)
    workdays, holidays = (0, 1, 2, 3, 4), ()
    for k, v in sec.items():
        if k == "business_hours":
            try:
                a, b = str(v).split("-")
            except ValueError:
                raise _fail(src, "sla.business_hours", f"'{v}' is not HH:MM-HH:MM") from None
            start, end = _parse_hhmm(src, "sla.business_hours", a), _parse_hhmm(src, "sla.business_hours", b)
            if end <= start:
                raise _fail(src, "sla.business_hours", "the end must be after the start")
        elif k == "workdays":
            if not isinstance(v, list) or not all(isinstance(d, int) and 1 <= d <= 7 for d in v):
                raise _fail(src, "sla.workdays", "expected a list of ISO weekdays 1 (Mon) - 7 (Sun)")
            workdays = tuple(sorted({d - 1 for d in v}))
        elif k == "holidays":
            try:
                holidays = tuple(date.fromisoformat(str(d)) for d in v)
            except (TypeError, ValueError):
                raise _fail(src, "sla.holidays", "expected a list of dates YYYY-MM-DD") from None
        else:
            raise _fail(src, f"sla.{k}", "unknown setting")
    return SLAHours(start, end, workdays, holidays)


def _table(src, key: str, value) -> dict:
    if not isinstance(value, dict):
        raise _fail(src, key, "expected a table")
    return value


def _str(src, key: str, value, limit: int) -> str:
    text = str(value).strip()
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise _fail(src, key, "contains control characters")
    if len(text) > limit:
        raise _fail(src, key, f"longer than {limit} characters")
    return text


def _int(src, key: str, value, lo: int, hi: int) -> int:
    try:
        num = int(value)
    except (TypeError, ValueError):
        raise _fail(src, key, f"'{value}' is not a whole number") from None
    if isinstance(value, bool) or not lo <= num <= hi:
        raise _fail(src, key, f"must be between {lo} and {hi}")
    return num


_ENV = {
    "DESKCONSOLE_SITE": "site_name",
    "DESKCONSOLE_DESK": "desk",
    "DESKCONSOLE_LANG": "language",
    "DESKCONSOLE_TZ": "timezone",
    "DESKCONSOLE_RING_CADENCE": "ring_cadence",
    "DESKCONSOLE_IDLE_LOCK_MINUTES": "idle_lock_minutes",
    "DESKCONSOLE_DB": "db",
}


def load_config(env=None, *, db: str | None = None, language: str | None = None) -> Config:
    """File, then environment, then command-line overrides (`--db`, `--lang`)."""
    env = os.environ if env is None else env
    config_dir, data_dir = default_dirs(env)
    path = Path(env.get("DESKCONSOLE_CONFIG") or config_dir / "config.toml")
    values: dict = {"language": default_language(env), "data_dir": data_dir}
    if path.exists():
        import tomllib  # not before the first frame when there is no config file: a faster start

        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            raise ConfigError(f"{path}: not UTF-8 text") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc})") from None
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
        _apply(values, raw, path)
        values["config_path"] = path
    env_raw = {key: env[var] for var, key in _ENV.items() if env.get(var)}
    if env_raw:
        _apply(values, env_raw, "environment")
    cli_raw = {}
    if db:
        cli_raw["db"] = db
    if language:
        cli_raw["language"] = language
    if cli_raw:
        _apply(values, cli_raw, "command line")
    config = Config(**values)
    resolve_db_url(config.db, config.data_dir)  # refuses an unknown URL scheme early, in one line
    return config
