"""Company-editable catalogs shipped in deskconsole/data/*.toml (purposes, categories,
departments, scripts, SLA defaults, checklists). A company may put a file of the same name in
<config dir>/data/ to replace the shipped one. Loaded once per path."""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path

from deskconsole.config import ConfigError, config_dir
from deskconsole.paths import data_file


def catalog_path(name: str, env=None) -> Path:
    """The company's file in <config dir>/data/ when there is one (looked for on every call,
    so a file put there is used at once), else the shipped one."""
    override = config_dir(os.environ if env is None else env) / "data" / name
    return override if override.exists() else data_file(name)


@lru_cache(maxsize=64)
def _load(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: catalog file missing") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: not valid UTF-8 TOML ({exc})") from None


def load(name: str) -> dict:
    """The parsed TOML of deskconsole/data/<name> (or the company's override)."""
    return _load(catalog_path(name))


def codes_with_labels(name: str, table: str, language: str) -> list[tuple[str, str]]:
    """For catalogs shaped [[table]] code=..., zh=..., en=...: [(code, label)] in file order."""
    rows = load(name).get(table, [])
    key = "zh" if language == "zh-CN" else "en"
    return [(row["code"], row.get(key) or row["code"]) for row in rows]
