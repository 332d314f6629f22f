"""`make bench` runs on the runtime install: bench/ imports nothing from tests/ and needs no
pytest; its floors (bare apps per key) and its report's floor and slow-PC tables work. No
timing is asserted here (timings are bench/'s): only that the figures are produced."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# A process in which `import pytest` and `import tests...` fail, as on a runtime install.
NO_TEST_TOOLS = ("import runpy, sys\n"
                 "sys.modules['pytest'] = None\n"
                 "sys.modules['tests'] = None\n"
                 "sys.argv = sys.argv[1:]\n"
                 "runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)\n")


def test_bench_imports_nothing_from_tests_or_pytest():
    found = []
    for path in sorted((ROOT / "bench").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [f"{path.name}: {n}" for n in names if n.split(".")[0] in ("tests", "pytest", "_pytest")]
    assert found == []


def _run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", NO_TEST_TOOLS, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


def test_service_probe_measures_every_query_without_the_test_tools(tmp_path):
    from deskconsole.clock import FakeClock
    from deskconsole.db.store import Store
    from deskconsole.demo import generate

    db = tmp_path / "demo.db"
    store = Store(f"sqlite:///{db}").open()
    generate(store, days=2, seed=3, scale="normal", clock=FakeClock(datetime(2026, 11, 25, 3, tzinfo=UTC)),
             pipeline=False)
    store.close()
    proc = _run("bench.service_probe", str(db), "--runs", "1", "--saves", "3")
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout)
    from bench.query_probes import PROBES

    assert set(result["queries_ms"]) == {p.name for p in PROBES}
    errors = {k: v for k, v in result["queries_ms"].items() if isinstance(v, str)}
    assert errors == {}
    assert "not measurable" not in proc.stdout


def test_floors_time_every_key_from_a_census(tmp_path):
    census = {"switch_screen": [{"tables": [[3, 2]], "inputs": 1, "leaves": 4},
                                {"tables": [[2, 3]], "inputs": 0, "leaves": 2}],
              "save_check_in": {"tables": [[3, 2]], "inputs": 1, "leaves": 4},
              "open_queue": {"tables": [[4, 3]], "inputs": 1, "leaves": 3},
              "type_in_search": {"tables": [[4, 2]], "inputs": 1, "leaves": 1},
              "open_ticket": {"tables": [[2, 2]], "inputs": 0, "leaves": 3}}
    path = tmp_path / "census.json"
    path.write_text(json.dumps(census), encoding="utf-8")
    proc = _run("bench.floors", str(path), "--rounds", "1")
    assert proc.returncode == 0, proc.stderr[-2000:]
    floors = json.loads(proc.stdout)
    assert set(floors) == {"switch_screen", "save_check_in", "open_queue", "type_in_search", "open_ticket"}
    # Every key made a frame (a key that changed nothing would be timed by its CPU alone).
    assert floors["switch_screen"]["n"] == 2 and floors["open_queue"]["n"] == 7
    assert floors["type_in_search"]["n"] == 2 * len("王3-12")
    assert all(f["p50_ms"] > 0 for f in floors.values())


async def test_each_floor_key_makes_the_change_it_stands_for():
    """A frame is not enough: the queue floor's digit keys were typed into its search field (a
    focused Input takes them; no binding fires), so it timed a digit typed, not a page shown.
    Each key must refill the table with as many rows as the console's queue showed, the Enter
    of the ticket floor open a screen, and the typed search refill the table."""
    from textual.widgets import DataTable, Input

    from bench import floors

    queue = {"tables": [[4, 3]], "inputs": 1, "leaves": 3, "rows_by_key": {"1": 4, "2": 0, "3": 2}}
    app = floors.RefillFloor(queue)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for key, rows in (("2", 0), ("3", 2), ("1", 4)):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen.first_table().row_count == rows
        assert app.n == 3 and app.screen.query_one(Input).value == ""
    app = floors.OpenFloor(queue, {"tables": [[2, 2]], "inputs": 0, "leaves": 3})
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.n == 1 and len(app.screen_stack) == 3
    app = floors.SearchFloor({"tables": [[4, 2]], "inputs": 1, "leaves": 1})
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert app.n == 1 and app.screen.query_one(Input).value == "1"
        assert isinstance(app.screen.first_table(), DataTable)


def test_report_shows_each_key_against_its_floor_and_the_slow_pc():
    from bench import report

    lat = {"n": 5, "p50_ms": 20.0, "p95_ms": 40.0, "max_ms": 45.0, "cpu_p50_ms": 10.0, "cpu_p95_ms": 12.0}
    r = {"machine": {"when": "now", "cpu": "x", "cores": 2, "mem_mb": 1, "os": "x", "python": "3.11",
                     "sqlite": "3", "textual": "8", "load_before": (0, 0, 0), "load_after": (0, 0, 0)},
         "sizes": ["empty", "5y"], "ui_sizes": ["empty", "5y"], "dbs": {}, "service": {},
         "ui": {"empty": {"latency": {"open_queue": lat}},
                "5y": {"latency": {"open_queue": {**lat, "p50_ms": 21.0}}}},
         "floors": {"open_queue": {**lat, "p50_ms": 14.0}},
         "slow": {"db": "5y", "latency": {"open_queue": {**lat, "p50_ms": 63.0}}}}
    text = report.render(r)
    assert "## Floors" in text and "| open_queue | 21.0 / 40.0 | 14.0 / 40.0 | 1.50x | MISSED |" in text
    assert "## Slow lobby PC" in text and "| open_queue | 21.0 / 40.0 | 63.0 / 40.0 | 3.0x |" in text
    goal = next(g for g in report.goal_rows(r) if g[0].startswith("open_queue"))
    assert "p50 <= 33 ms" in goal[0] and goal[3] == "met"


def test_each_key_is_also_set_against_the_same_busy_day_without_its_history():
    """The empty store shows empty lists, so 5y vs empty counts the rows drawn as well as the
    history behind them. The 1-day store shows a busy day too: 5y vs 1d is the history's part."""
    from bench import dbs, report

    assert dbs.YEARS["1d"] == 1 and list(dbs.YEARS).index("1d") == 1  # second: the growth table's base
    lat = {"n": 5, "p50_ms": 10.0, "p95_ms": 20.0, "max_ms": 25.0, "cpu_p50_ms": 10.0, "cpu_p95_ms": 12.0}
    r = {"sizes": ["empty", "1d", "5y"], "ui_sizes": ["empty", "1d", "5y"], "service": {},
         "ui": {"empty": {"latency": {"open_queue": lat}},
                "1d": {"latency": {"open_queue": {**lat, "p50_ms": 24.0, "cpu_p50_ms": 20.0}}},
                "5y": {"latency": {"open_queue": {**lat, "p50_ms": 25.2, "cpu_p50_ms": 21.0}}}}}
    goal = next(g for g in report.goal_rows(r) if g[0].startswith("open_queue"))
    assert "5y vs empty" in goal[0] and goal[3] == "MISSED"  # the goal as set: 2.52x
    assert "a busy day, no history (1d): p50 24.0 / p95 20.0 ms, wall 1.05x, cpu 1.05x" in goal[2]
    # Growth with history is read against the first year: the day's ticket queues are shorter.
    r["sizes"] = r["ui_sizes"] = ["empty", "1d", "1y", "5y"]
    r["ui"]["1y"] = {"latency": {"open_queue": {**lat, "p50_ms": 24.0}}}
    head, rows = report.growth_rows(r)
    assert head[1:5] == ["empty", "1d", "1y", "5y"] and head[-1] == "growth (last/1y)"
    assert next(row for row in rows if row[0] == "open_queue p50 ms (wall)")[-1] == "1.05x"


def test_the_bench_puts_its_store_back_whole_after_a_probe_that_changes_rows(tmp_path, monkeypatch):
    """A probe's sign-on closes a shift the demo left open (a row changed in place, its event
    and checkpoint added): after restore() the store is as generated, and `audit verify` finds
    nothing (deleting the added rows left the closed shift behind: one finding on the 5y store)."""
    from sqlmodel import select

    from bench import dbs
    from deskconsole.cli.audit import verify_chain_and_checkpoints
    from deskconsole.clock import FakeClock
    from deskconsole.db.store import Store
    from deskconsole.demo import generate
    from deskconsole.models import Shift
    from deskconsole.services import audit_rows, operators, shifts

    monkeypatch.setattr(dbs, "CACHE", tmp_path)
    (tmp_path / "t.json").write_text(json.dumps({"name": "t"}))
    now = datetime(2026, 11, 25, 3, tzinfo=UTC)
    store = Store(f"sqlite:///{dbs.path_for('t')}").open()
    generate(store, days=4, seed=3, scale="normal", clock=FakeClock(now), pipeline=False)
    store.close()

    marked = dbs.mark("t")
    store = Store(f"sqlite:///{dbs.path_for('t')}").open()

    def close_one(s):
        info = next(o for o in operators.list_operators(s) if o.staff_no == "001")
        actor = shifts.sign_on(s, info, desk_name="desk-2", clock=FakeClock(now))
        left = s.exec(select(Shift).where(Shift.ended_at.is_(None), Shift.id != actor.shift_id)).first()
        shifts.close_by_supervisor(s, actor, left.id)

    store.write(close_one)
    store.close()
    dbs.restore("t", marked)

    store = Store(f"sqlite:///{dbs.path_for('t')}").open()
    try:
        with store.read() as s:
            chain, missed, _ = verify_chain_and_checkpoints(s, store.checkpoints_path)
            findings = list(audit_rows.verify_rows(s))
    finally:
        store.close()
    assert chain.ok and not missed
    assert findings == []
    assert not json.loads((tmp_path / "t.json").read_text()).get("dirty")


def test_the_summary_cli_row_runs_with_the_key_the_store_was_sealed_under(tmp_path, monkeypatch):
    """The bench runs the CLI in a fresh home; the key stays the bench run's own (default
    config folder, no DESKCONSOLE_AUDIT_KEY_FILE). It read FAILED: the CLI found no key there
    and refused the keyed store."""
    from bench import report
    from deskconsole.clock import FakeClock
    from deskconsole.db.store import Store
    from deskconsole.demo import generate

    monkeypatch.delenv("DESKCONSOLE_AUDIT_KEY_FILE")
    monkeypatch.setenv("DESKCONSOLE_HOME", str(tmp_path / "bench-home"))
    db = tmp_path / "s.db"
    store = Store(f"sqlite:///{db}").open()
    generate(store, days=2, seed=3, scale="normal", clock=FakeClock(datetime(2026, 11, 25, 3, tzinfo=UTC)),
             pipeline=False)
    store.close()
    out = report.summary_cli(db, runs=1)
    assert out["day"]["ok"] and out["month"]["ok"], out


def test_the_verify_probe_reports_its_own_memory_not_the_bench_that_started_it(tmp_path):
    """The bench process holds hundreds of MB (it has just built a store) when it starts the
    verify probe; Linux carries ru_maxrss across exec, so the probe reported the bench's peak
    (431 MB on the 1y store) as the verify's. It reads its own map's high-water mark now."""
    from deskconsole.clock import FakeClock
    from deskconsole.db.store import Store
    from deskconsole.demo import generate

    db = tmp_path / "s.db"
    store = Store(f"sqlite:///{db}").open()
    generate(store, days=2, seed=3, scale="normal", clock=FakeClock(datetime(2026, 11, 25, 3, tzinfo=UTC)),
             pipeline=False)
    store.close()
    parent = ("import json, subprocess, sys\n"
              "held = bytearray(600 * 1024 * 1024)\n"
              "for i in range(0, len(held), 4096): held[i] = 1\n"
              "out = subprocess.run([sys.executable, '-m', 'bench.audit_verify_probe', *sys.argv[1:]],\n"
              "                     capture_output=True, text=True, check=True).stdout\n"
              "print(out)\n")
    for extra in ([], ["--parallel"]):
        out = subprocess.run([sys.executable, "-c", parent, str(db), *extra], capture_output=True, text=True,
                             cwd=ROOT, check=True).stdout
        got = json.loads(out)
        assert got["findings"] == 0, got
        assert got["peak_rss_mb"] < 400, got


def test_the_ui_probe_pauses_the_header_clock_but_not_textuals_own_timers():
    """The header clock ticks through Textual's own `Widget.refresh` of the console's status
    bar: a tick landing in a timed key was counted as the key's frame. Textual's frame and
    cursor-blink timers, on the console's widgets too, are not the console's to pause."""
    from textual.screen import Screen
    from textual.widgets import Input, Static

    from bench.ui_probe import _ours
    from deskconsole.ui.screens.tickets import TicketsScreen
    from deskconsole.ui.text import Input as DeskInput
    from deskconsole.ui.widgets.status_bar import StatusBar

    assert _ours(StatusBar().refresh) and _ours(TicketsScreen.refresh_view)
    assert not _ours(Static().refresh) and not _ours(Input()._toggle_cursor)
    assert not _ours(DeskInput()._toggle_cursor) and not _ours(Screen._on_timer_update)


def test_each_probe_runs_on_the_store_as_generated(monkeypatch):
    """The screens probe ran on the store the service probe had just written 200 check-ins
    to (every one waiting at reception), so its save key refilled a queue of 210 where the slow
    lobby PC row's had 10. Each probe now has the store back as generated."""
    import bench.__main__ as bench_main

    calls = []
    monkeypatch.setattr(bench_main.dbs, "mark", lambda name: calls.append(("mark", name)) or {"kept": {}})
    monkeypatch.setattr(bench_main.dbs, "restore", lambda name, marked: calls.append(("restore", name)))
    monkeypatch.setattr(bench_main, "_run_json", lambda argv: calls.append(("run", argv[0])) or {})
    bench_main._on_store("5y", ["bench.service_probe", "db"])
    bench_main._on_store("5y", ["bench.ui_probe", "db"])
    assert calls == [("mark", "5y"), ("run", "bench.service_probe"), ("restore", "5y"),
                     ("mark", "5y"), ("run", "bench.ui_probe"), ("restore", "5y")]
