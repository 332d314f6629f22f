"""`deskconsole directory import|find`: load residents, units, companies and staff from a CSV
(UTF-8, UTF-8 with BOM or GB18030, detected) or XLSX file, all-or-nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from deskconsole.cli.common import fail, state

KIND_LABELS = {"resident": "cli.directory.resident", "company": "cli.directory.company",
               "staff": "cli.directory.staff", "unit": "cli.directory.unit"}

app = typer.Typer(help="The directory every unit/host field completes from.", no_args_is_help=True)


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV or XLSX; first row names the columns (name, unit, phone, kind, note).")],
    encoding: Annotated[str | None, typer.Option("--encoding", help="CSV encoding (default: detect UTF-8 / GB18030).")] = None,
    skip_bad: Annotated[bool, typer.Option("--skip-bad", help="Import the good rows even if some are bad.")] = False,
) -> None:
    """Import a directory file. Every bad row is listed; nothing is imported unless --skip-bad."""
    import sys

    from deskconsole.cli.progress import progress
    from deskconsole.clock import SystemClock
    from deskconsole.services import directory

    st = state(ctx)
    _, store = st.open_store()
    t = st.translator()
    with progress(st, "progress.import") as step:
        report = store.write(lambda s: directory.import_file(s, file, encoding=encoding, skip_bad=skip_bad,
                                                             now=SystemClock().now(), progress=step))
    for p in report.problems:
        where = f"{file.name}:{p.line}" + (f" [{p.column}]" if p.column else "")
        value = f" ({p.value!r})" if p.value else ""
        print(f"{where}: {t(p.reason)}{value}", file=sys.stderr)
    if not report.committed:
        fail("directory.report.refused", bad=len({p.line for p in report.problems}))
    print(t("directory.report.done", count=report.imported, encoding=report.encoding,
            skipped=len({p.line for p in report.problems})))


@app.command("find")
def find(ctx: typer.Context, prefix: Annotated[str, typer.Argument(help="Start of a unit or name.")]) -> None:
    """Show directory entries whose unit or name starts with PREFIX (at most 20)."""
    from deskconsole.services import directory
    from deskconsole.services.phone_numbers import mask

    st = state(ctx)
    _, store = st.open_store()
    t = st.translator()
    with store.read() as s:
        for hit in directory.suggest(s, prefix, limit=20):
            kind = t(KIND_LABELS[hit.kind]) if hit.kind in KIND_LABELS else hit.kind
            print(f"{kind}\t{hit.unit}\t{hit.name}\t{mask(hit.phone)}")
