"""Where a keystroke's time goes: `python -m bench.profile_keys DB save|queue|switch|ticket`
prints a pyinstrument profile (main thread, 0.5 ms sampling; `--flat`: self time per function)
of the presses bench/ui_probe.py
times for that scenario. pyinstrument is not a dependency: `pip install pyinstrument` first.
Runs on a copy of DB (it signs on and saves check-ins)."""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
from pathlib import Path

from bench import ui_probe as up


async def profile(db: str, scenario: str, flat: bool = False) -> str:
    from pyinstrument import Profiler

    app = up.make_app(db)
    prof = Profiler(interval=0.0005, async_mode="disabled")

    async def timed(key: str) -> None:
        prof.start()
        await up._timed(pilot, key)
        prof.stop()

    async with app.run_test(size=(100, 30)) as pilot:
        await up.sign_on(pilot)
        keys = {m.name: m.key for m in app.mode_specs if m.key}
        if scenario == "save":
            await pilot.press(keys["reception"])
            await up._settle(pilot)
            for _ in range(10):
                await up._type(pilot, "王")
                await pilot.press("enter")
                await timed("ctrl+s")
                await up._clear_modals(pilot)
        elif scenario == "queue":
            await pilot.press(keys["tickets"])
            await up._settle(pilot)
            for _ in range(3):
                for key in "1234567":
                    await timed(key)
        elif scenario == "ticket":
            await pilot.press(keys["tickets"])
            await up._settle(pilot)
            await pilot.press("7")
            await up._settle(pilot)
            for _ in range(8):
                await timed("enter")
                await pilot.press("escape", "down")
                await up._settle(pilot)
        else:  # switch
            for _ in range(4):
                for key in keys.values():
                    await timed(key)
                    await up._clear_modals(pilot)
    if flat:  # self time per function, Textual's own frames included
        return prof.output_text(unicode=False, color=False, flat=True, show_all=True)
    return prof.output_text(unicode=False, color=False)


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--flat"]
    if len(args) != 2 or args[1] not in ("save", "queue", "ticket", "switch"):
        sys.exit("usage: python -m bench.profile_keys DB save|queue|ticket|switch [--flat]")
    try:
        import pyinstrument  # noqa: F401
    except ModuleNotFoundError:
        sys.exit("bench.profile_keys needs pyinstrument: pip install pyinstrument")
    work = Path(tempfile.mkdtemp(prefix="bench-prof-")) / "copy.db"
    shutil.copyfile(args[0], work)
    print(asyncio.run(profile(str(work), args[1], flat="--flat" in sys.argv)))


if __name__ == "__main__":
    main()
