"""Each bench key's floor: `python -m bench.floors CENSUS.json [--rounds N]` prints JSON.

A floor is a bare Textual app making the same visible change as the console's key, with the
same widgets and row counts (the census bench/ui_probe.py took of the screen the key showed:
each DataTable's rows and columns, the inputs, the other leaf widgets) but no store, no
services, no workers. It is timed exactly as the console is (bench/ui_probe.py `_timed`: key
press to the last frame it caused), so the ratio console / floor is what the console adds.
A floor above 33 ms means the screen draws too much for one key: a design finding.

- switch_screen: one prebuilt screen per F-key, each with its census; the key switches mode.
- save_check_in: the reception census; Ctrl+S appends the typed name as a row to the first
  table, sets the message line and clears the input.
- open_queue: the queue census; a digit key clears the table and adds as many rows as that
  key's queue showed in the console (`rows_by_key`: a queue page of 0, 5 or 23 rows).
- type_in_search: the search census; each typed key filters the rows again (clear and add).
- open_ticket: Enter pushes a new screen with the ticket census (built on the key, as the
  console builds its ticket view); Escape goes back.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from bench import ui_probe as up

CELL = "王建国 3-1201"


def _rows(n_rows: int, n_cols: int, salt: int = 0) -> list[tuple[str, ...]]:
    return [tuple(f"{CELL} {salt}-{r}-{c}" for c in range(n_cols)) for r in range(n_rows)]


def _fill(table: DataTable, n_rows: int, n_cols: int, salt: int = 0) -> None:
    table.clear()
    for row in _rows(n_rows, n_cols, salt):
        table.add_row(*row)


class CensusScreen(Screen):
    """A screen with what a census names: a header line, the tables, the inputs, the leaves."""

    def __init__(self, census: dict, salt: int = 0, *, focus_table: bool = False) -> None:
        super().__init__()
        self.census, self.salt = census, salt
        if focus_table:
            # As the console's queue and ticket view: the table has the focus. A focused Input
            # takes the digit keys as text (Textual fires no binding for a key the focused
            # widget consumes), and the queue floor then timed a digit typed into a field.
            self.AUTO_FOCUS = "DataTable"

    def compose(self) -> ComposeResult:
        yield Static("Bench · desk-1 · 101", id="title")
        for _ in range(self.census.get("inputs", 0)):
            yield Input()
        for i, (_rows_n, cols) in enumerate(self.census.get("tables", [])):
            table = DataTable(id=f"t{i}")
            table.add_columns(*(f"col {c}" for c in range(cols)))
            yield table
        for i in range(max(0, self.census.get("leaves", 0) - 3)):
            yield Static(f"label {i}")
        yield Static("", id="message")
        yield Footer()

    def on_mount(self) -> None:
        for i, (n_rows, cols) in enumerate(self.census.get("tables", [])):
            _fill(self.query_one(f"#t{i}", DataTable), n_rows, cols, self.salt)

    def first_table(self) -> DataTable | None:
        tables = list(self.query(DataTable))
        return tables[0] if tables else None


# The keys, as priority bindings (as the console's F-keys are): a focused Input or table
# never takes them first.
KEYS = [*(f"f{i}" for i in range(2, 12)), "ctrl+s", *"1234567", "enter", "escape"]


class Floor(App):
    BINDINGS = [Binding(k, f"key('{k}')", priority=True, show=False) for k in KEYS]

    def action_key(self, key: str) -> None:
        self.pressed(key)

    def pressed(self, key: str) -> None:
        pass


class SwitchFloor(Floor):
    def __init__(self, screens: list[dict]) -> None:
        super().__init__()
        self.keys = [f"f{i + 2}" for i in range(len(screens))]
        self.screens = dict(zip(self.keys, screens, strict=True))

    def on_mount(self) -> None:
        for key, census in self.screens.items():  # prebuilt, as the console prepares its screens
            self.add_mode(key, lambda census=census: CensusScreen(census))
        for key in self.keys:
            self.switch_mode(key)
        self.switch_mode(self.keys[0])

    def pressed(self, key: str) -> None:
        if key in self.keys:
            self.switch_mode(key)


class CensusFloor(Floor):
    """A floor on one screen built from a census."""

    FOCUS_TABLE = False  # the table has the focus (keys that act on it), else the first field

    def __init__(self, census: dict) -> None:
        super().__init__()
        self.census, self.n = census, 0

    def on_mount(self) -> None:
        self.push_screen(CensusScreen(self.census, focus_table=self.FOCUS_TABLE))


class SaveFloor(CensusFloor):
    def pressed(self, key: str) -> None:
        if key != "ctrl+s":
            return
        screen = self.screen
        entry = screen.query(Input).first() if screen.query(Input) else None
        table = screen.first_table()
        self.n += 1
        if table is not None:
            name = (entry.value if entry is not None else "") or "王"
            table.add_row(*([f"{name} {self.n}"] + [CELL] * (len(table.columns) - 1)))
        screen.query_one("#message", Static).update(f"Checked in 王 {self.n}")
        if entry is not None:
            entry.value = ""


class RefillFloor(CensusFloor):
    """open_queue: a digit key clears the table and adds the page's rows again."""

    FOCUS_TABLE = True

    def pressed(self, key: str) -> None:
        if key in "1234567":
            self.refill(key)

    def refill(self, key: str = "") -> None:
        table = self.screen.first_table()
        if table is None:
            return
        self.n += 1
        rows = self.census["tables"][0]
        _fill(table, self.census.get("rows_by_key", {}).get(key, rows[0]), rows[1], self.n)


class SearchFloor(RefillFloor):
    """type_in_search: a key typed into the search input filters the rows again. No priority
    bindings: the digits typed go to the input."""

    BINDINGS = []
    FOCUS_TABLE = False  # the search field has the focus: the keys are typed into it

    def on_input_changed(self) -> None:
        self.refill()


class OpenFloor(Floor):
    def __init__(self, base: dict, opened: dict) -> None:
        super().__init__()
        self.base, self.opened, self.n = base, opened, 0

    def on_mount(self) -> None:
        self.push_screen(CensusScreen(self.base, focus_table=True))

    def pressed(self, key: str) -> None:
        if key == "enter":
            self.n += 1
            self.push_screen(CensusScreen(self.opened, self.n, focus_table=True))
        elif key == "escape" and len(self.screen_stack) > 2:
            self.pop_screen()


async def _measure(app: App, keys: list[str], rounds: int, between: list[str] | None = None) -> dict:
    app.animation_level = "none"
    up._watch_frames(app)
    samples = []
    async with app.run_test(size=(100, 30)) as pilot:
        await up._settle(pilot)
        for _ in range(rounds):
            for key in keys:
                samples.append(await up._timed(pilot, key))
                for other in between or []:
                    await pilot.press(other)
                    await up._settle(pilot)
    return up._stats(samples)


async def floors(census: dict, rounds: int) -> dict:
    out: dict[str, dict] = {}
    if census.get("switch_screen"):
        app = SwitchFloor(census["switch_screen"])
        out["switch_screen"] = await _measure(app, list(app.keys), rounds)
    if census.get("save_check_in"):
        out["save_check_in"] = await _measure(SaveFloor(census["save_check_in"]), ["ctrl+s"], rounds)
    if census.get("open_queue", {}).get("tables"):
        out["open_queue"] = await _measure(RefillFloor(census["open_queue"]), list("1234567"), rounds)
    if census.get("type_in_search", {}).get("tables"):
        out["type_in_search"] = await _measure(SearchFloor(census["type_in_search"]), list("王3-12"),
                                               max(2, rounds // 2))
    if census.get("open_ticket") and census.get("open_queue"):
        out["open_ticket"] = await _measure(OpenFloor(census["open_queue"], census["open_ticket"]), ["enter"],
                                            rounds, between=["escape"])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("census", help="a JSON file: the 'census' of a bench/ui_probe.py result")
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()
    with open(args.census, encoding="utf-8") as f:
        census = json.load(f)
    json.dump(asyncio.run(floors(census, args.rounds)), sys.stdout)


if __name__ == "__main__":
    main()
