"""Machine info, the summary CLI timing, and RESULTS.md / the printed table."""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

GOALS = {
    "cold_start_ratio": 1.3, "latency_ratio": 1.1, "latency_p95_ms": 50.0, "latency_p50_ms": 33.0,
    "floor_ratio": 1.3, "summary_ratio": 3.0,
    "save_p95_ms": 2.0, "rss_mb": 120.0, "generation_s": 60.0,
    "audit_verify_s": 60.0, "audit_verify_rss_mb": 150.0,
}
SAME_SCREEN = "1d"  # bench/dbs.py: a busy day's traffic without history
UI_FIGURES = ("switch_screen", "save_check_in", "open_queue", "type_in_search", "open_ticket")


def machine_info() -> dict:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem = next(int(x.split()[1]) for x in Path("/proc/meminfo").read_text().splitlines()
                   if x.startswith("MemTotal")) // 1024
    except (OSError, StopIteration):
        mem = None
    import textual

    return {"when": datetime.now(UTC).isoformat(timespec="seconds"), "os": platform.platform(),
            "cpu": cpu, "cores": os.cpu_count(), "mem_mb": mem, "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version, "textual": textual.__version__, "load_before": os.getloadavg()}


def summary_cli(db: Path, runs: int = 3) -> dict:
    """`deskconsole summary --format json` end to end (process start included), for one day
    and for one month, median wall time."""
    from bench.dbs import NOW

    exe = str(Path(sys.executable).parent / "deskconsole")
    day = (NOW + timedelta(hours=8) - timedelta(days=1)).date()
    from deskconsole.services.audit_key import KEY_ENV, key_path

    # A fresh home (no config of this machine), but the key the store was sealed under: without
    # it the command rightly refuses the keyed store (exit 2) and the row would read FAILED.
    env = {**os.environ, "DESKCONSOLE_HOME": tempfile.mkdtemp(prefix="bench-cli-"),
           KEY_ENV: str(key_path(os.environ))}
    out = {}
    for name, extra in (("day", ["--date", day.isoformat()]),
                        ("month", ["--range", (day - timedelta(days=29)).isoformat(), day.isoformat()])):
        times, ok = [], True
        for _ in range(runs):
            started = time.perf_counter()
            proc = subprocess.run([exe, "--db", str(db), "summary", "--format", "json", *extra],
                                  capture_output=True, text=True, env=env)
            times.append(time.perf_counter() - started)
            ok = ok and proc.returncode == 0
        out[name] = {"ms": round(statistics.median(times) * 1000), "ok": ok}
    return out


# -- rendering --------------------------------------------------------------------------------
def _get(d: dict, *path, default=None):
    for key in path:
        if not isinstance(d, dict) or key not in d:
            return default
        d = d[key]
    return d


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "MISSED")


def goal_rows(r: dict) -> list[tuple[str, str, str, str]]:
    """(goal, measured, baseline / ratio, verdict)."""
    sizes = r["sizes"]
    big, small = sizes[-1], sizes[0]
    ui_small, ui_big = (r.get("ui_sizes") or sizes)[0], (r.get("ui_sizes") or sizes)[-1]
    rows = []
    for name, st in r.get("startup", {}).items():
        ok = st["ratio"] <= GOALS["cold_start_ratio"]
        started_from = {"wheel": "installed wheel"}.get(st.get("installed", ""), "dev checkout")
        rows.append((f"cold start to sign-on ({name} DB, {started_from}) <= 1.3x bare Textual",
                     f"{st['deskconsole_ms']} ms", f"bare {st['bare_ms']} ms, {st['ratio']}x", _verdict(ok)))
    for fig in UI_FIGURES:
        a, b = _get(r, "ui", ui_small, "latency", fig), _get(r, "ui", ui_big, "latency", fig)
        if not a or not b:
            why = _get(r, "ui", ui_big, "not_measurable", fig) or _get(r, "ui", ui_big, "error") or "not measured"
            rows.append((f"{fig} latency", "not measurable", why, "n/a"))
            continue
        ratio = b["p50_ms"] / a["p50_ms"] if a["p50_ms"] else None
        cpu_ratio = (b["cpu_p50_ms"] / a["cpu_p50_ms"]) if a.get("cpu_p50_ms") else None
        ok = (ratio is not None and ratio <= GOALS["latency_ratio"] and b["p95_ms"] <= GOALS["latency_p95_ms"]
              and b["p50_ms"] <= GOALS["latency_p50_ms"])
        baseline = (f"{ui_small}: p50 {a['p50_ms']} / p95 {a['p95_ms']} ms; wall {ratio:.2f}x, "
                    f"cpu {cpu_ratio:.2f}x" if cpu_ratio else f"{ratio:.2f}x")
        rows.append((f"{fig}: {ui_big} vs {ui_small} <= 1.1x, p50 <= 33 ms, p95 <= 50 ms",
                     f"p50 {b['p50_ms']} / p95 {b['p95_ms']} ms (cpu p50 {b.get('cpu_p50_ms')} ms)",
                     baseline + _same_screen(r, fig, ui_big), _verdict(ok)))
    for period in ("shift", "month"):
        s = _get(r, "service", big, "summary", period)
        if s:
            rows.append((f"summary of one {period} ({big}) <= 3x hand-written SQL",
                         f"{s['summarize_ms']} ms cpu", f"SQL {s['hand_sql_ms']} ms, {s['ratio']}x",
                         _verdict(s["ratio"] <= GOALS["summary_ratio"])))
    for name, c in (r.get("summary_cli") or {}).items():
        rows.append((f"`deskconsole summary --format json` ({name}, {big})", f"{c['ms']} ms wall",
                     "end to end, process start included", "ok" if c["ok"] else "FAILED"))
    for name in (small, big):
        save, floor = _get(r, "service", name, "check_in_save"), _get(r, "service", name, "commit_floor")
        if save:
            base = (f"raw sqlite3 commit (WAL, FULL) p50 {floor['p50_ms']} / p95 {floor['p95_ms']} ms, "
                    f"{save['wall']['p95_ms'] / floor['p95_ms']:.1f}x; " if floor else "")
            rows.append((f"durable check-in save p95 ({name}) <= 2 ms",
                         f"p50 {save['wall']['p50_ms']} / p95 {save['wall']['p95_ms']} ms wall",
                         base + f"save cpu p95 {save['cpu']['p95_ms']} ms",
                         _verdict(save["wall"]["p95_ms"] <= GOALS["save_p95_ms"])))
    rss = _get(r, "ui", ui_big, "peak_rss_mb")
    if rss is not None:
        rows.append((f"peak RSS, {ui_big} DB, every screen visited <= 120 MB", f"{rss} MB",
                     f"{ui_small}: {_get(r, 'ui', ui_small, 'peak_rss_mb')} MB", _verdict(rss <= GOALS["rss_mb"])))
    gen = _get(r, "dbs", big, "seconds")
    if gen and _get(r, "dbs", big, "days"):
        rows_n = sum(_get(r, "dbs", big, "rows", default={}).values())
        rows.append((f"demo generation, {big} busy <= 60 s", f"{gen:.1f} s",
                     f"{rows_n:,} rows, {rows_n / gen / 1000:.0f}k rows/s (built {_get(r, 'dbs', big, 'built_at')})",
                     _verdict(gen <= GOALS["generation_s"])))
    rows.extend(_audit_verify_rows(r))
    return rows


def _audit_verify_rows(r: dict) -> list[tuple[str, str, str, str]]:
    """The full `audit verify` (bench/audit_verify_probe.py): under a minute, streaming."""
    av = r.get("audit_verify")
    if not av:
        return []
    goal = f"full audit verify, {av.get('db')} busy <= 60 s, constant memory"
    if "error" in av:
        return [(goal, "not measured", av["error"][:120], "n/a")]
    ok = av["wall_s"] <= GOALS["audit_verify_s"] and av["peak_rss_mb"] <= GOALS["audit_verify_rss_mb"]
    if "workers" in av:  # as the command runs it on a big store: every core (services/audit_parallel.py)
        how = (f"{av['events']:,} events, {av['records']:,} records, {av['workers']} workers over "
               f"{av['parts']} parts (CPU of all), {av['findings']} findings")
    else:
        how = (f"{av['events']:,} events (chain {av['chain']['cpu_s']} s CPU), {av['records']:,} records "
               f"({av['records_check']['cpu_s']} s CPU), {av['findings']} findings")
    ok = ok and av["chain_ok"] and not av["findings"]
    return [(goal, f"{av['wall_s']:.1f} s wall, {av['cpu_s']:.1f} s CPU, {av['peak_rss_mb']} MB", how, _verdict(ok))]


def _same_screen(r: dict, fig: str, big: str) -> str:
    """The key on the 1-day store beside the biggest: a busy day on screen (the empty store shows
    empty lists), without the history. Their ratio bounds what history costs: the lists a day
    fills are as full as on the biggest store; the ticket queues that take weeks to fill are
    shorter (the census of each store, in last_results.json, says how many rows each showed)."""
    a, b = _get(r, "ui", SAME_SCREEN, "latency", fig), _get(r, "ui", big, "latency", fig)
    if big == SAME_SCREEN or not a or not b or not a["p50_ms"]:
        return ""
    cpu = f", cpu {b['cpu_p50_ms'] / a['cpu_p50_ms']:.2f}x" if a.get("cpu_p50_ms") and b.get("cpu_p50_ms") else ""
    return (f"; a busy day, no history ({SAME_SCREEN}): p50 {a['p50_ms']} / p95 {a['p95_ms']} ms, "
            f"wall {b['p50_ms'] / a['p50_ms']:.2f}x{cpu}")


def growth_rows(r: dict) -> tuple[list[str], list[list[str]]]:
    sizes = r["sizes"]
    # Growth with history: the biggest store against the first with a year of it (1y). The day
    # (1d) shows shorter ticket queues than any year, so against it a queue key reads the rows
    # drawn, not the history; each key's goal row sets 5y against 1d on its own terms.
    base = sizes.index("1y") if "1y" in sizes and sizes.index("1y") < len(sizes) - 1 else 1
    head = ["figure", *sizes, f"growth (last/{sizes[base] if len(sizes) > base else 'second'})"]
    out = []

    def add(label: str, values: list[float | None]) -> None:
        nums = [v for v in values if isinstance(v, int | float)]
        growth = ""
        if len(values) >= 3 and isinstance(values[base], int | float) and isinstance(values[-1], int | float) \
                and values[base]:
            g = values[-1] / values[base]
            growth = f"{g:.2f}x" + (" GROWS" if g > 1.5 and values[-1] > 5 else "")
        out.append([label, *[("" if v is None else f"{v}") for v in values], growth])
        del nums

    for fig in UI_FIGURES:
        add(f"{fig} p50 ms (wall)", [_get(r, "ui", s, "latency", fig, "p50_ms") for s in sizes])
        add(f"{fig} p50 ms (cpu)", [_get(r, "ui", s, "latency", fig, "cpu_p50_ms") for s in sizes])
    for period in ("shift", "month"):
        add(f"summary {period} ms (cpu)", [_get(r, "service", s, "summary", period, "summarize_ms") for s in sizes])
    add("check-in save p95 ms (wall)", [_get(r, "service", s, "check_in_save", "wall", "p95_ms") for s in sizes])
    add("peak RSS MB", [_get(r, "ui", s, "peak_rss_mb") for s in sizes])
    probes = {}
    for s in sizes:
        for k, v in (_get(r, "service", s, "queries_ms") or {}).items():
            probes.setdefault(k, {})[s] = v
    for k, per in probes.items():
        add(f"query: {k} ms (cpu)", [per.get(s) if isinstance(per.get(s), int | float) else None for s in sizes])
    return head, out


def floor_rows(r: dict) -> list[list]:
    """Each key against its floor (bench/floors.py): the console on the largest store vs a bare
    Textual app making the same visible change."""
    ui_big = (r.get("ui_sizes") or r["sizes"])[-1]
    out = []
    for fig in UI_FIGURES:
        c, f = _get(r, "ui", ui_big, "latency", fig), _get(r, "floors", fig)
        if not c or not f:
            continue
        ratio = c["p50_ms"] / f["p50_ms"] if f.get("p50_ms") else None
        note = "floor > 33 ms: the screen draws too much for one key" if f["p50_ms"] > GOALS["latency_p50_ms"] else ""
        out.append([fig, f"{c['p50_ms']} / {c['p95_ms']}", f"{f['p50_ms']} / {f['p95_ms']}",
                    f"{ratio:.2f}x" if ratio else "", _verdict(ratio is not None and ratio <= GOALS["floor_ratio"]),
                    note])
    return out


def slow_rows(r: dict) -> list[list]:
    slow = r.get("slow") or {}
    out = []
    for fig in UI_FIGURES:
        c, s = _get(r, "ui", slow.get("db"), "latency", fig), _get(slow, "latency", fig)
        if s:
            out.append([fig, f"{c['p50_ms']} / {c['p95_ms']}" if c else "", f"{s['p50_ms']} / {s['p95_ms']}",
                        f"{s['p50_ms'] / c['p50_ms']:.1f}x" if c and c.get("p50_ms") else ""])
    return out


def _md_table(head: list[str], rows: list) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(c).replace("|", "/") for c in row) + " |" for row in rows]
    return "\n".join(lines)


def render(r: dict) -> str:
    m = r["machine"]
    parts = [
        "# deskconsole performance (`make bench`)",
        "",
        "Generated by `python -m bench` (bench/__main__.py); do not edit by hand. Explanations and",
        "profiles of missed goals: bench/NOTES.md.",
        "",
        f"- when: {m['when']}, run took {r.get('minutes')} min; command: "
        f"`python -m bench {' '.join(r.get('argv', []))}`",
        f"- machine: {m['cpu']}, {m['cores']} cores, {m['mem_mb']} MB RAM, {m['os']}",
        f"- Python {m['python']}, SQLite {m['sqlite']}, Textual {m['textual']}",
        f"- load average before / after: {', '.join(f'{x:.1f}' for x in m['load_before'])} / "
        f"{', '.join(f'{x:.1f}' for x in m.get('load_after', ()))} (a shared machine: wall times include "
        "waiting for a core; the CPU columns do not)",
        "- latency is measured in process (Textual Pilot, headless, 100x30): key press to the last frame it "
        "caused (workers and database queries included, the frame composed and encoded for the terminal; "
        "Pilot's own 20 ms idle polls not counted); cold start through tmux (capture-pane polled every 3 ms).",
        "",
        "## Goals",
        "",
        _md_table(["goal", "measured", "baseline / ratio", "verdict"], goal_rows(r)),
        "",
        "## Databases",
        "",
        _md_table(["name", "days", "rows", "file MB", "generation s", "built"],
                  [[n, d.get("days"), f"{sum(d.get('rows', {}).values()):,}", round(d.get("bytes", 0) / 2**20),
                    round(d.get("seconds", 0), 1), d.get("built_at")] for n, d in r["dbs"].items()]),
        "",
        "Rows of the largest: " + ", ".join(f"{k} {v:,}" for k, v in _get(r, "dbs", r["sizes"][-1], "rows",
                                                                             default={}).items()),
        "",
        "## Growth with history",
        "",
        "Anything marked GROWS rises with history (the biggest store against 1y > 1.5x): a bug to fix.",
        "",
        _md_table(*growth_rows(r)),
        "",
    ]
    ui_big = (r.get("ui_sizes") or r["sizes"])[-1]
    if r.get("floors"):
        parts += ["## Floors", "",
                  f"Each key on the {ui_big} store against a bare Textual app making the same visible change with "
                  "the same widgets and row counts, no store, services or workers (bench/floors.py). Goal: within "
                  "1.3x of the floor.", "",
                  _md_table(["key", "console p50 / p95 ms", "floor p50 / p95 ms", "ratio p50", "verdict", "note"],
                            floor_rows(r)), ""]
        if r["floors"].get("error"):
            parts += [f"Floors not measurable: {r['floors']['error']}", ""]
    if r.get("slow"):
        parts += ["## Slow lobby PC", "",
                  f"The same keys on the {r['slow'].get('db')} store with the console pinned to one core (taskset) "
                  "while another process keeps that core half busy (bench/slow.py).", ""]
        parts += ([_md_table(["key", "this machine p50 / p95 ms", "one core, half busy p50 / p95 ms", "slower"],
                             slow_rows(r)), ""] if not r["slow"].get("error")
                  else [f"Not measurable: {r['slow']['error']}", ""])
    missing = {k: v for s in r["sizes"] for k, v in (_get(r, "ui", s, "not_measurable") or {}).items()}
    errors = {s: _get(r, k, s, "error") for s in r["sizes"] for k in ("ui", "service") if _get(r, k, s, "error")}
    if missing or errors:
        parts += ["## Not measurable", ""]
        parts += [f"- {k}: {v}" for k, v in missing.items()]
        parts += [f"- {s}: {e}" for s, e in errors.items()]
        parts.append("")
    return "\n".join(parts)


def table(r: dict) -> str:
    rows = goal_rows(r)
    w = max(len(x[0]) for x in rows) if rows else 10
    lines = [f"{g:<{w}}  {m:<40}  {b:<55}  {v}" for g, m, b, v in rows]
    lines += [f"floor {k:<16} console {c:<18} floor {f:<18} {ratio:<7} {v}" for k, c, f, ratio, v, _ in floor_rows(r)]
    lines += [f"slow PC {k:<14} here {c:<18} one core {s:<18} {x}" for k, c, s, x in slow_rows(r)]
    return "\n".join(lines)
