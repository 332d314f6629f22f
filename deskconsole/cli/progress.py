"""Progress on long work: a rich.progress bar on standard error, only when that is a terminal
and never with --quiet (a pipe, a log file or a script gets only the command's one summary
line). Work whose size is known gets a bar with counts; other work a bar that pulses, with
the time taken. The bar disappears when the work ends; the command then prints its summary."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Step = Callable[..., None]  # step(done, total=None)


def _nothing(done: int = 0, total: int | None = None) -> None:
    pass


def shown(quiet: bool) -> bool:
    return not quiet and sys.stderr.isatty()


@contextmanager
def progress(st, key: str, total: int | None = None) -> Iterator[Step]:
    """`with progress(state(ctx), "progress.demo", total) as step: ... step(done)`; `key` is a
    catalog key naming the work."""
    if not shown(st.quiet):
        yield _nothing
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    label = st.translator()(key)
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    if total is None:
        columns.pop(2)
    with Progress(*columns, console=Console(file=sys.stderr), transient=True) as bar:
        task = bar.add_task(label, total=total)

        def step(done: int = 0, total: int | None = None) -> None:
            bar.update(task, completed=done, **({} if total is None else {"total": total}))

        yield step
