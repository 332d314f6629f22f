"""Stored codes as people read them, in the console's language: what the screens show, for
the files a supervisor opens (exports, reports). A code with no label is shown as it is
(a company catalog may have dropped it since), never as an error.

Groups: the company catalogs (purposes, call and ticket categories, departments) and the
catalog keys the screens already use (ticket kind/status/priority/satisfaction, visit status,
call status/direction/outcome, inspection kind, honorifics, reception levels, yes/no, the registers'
borrower and applicant kinds and confirmation methods)."""

from __future__ import annotations

from deskconsole import catalogs
from deskconsole.services.people import honorific_label

# group -> (catalog file, table) for company-editable lists
_CATALOGS = {"purpose": ("purposes.toml", "purpose"), "call_category": ("call_categories.toml", "category"),
             "ticket_category": ("ticket_categories.toml", "category"),
             "department": ("departments.toml", "department")}
# group -> catalog key prefix of our own text
_KEYS = {"ticket_kind": "tickets.kind.", "ticket_status": "tickets.status.", "priority": "tickets.priority.",
         "satisfaction": "tickets.satisfaction.", "follow_up_outcome": "tickets.outcome.",
         "visit_status": "reception.status.", "call_status": "phone.status.", "direction": "phone.dir.",
         "call_outcome": "phone.outcome.", "inspection_kind": "etiquette.kind.", "source": "tickets.source.",
         "way": "report.way.", "mark": "report.mark.", "register_kind": "registers.kind."}


class Labels:
    """`Labels(t).of("ticket_status", "closed")` -> "已关闭"; catalogs read once per Labels."""

    def __init__(self, t) -> None:
        self.t = t
        self._tables: dict[str, dict[str, str]] = {}

    def of(self, group: str, code) -> str:
        if code is None or code == "":
            return ""
        if group == "yes_no" or isinstance(code, bool):
            return self.t("report.yes") if code else self.t("report.no")
        code = str(code)
        if group == "honorific":
            return honorific_label(code, self.t.language) or code
        if group == "level":
            key = f"reception.level_{code}"
            return self.t(key) if self.t.has(key) else code
        if group in _CATALOGS:
            return self._table(group).get(code, code)
        key = _KEYS[group] + code
        return self.t(key) if self.t.has(key) else code

    def _table(self, group: str) -> dict[str, str]:
        if group not in self._tables:
            try:
                self._tables[group] = dict(catalogs.codes_with_labels(*_CATALOGS[group], self.t.language))
            except Exception:  # noqa: BLE001 - a broken company catalog must not stop an export
                self._tables[group] = {}
        return self._tables[group]

    def marks(self, *reasons: str | None) -> str:
        """The '!' the screens show beside a record that misses the standard, with why."""
        shown = [self.of("mark", r) for r in reasons if r]
        return ("! " + ", ".join(shown)) if shown else ""
