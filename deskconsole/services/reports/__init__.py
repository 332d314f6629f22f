"""Named reports: the standard forms a supervisor files (DOMAIN §3, §6; 003 §6), written as
XLSX, CSV or Markdown by `deskconsole report NAME`.

The registry: every module in `forms/` is one report, named after its module
(`forms/call_visit_register.py` is `call-visit-register`) and holding `REPORT` (a `spec.Report`).
A new report (the key register, goods release, loans, ...) is one new module there, with its
title and column headings in the catalogs (`report.title.<module>`, `report.col.<column>`).
Listing the names imports nothing (no database, no catalogs), so `deskconsole --help` stays
quick; `spec` holds what a report is and how it is written.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

_FORMS = Path(__file__).with_name("forms")


def names() -> list[str]:
    """The reports there are, in name order, without importing them."""
    return sorted(m.name.replace("_", "-") for m in pkgutil.iter_modules([str(_FORMS)])
                  if not m.name.startswith("_"))


def get(name: str):
    """The `spec.Report` of that name (imports its module)."""
    if name not in names():
        raise KeyError(name)
    return importlib.import_module(f"{__name__}.forms.{name.replace('-', '_')}").REPORT


__all__ = ["get", "names"]
