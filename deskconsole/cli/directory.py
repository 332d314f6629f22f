"""`deskconsole directory import|find`: load residents, units, companies and staff from a CSV
(UTF-8, UTF-8 with BOM, GB18030 or Big5, detected) or XLSX file, all-or-nothing. Lists as
property-management systems export them are understood (data/directory_headers.toml);
`--map` names any other column, `--dry-run` shows what would be stored."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from deskconsole.cli.common import fail, state

KIND_LABELS = {"resident": "cli.directory.resident", "company": "cli.directory.company",
               "staff": "cli.directory.staff", "unit": "cli.directory.unit"}

app = typer.Typer(help="The directory every unit/host field completes from.", no_args_is_help=True)


def print_columns(t, report) -> None:
    """Which column became which field; identity columns skipped; other columns ignored."""
    mapped = ", ".join(f"{t('directory.field.' + k)}={v}" for k, v in report.mapped.items())
    print(t("directory.report.columns", columns=mapped))
    if report.identity:
        print(t("directory.report.identity", columns=", ".join(report.identity)))
    if report.ignored:
        print(t("directory.report.ignored", columns=", ".join(report.ignored)))


def print_problems(t, name: str, report) -> None:
    for p in report.problems:
        where = f"{name}:{p.line}" + (f" [{p.column}]" if p.column else "")
        value = f" ({p.value!r})" if p.value else ""
        print(f"{where}: {t(p.reason)}{value}", file=sys.stderr)


def print_preview(t, report) -> None:
    """The first rows as they would be stored (phones masked as everywhere on screen)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from deskconsole.services.phone_numbers import mask
    from deskconsole.services.text import strip_controls

    def row(*values: str) -> list[Text]:  # a resident's text is data, never markup
        return [Text(strip_controls(v)) for v in values]

    table = Table(title=t("directory.report.preview", count=len(report.preview)))
    for key in ("line", "kind", "name", "unit", "phones", "note"):
        table.add_column(t("directory.field." + key))
    for r in report.preview:
        kind = t(KIND_LABELS[r["kind"]]) if r["kind"] in KIND_LABELS else r["kind"]
        table.add_row(*row(str(r["line"]), kind, r["name"], r["unit"],
                           " / ".join(mask(p) for p in r["phones"]), r["note"] or ""))
    Console(markup=False, highlight=False, soft_wrap=True).print(table)


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV or XLSX; the first row names the columns "
                                              "(name, unit or building+section+room, phone, kind, note).")],
    encoding: Annotated[str | None, typer.Option(
        "--encoding", help="CSV encoding (default: detect UTF-8 / GB18030 / Big5).")] = None,
    skip_bad: Annotated[bool, typer.Option("--skip-bad", help="Import the good rows even if some are bad.")] = False,
    mapping: Annotated[list[str] | None, typer.Option(
        "--map", metavar="FIELD=HEADER", help="Read FIELD from the column HEADER, e.g. --map 姓名=业主姓名 "
                                             "(repeatable).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the first rows as they would be stored "
                                                            "and every bad row; import nothing.")] = False,
) -> None:
    """Import a directory file. Every bad row is listed; nothing is imported unless --skip-bad."""
    from deskconsole.cli.progress import progress
    from deskconsole.clock import SystemClock
    from deskconsole.services import directory
    from deskconsole.services.directory.columns import parse_map

    st = state(ctx)
    t = st.translator()
    fields = parse_map(mapping)
    if dry_run:
        report = directory.import_file(None, file, encoding=encoding, mapping=fields, dry_run=True)
        print_columns(t, report)
        print_preview(t, report)
        print_problems(t, file.name, report)
        print(t("directory.report.dry_run", good=report.rows - len({p.line for p in report.problems}),
                bad=len({p.line for p in report.problems}), encoding=report.encoding))
        return
    _, store = st.open_store(create=True)
    with progress(st, "progress.import") as step:
        report = store.write(lambda s: directory.import_file(s, file, encoding=encoding, skip_bad=skip_bad,
                                                             mapping=fields, now=SystemClock().now(),
                                                             progress=step))
    print_columns(t, report)
    print_problems(t, file.name, report)
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
