"""`deskconsole demo --days N [--seed S] [--scale busy|normal] [--end YYYY-MM-DD]`: fill an
EMPTY database with realistic demo history (deskconsole/demo/). A database that holds anything
is refused, whatever the options: demo data must never mix with real records. Point --db (or
DESKCONSOLE_HOME) at a new file instead."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import typer

from deskconsole.cli.common import fail, state
from deskconsole.cli.progress import progress


def demo(
    ctx: typer.Context,
    days: Annotated[int, typer.Option("--days", help="Days of history, ending today (1-3660).")] = 30,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same data.")] = 1,
    scale: Annotated[Literal["normal", "busy"], typer.Option(
        "--scale", help="normal (one desk) or busy (two desks, ~550 visits a day).")] = "normal",
    end: Annotated[str | None, typer.Option("--end", help="Last day, YYYY-MM-DD (default: today).")] = None,
) -> None:
    """Fill an empty database with demo data (operators 001/PIN 135790 supervisor, 101/PIN 2468 receptionist)."""
    from deskconsole.clock import SystemClock
    from deskconsole.demo import fill

    st = state(ctx)
    t = st.translator()
    last = None
    if end is not None:
        try:
            last = date.fromisoformat(end)
        except ValueError:
            fail("demo.error.end", value=end[:40])
    config, store = st.open_store(create=True)
    with progress(st, "progress.demo", days) as step:
        result = fill(store, days=days, seed=seed, scale=scale, end=last, clock=SystemClock(),
                      tz=config.timezone, progress=step)
    rows = result.rows
    print(t("demo.done", days=result.days, first=result.first_day.isoformat(),
            last=result.last_day.isoformat(), visits=rows["visit"], calls=rows["call"],
            tickets=rows["ticket"], seconds=f"{result.seconds:.1f}"))
    print(t("demo.sign_on"))
    store.close()
