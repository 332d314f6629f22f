"""The summary as people read it: labelled rows in the chosen language. The F6 screen, the
CLI table/Markdown/CSV and the XLSX workbook are all written from `labelled_rows`, so a
figure reads the same everywhere. Values stay raw numbers; `shown` is the one way
they become text (None, "no figure", is "-")."""

from __future__ import annotations

from deskconsole import catalogs
from deskconsole.services.summary import SECTIONS, flatten
from deskconsole.services.text import strip_controls

# Where the label of a code inside a map comes from: a company catalog (data/*.toml) or ours.
_CATALOG_MAPS = {("visitors", "by_purpose"): ("purposes.toml", "purpose"),
                 ("calls", "by_category"): ("call_categories.toml", "category")}


def shown(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def section_label(t, section: str) -> str:
    return t(f"shift.section.{section}")


def _code_label(t, section: str, group: str, code: str) -> str:
    if group == "by_hour":
        return f"{code}:00"
    source = _CATALOG_MAPS.get((section, group))
    if source is not None:
        try:
            labels = dict(catalogs.codes_with_labels(*source, t.language))
        except Exception:  # noqa: BLE001 - a broken company catalog must not hide a figure
            labels = {}
        if code in labels:
            return labels[code]
    key = f"shift.code.{code}"
    return t(key) if t.has(key) else code


def label(t, section: str, key: str) -> str:
    group, _, code = key.partition(".")
    text = t(f"shift.fig.{section}.{group}")
    return f"{text}: {_code_label(t, section, group, code)}" if code else text


def labelled_rows(data: dict, t) -> list[tuple[str, str, str, object]]:
    """(section, key, label, value) for every figure, in the stable order of `flatten`."""
    return [(section, key, label(t, section, key), value) for section, key, value in flatten(data)]


def local_time(value: str | None, timezone: str) -> str:
    """An ISO UTC time from the JSON, as the site-local 'YYYY-MM-DD HH:MM' people read."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    if not value:
        return "-"
    return f"{datetime.fromisoformat(value).astimezone(ZoneInfo(timezone)):%Y-%m-%d %H:%M}"


def handover_rows(data: dict, t) -> list[list[str]]:
    tz = data["period"]["timezone"]
    rows = []
    for h in data["handover"]:
        nxt = f"{h['next_staff_no']} {h['next_name']}" if h["next_shift_id"] else "-"
        row = [str(h["shift_id"]), h["desk"], f"{h['staff_no']} {h['name']}", local_time(h["started_at"], tz),
               local_time(h["ended_at"], tz), nxt, local_time(h["acknowledged_at"], tz), h["note"] or ""]
        # Read with plain SQL, so cleaned here: no escape reaches a terminal, a file or a screen.
        rows.append([strip_controls(c, multiline=True) for c in row])
    return rows


def handover_header(t) -> list[str]:
    return [t(f"shift.handover_col.{c}") for c in
            ("shift", "desk", "from", "started", "ended", "to", "acknowledged", "note")]


def markdown(data: dict, t, title: str) -> str:
    out = [f"# {title}", ""]
    rows = labelled_rows(data, t)
    for section in SECTIONS:
        out += [f"## {section_label(t, section)}", "", f"| {t('shift.col.figure')} | {t('shift.col.value')} |",
                "|---|---:|"]
        out += [f"| {lab} | {shown(v)} |" for s, _, lab, v in rows if s == section]
        out.append("")
    out += [f"## {t('shift.section.handover')}", ""]
    head = handover_header(t)
    out += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(c.replace("\n", " ").replace("|", "/") for c in r) + " |"
            for r in handover_rows(data, t)]
    return "\n".join(out) + "\n"


def csv_rows(data: dict, t) -> tuple[list[str], list[list[object]]]:
    header = [t("shift.col.section"), t("shift.col.key"), t("shift.col.figure"), t("shift.col.value")]
    return header, [[section_label(t, s), f"{s}.{k}", lab, "" if v is None else v]
                    for s, k, lab, v in labelled_rows(data, t)]


def audit_line(data: dict, t) -> str:
    """The period's signed audit checkpoint in one line (whole hash and signature: a printed
    summary pins the chain), or that no shift closed in it holds one."""
    a = data.get("audit") or {}
    if not a.get("events"):
        return t("shift.audit_none")
    return t("shift.audit_line", at=local_time(a["checkpoint_at"], data["period"]["timezone"]), events=a["events"],
             last_id=a["last_id"], hash=a["last_hash"], mac=a["signature"], key_id=a["key_id"])


def needs_attention(data: dict, section: str, key: str) -> bool:
    """Figures that miss the standard and must stand out."""
    s = data[section]
    if section == "calls":
        if key in ("within_three_rings_pct", "service_level_pct"):  # DOMAIN §2: answer before the third ring
            # The answered-only figure can read 100 % beside missed calls: those stand out too.
            return s[key] is not None and (s[key] < 100 or s["missed"] > 0)
        if key == "abandon_rate_pct":
            return bool(s[key])
        if key == "missed":
            return s["missed"] > s["missed_returned"]
    if section == "tickets":
        if key in ("overdue_now", "follow_ups_overdue_now", "progress_calls_overdue_now",
                   "progress_calls_done_late"):  # DOMAIN §3: keep the promised deadline
            return s[key] > 0
        if key == "complaints_checked_same_day_pct":  # 001 §5.2.5.5.1.3: verified the same day
            return s[key] is not None and s[key] < 100 and _day_is_over(data["period"])
    if section == "visitors" and key == "apology_acknowledged":  # DOMAIN §1: apologise to those waiting
        return s[key] < s["apology_shown"]
    if section == "etiquette" and key == "failed_items":
        return s[key] > 0
    if section == "registers" and key == "keys_overdue_now":  # DOMAIN §3: keys come back on time
        return s[key] > 0
    return False


def _day_is_over(period: dict) -> bool:
    """A complaint of today may still be checked today: it misses only once the day is over."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(period["timezone"])
    last_day = (datetime.fromisoformat(period["to"]) - timedelta(microseconds=1)).astimezone(tz).date()
    return datetime.fromisoformat(period["as_of"]).astimezone(tz).date() > last_day


def period_title(data: dict, t) -> str:
    """'2026-11-25 09:00 - 17:00 (Asia/Shanghai)' in site-local time, with the filters."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    p = data["period"]
    tz = ZoneInfo(p["timezone"])
    start = datetime.fromisoformat(p["from"]).astimezone(tz)
    end = datetime.fromisoformat(p["to"]).astimezone(tz)
    end_text = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%Y-%m-%d %H:%M}"
    parts = [t(f"shift.kind.{p['kind']}", shift=p["shift_id"] or ""),
             f"{start:%Y-%m-%d %H:%M} - {end_text} ({p['timezone']})"]
    if p.get("desk"):
        parts.append(t("shift.title_desk", desk=p["desk"]))
    if p.get("operator"):
        parts.append(t("shift.title_operator", staff_no=p["operator"]))
    return "  ".join(parts)


def sheet_rows(data: dict, t) -> list:
    """The summary as a printable sheet (cli `summary --format xlsx`): a heading per section,
    then figure | value | ! | key rows; the key ("calls.missed") last, for machines. The 24
    counts by hour are left out, as on the Rich table (they would fill four pages); the CSV
    and JSON carry them."""
    from deskconsole.services.sheets import Heading

    rows: list = []
    labelled = labelled_rows(data, t)
    for section in SECTIONS:
        rows.append(Heading(section_label(t, section)))
        for sec, key, lab, value in labelled:
            if sec == section and not key.startswith("by_hour."):
                mark = "!" if needs_attention(data, sec, key) else ""
                rows.append([lab, "-" if value is None else value, mark, f"{sec}.{key}"])
    return rows


def sheet_header(t) -> list[str]:
    return [t("shift.col.figure"), t("shift.col.value"), t("shift.col.mark"), t("shift.col.key")]


def handover_cells(data: dict, t) -> list[list]:
    """The handover rows with real date-times (aware UTC) for a spreadsheet."""
    from datetime import datetime

    def when(value):
        return datetime.fromisoformat(value) if value else None

    rows = []
    for h, shown_row in zip(data["handover"], handover_rows(data, t), strict=True):
        rows.append([h["shift_id"], shown_row[1], shown_row[2], when(h["started_at"]), when(h["ended_at"]),
                     shown_row[5], when(h["acknowledged_at"]), shown_row[7]])
    return rows
