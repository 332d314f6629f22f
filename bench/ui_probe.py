"""Keystroke-to-screen latency, in process: `python -m bench.ui_probe DB [--rounds N]` prints JSON.

The console runs under Textual's Pilot (headless, 100x30) on the given database with the real
clock. A latency is the time from a key press to the last frame that press caused: the key
handled, every worker it started finished (database queries included), the frame composed
and encoded as the terminal sequence a real driver would write (only the write is skipped).
Pilot's own idle detection (it sleeps in 20 ms steps until the process is quiet) is not
counted: the probe waits for it, then reads when the last frame was made. The interval timers
(the header clock, the store poll) are paused during a timed press so that their frames are
not taken for the key's.

Each scenario looks for the screen it needs; a screen that is not there (yet) is reported as
"not measurable" with the reason, never as a number. Peak RSS is read at the end, after every
screen has been visited."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

from bench.rss import peak_rss_kb


def _stats(samples: list[float]) -> dict:
    """Wall percentiles of `samples`, and CPU percentiles of the same presses (from `_cpu`)."""
    cpu = sorted(_cpu[-len(samples):]) if len(_cpu) >= len(samples) else []
    _cpu.clear()
    xs = sorted(samples)
    if not xs:
        return {}
    cpu_p = (lambda p: round(cpu[min(len(cpu) - 1, int(round(p * (len(cpu) - 1))))] * 1000, 2)) if cpu else None

    def pct(p: float) -> float:
        return xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))] * 1000

    return {"n": len(xs), "p50_ms": round(pct(0.5), 2), "p95_ms": round(pct(0.95), 2),
            "max_ms": round(xs[-1] * 1000, 2),
            "cpu_p50_ms": cpu_p(0.5) if cpu_p else None, "cpu_p95_ms": cpu_p(0.95) if cpu_p else None}


async def _settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


_cpu: list[float] = []
_frames: list[float] = []


def _watch_frames(app) -> None:
    """Note the time of every frame the app displays, after encoding it for the terminal."""
    display = app._display

    def timed_display(screen, renderable) -> None:
        display(screen, renderable)
        if renderable is not None and not app._batch_count:
            if hasattr(renderable, "render_segments"):
                renderable.render_segments(app.console)  # what a real driver would write
            _frames.append(time.perf_counter())

    app._display = timed_display


def _timers(app) -> list:
    """The console's own running interval timers (header clock, store poll, live refresh), on
    every mounted node: a screen the key is about to show again (the kept ticket view, an
    installed screen) is on no stack when the press starts, and its header clock ticked into
    the key's frames (about one press in ten of "open a ticket")."""
    nodes = [app, *app._registry]
    return [t for n in nodes for t in list(n._timers)
            if t._repeat is None and t._active.is_set() and _ours(t._callback)]


def _ours(callback) -> bool:
    """A callback of the console's: its function's module, or the console's own widget's
    `refresh` (the header clock's timer calls Textual's `Widget.refresh` of the status bar).
    Textual's own timers (frames, cursor blink) are not the console's, even on its widgets."""
    if (getattr(callback, "__module__", None) or "").startswith("deskconsole"):
        return True
    owner = getattr(callback, "__self__", None)
    return getattr(callback, "__name__", "") == "refresh" and type(owner).__module__.startswith("deskconsole")


async def _timed(pilot, *keys: str) -> float:
    """Seconds from the key to the last frame it caused; the process CPU seconds it cost go to
    `_cpu` (on a shared, loaded machine the CPU figure is the stable one: it excludes waiting
    for a core). A press that changed nothing on screen counts its CPU time."""
    paused = _timers(pilot.app)
    for timer in paused:
        timer.pause()
    _frames.clear()
    started, cpu = time.perf_counter(), time.process_time()
    await pilot.press(*keys)
    await _settle(pilot)
    spent = time.process_time() - cpu
    _cpu.append(spent)
    for timer in paused:
        timer.resume()
    return (_frames[-1] - started) if _frames else spent


async def _type(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch)


async def _clear_modals(pilot) -> None:
    """Sign-on steps: acknowledge the handover (Enter), skip the self-check (Esc, y)."""
    from textual.screen import ModalScreen

    for _ in range(8):
        screen = pilot.app.screen
        if not isinstance(screen, ModalScreen):
            return
        name = type(screen).__name__
        await pilot.press("enter" if "Handover" in name else "escape")
        await _settle(pilot)
        if pilot.app.screen is screen or type(pilot.app.screen).__name__ == "ConfirmModal":
            await pilot.press("y")
            await _settle(pilot)


def census(screen) -> dict:
    """What a screen shows, for its floor (bench/floors.py builds a bare app with the same):
    each displayed DataTable's rows and columns, and the other leaf widgets by kind."""
    from textual.widgets import DataTable, Input

    tables, inputs, leaves = [], 0, 0
    for w in screen.walk_children():
        if not w.display:
            continue
        if isinstance(w, DataTable):
            tables.append([w.row_count, len(w.columns)])
        elif isinstance(w, Input):
            inputs += 1
        elif not w.children:
            leaves += 1
    return {"tables": tables, "inputs": inputs, "leaves": leaves}


def _visits(db: str) -> int:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM visit").fetchone()[0]


def make_app(db: str):
    """The console on `db` as the probes run it: English, real clock, no idle lock, animations
    off, frames timed."""
    from deskconsole.clock import SystemClock
    from deskconsole.config import Config
    from deskconsole.db.store import Store
    from deskconsole.ui.app import DeskApp

    home = Path(tempfile.mkdtemp(prefix="bench-ui-"))
    config = Config(site_name="Bench", desk_name="desk-1", language="en", timezone="Asia/Shanghai",
                    data_dir=home, db=db, idle_lock_minutes=0)
    app = DeskApp(config=config, store=Store(f"sqlite:///{db}"), clock=SystemClock())
    app.animation_level = "none"
    _watch_frames(app)
    return app


async def sign_on(pilot) -> float:
    """Sign on as 101 and clear the sign-on steps; returns the seconds of the last Enter (to
    idle, the F-key screens built in advance included)."""
    await _settle(pilot)
    await _type(pilot, "101")
    await pilot.press("enter")
    await _type(pilot, "2468")
    started = time.perf_counter()
    await pilot.press("enter")
    await _settle(pilot)
    seconds = time.perf_counter() - started
    _cpu.clear()
    await _clear_modals(pilot)
    return seconds


async def probe(db: str, rounds: int) -> dict:
    app = make_app(db)
    out: dict[str, dict] = {}
    missing: dict[str, str] = {}
    seen: dict[str, object] = {}  # figure -> census of the screen its key showed (the floors')
    async with app.run_test(size=(100, 30)) as pilot:
        out["sign_on"] = _stats([await sign_on(pilot)])
        if app.actor is None:
            said = [str(w.render()) for w in app.screen.query("Label, Static") if w.display]
            said = " | ".join(text.strip() for text in said if text.strip())[:400]
            return {"error": f"sign-on failed on {type(app.screen).__name__}: {said}"}
        modes = [(m.key, m.name) for m in app.mode_specs if m.key]

        # Switch screen: every F-key in turn (each screen's first visit included in round 1).
        samples = []
        for _ in range(rounds):
            for key, _name in modes:
                samples.append(await _timed(pilot, key))
                await _clear_modals(pilot)
        out["switch_screen"] = _stats(samples)
        screens = []
        for key, _name in modes:
            await pilot.press(key)
            await _settle(pilot)
            screens.append(census(app.screen))
        seen["switch_screen"] = screens

        # Save a check-in (reception, Ctrl+S), the form typed before the clock starts.
        if any(n == "reception" for _, n in modes):
            await pilot.press(next(k for k, n in modes if n == "reception"))
            await _settle(pilot)
            samples, before = [], _visits(db)
            for _ in range(rounds):
                await _type(pilot, "王")
                await pilot.press("enter")  # to the next field, as a receptionist does
                samples.append(await _timed(pilot, "ctrl+s"))
                await _clear_modals(pilot)
            if _visits(db) - before == rounds:
                out["save_check_in"] = _stats(samples)
                seen["save_check_in"] = census(app.screen)
            else:
                missing["save_check_in"] = f"Ctrl+S saved {_visits(db) - before} of {rounds} check-ins"
            # Type in search: the visit search (Ctrl+F), one key at a time.
            await pilot.press("ctrl+f")
            await _settle(pilot)
            if type(app.screen).__name__ == "VisitSearchModal":
                samples = []
                for _ in range(max(2, rounds // 2)):
                    for ch in "王3-12":
                        samples.append(await _timed(pilot, ch))
                    for _ in range(5):
                        await pilot.press("backspace")
                    await _settle(pilot)
                out["type_in_search"] = _stats(samples)
                for ch in "王3-12":
                    await pilot.press(ch)
                await _settle(pilot)
                seen["type_in_search"] = census(app.screen)
                await pilot.press("escape")
                await _settle(pilot)
            else:
                missing["type_in_search"] = f"Ctrl+F on reception showed {type(app.screen).__name__}"
        else:
            missing["save_check_in"] = missing["type_in_search"] = "no reception screen registered"

        # Open the queue (tickets, keys 1-7) and open a ticket (Enter on the first row).
        if any(n == "tickets" for _, n in modes):
            await pilot.press(next(k for k, n in modes if n == "tickets"))
            await _settle(pilot)
            samples = []
            rows_by_key = {}  # the page each key shows, for the floor to show as many rows
            for _ in range(rounds):
                for key in "1234567":
                    samples.append(await _timed(pilot, key))
                    tables = census(app.screen)["tables"]
                    rows_by_key[key] = tables[0][0] if tables else 0
            out["open_queue"] = _stats(samples)
            seen["open_queue"] = {**census(app.screen), "rows_by_key": rows_by_key}
            await pilot.press("7")  # all tickets
            await _settle(pilot)
            samples = []
            tickets_screen = app.screen
            for _ in range(rounds):
                t = await _timed(pilot, "enter")
                if app.screen is tickets_screen:
                    missing["open_ticket"] = "Enter on the ticket queue did not open a ticket"
                    break
                samples.append(t)
                seen["open_ticket"] = census(app.screen)
                await pilot.press("escape")
                await _settle(pilot)
                await pilot.press("down")
                await _settle(pilot)
            if samples:
                out["open_ticket"] = _stats(samples)
        else:
            missing["open_queue"] = missing["open_ticket"] = "no tickets screen registered"
        screens = sorted({type(s).__name__ for stack in app._screen_stacks.values() for s in stack})
    rss_kb = peak_rss_kb()
    return {"latency": out, "not_measurable": missing, "screens_visited": screens, "census": seen,
            "peak_rss_mb": round(rss_kb / 1024, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("db")
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()
    result = asyncio.run(probe(args.db, args.rounds))
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
