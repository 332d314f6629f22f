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

