"""Progress on long work: a rich.progress bar on standard error, only when that is a terminal
and never with --quiet (a pipe, a log file or a script gets only the command's one summary
line). The services report real counts through an optional `progress` callback,
`step(done, total)` (rows imported, rows written, rows copied, pages backed up, rows
anonymised); the bar shows them as "done/total" and fills. Work that reports nothing (or no
total yet) gets a bar that pulses, with the time taken. The bar disappears when the work ends;
the command then prints its summary."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Step = Callable[..., None]  # step(done, total=None): the `progress=` argument of a service


def _nothing(done: int = 0, total: int | None = None) -> None:
    pass


def shown(quiet: bool) -> bool:
    return not quiet and sys.stderr.isatty()


def _counts_column():
    from rich.progress import ProgressColumn
    from rich.text import Text

    class Counts(ProgressColumn):
        """ "done/total" once the work has said its size, "done" while it has not, nothing
        before the first report (a pulsing bar with "0/?" would read as stuck)."""

        def render(self, task) -> Text:
            done = int(task.completed)
            if task.total is not None:
                total = int(task.total)
                return Text(f"{done:{len(str(total))}d}/{total}", style="progress.download")
            return Text(str(done) if done else "", style="progress.download")

    return Counts()


@contextmanager
def progress(st, key: str, total: int | None = None) -> Iterator[Step]:
    """`with progress(state(ctx), "progress.demo", total) as step: service(..., progress=step)`;
    `key` is a catalog key naming the work. `total` may also come later, with a step."""
    if not shown(st.quiet):
        yield _nothing
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    label = st.translator()(key)
    columns = [TextColumn("{task.description}"), BarColumn(), _counts_column(), TimeElapsedColumn()]
    with Progress(*columns, console=Console(file=sys.stderr), transient=True) as bar:
        task = bar.add_task(label, total=total)

        def step(done: int = 0, total: int | None = None) -> None:
            bar.update(task, completed=done, **({} if total is None else {"total": total}))

        yield step
