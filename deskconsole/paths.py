"""Where the shipped catalogs live: the subpackage deskconsole.data, package data in the wheel
and read in place by an editable install. A company's copy in <config dir>/data/ wins over
them (deskconsole.catalogs.catalog_path)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path


@cache  # the installed package does not move while running
def data_dir() -> Path:
    # deskconsole is installed as plain files (never imported from a zip: Alembic needs its
    # migrations on disk), so the resource root is a real folder and a Path.
    return Path(str(files("deskconsole.data")))


def data_file(name: str) -> Path:
    return data_dir() / name


def cache_dir(env) -> Path:
    """Where the console keeps what it can rebuild (the parsed locale catalogs): the user cache
    folder, or <DESKCONSOLE_HOME>/cache when that is set, as config.default_dirs does for the
    config and data folders. Never inside the installed package, which may be read-only and
    which `pip uninstall` must remove whole."""
    home = env.get("DESKCONSOLE_HOME")
    if home:
        return Path(home) / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir("deskconsole", appauthor=False))
