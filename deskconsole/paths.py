"""Where shipped catalogs live. data/ is at the top of the repository (company-editable);
a wheel ships it as the subpackage deskconsole.data, an editable install reads it in place."""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path


@cache  # the installed package does not move while running (find_spec costs ~40 us a call)
def data_dir() -> Path:
    spec = importlib.util.find_spec("deskconsole.data")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(__file__).resolve().parent.parent / "data"


def data_file(name: str) -> Path:
    return data_dir() / name
