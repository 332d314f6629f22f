"""`python -m bench` (`make bench`): one command, one run; prints a table and writes
bench/RESULTS.md with machine info. Every figure is an absolute value and a ratio against a
baseline measured in the same run (a bare Textual app, hand-written SQL, the empty store).

Steps: build or reuse the databases (bench/dbs.py), cold start through tmux
(bench/startup.py), then per database the service probe and the UI probe, each in its own
process (bench/service_probe.py, bench/ui_probe.py), the store restored after each."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import dbs, report, slow

ROOT = Path(__file__).resolve().parent.parent


def _run_json(args: list[str], timeout: float = 3600, prefix: list[str] | None = None) -> dict:
    proc = subprocess.run([*(prefix or []), sys.executable, "-m", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        return {"error": " | ".join(tail)}
    return json.loads(proc.stdout)


def _get_census(results: dict, size: str | None) -> dict | None:
    return ((results["ui"].get(size) or {}).get("census")) if size else None


def _on_store(name: str, argv: list[str]) -> dict:
    """Run one probe on the store as generated, and put the store back after it. Each probe
    has its own: the service probe's 200 durable check-ins waited in the reception queue the
    screens probe then saved into (a queue of 210 where the slow-PC run's had 10)."""
    marked = dbs.mark(name)
    try:
        return _run_json(argv)
    finally:
        dbs.restore(name, marked)


def _floors(census: dict, rounds: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump(census, f)
    try:
        return _run_json(["bench.floors", f.name, "--rounds", str(rounds)])
    finally:
        os.unlink(f.name)


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    ap.add_argument("--sizes", default="empty,1d,1y,2y,5y", help="databases to measure (empty,1d,1y,2y,5y)")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the cached databases")
    ap.add_argument("--ui-sizes", default=None, help="databases for the UI probe (default: all of --sizes)")
    ap.add_argument("--rounds", type=int, default=10, help="key presses per UI figure and screen")
    ap.add_argument("--saves", type=int, default=200, help="durable check-in saves per database")
    ap.add_argument("--runs", type=int, default=5, help="runs per service figure (median)")
    # Starts of each program per store, interleaved; the median is kept. With 5, one run's
    # medians read 1.16x and 1.37x on the two stores at the same moment (bench/NOTES.md).
    ap.add_argument("--startup-runs", type=int, default=11)
    ap.add_argument("--no-slow", action="store_true", help="skip the slow lobby PC row (one core, half busy)")
    ap.add_argument("--output", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = ap.parse_args()
    sizes = [s for s in args.sizes.split(",") if s]
    ui_sizes = [s for s in (args.ui_sizes or args.sizes).split(",") if s in sizes]
    started = time.time()
    results: dict = {"machine": report.machine_info(), "sizes": sizes, "ui_sizes": ui_sizes, "dbs": {},
                     "service": {}, "ui": {}, "argv": sys.argv[1:]}
    for name in sizes:
        results["dbs"][name] = dbs.build(name, rebuild=args.rebuild)
        print(f"bench: {name} database ready ({'cached' if results['dbs'][name].get('cached') else 'built'})",
              file=sys.stderr)
    from bench.startup import cold_start

    results["startup"] = {}
    for name in (sizes[0], sizes[-1]):
        print(f"bench: cold start ({name})", file=sys.stderr)
        results["startup"][name] = cold_start(dbs.path_for(name), runs=args.startup_runs)
    for name in sizes:
        db = str(dbs.path_for(name))
        print(f"bench: services on {name}", file=sys.stderr)
        results["service"][name] = _on_store(name, ["bench.service_probe", db, "--saves", str(args.saves),
                                                    "--runs", str(args.runs)])
        if name in ui_sizes:
            print(f"bench: screens on {name}", file=sys.stderr)
            results["ui"][name] = _on_store(name, ["bench.ui_probe", db, "--rounds", str(args.rounds)])
    big = ui_sizes[-1] if ui_sizes else None
    census = _get_census(results, big)
    if census:
        print("bench: floors (bare Textual apps making the same changes)", file=sys.stderr)
        results["floors"] = _floors(census, args.rounds)
    if big and not args.no_slow:
        print(f"bench: slow lobby PC (one core, half busy) on {big}", file=sys.stderr)
        db = str(dbs.path_for(big))
        marked = dbs.mark(big)
        try:
            results["slow"] = {"db": big, **slow.run(["bench.ui_probe", db, "--rounds", str(args.rounds)],
                                                     _run_json)}
        finally:
            dbs.restore(big, marked)
    if sizes[-1] != "empty":
        print(f"bench: full audit verify on {sizes[-1]}", file=sys.stderr)
        results["audit_verify"] = {"db": sizes[-1], **_run_json(["bench.audit_verify_probe", "--parallel",
                                                                 str(dbs.path_for(sizes[-1]))])}
        print("bench: summary CLI end to end", file=sys.stderr)
        results["summary_cli"] = report.summary_cli(dbs.path_for(sizes[-1]))
    results["machine"]["load_after"] = os.getloadavg()
    results["minutes"] = round((time.time() - started) / 60, 1)
    (ROOT / "bench" / ".cache").mkdir(exist_ok=True)
    (ROOT / "bench" / ".cache" / "last_results.json").write_text(json.dumps(results, indent=1))
    text = report.render(results)
    args.output.write_text(text, encoding="utf-8")
    print(report.table(results))
    print(f"\nwritten: {args.output}")


if __name__ == "__main__":
    main()
