"""`deskconsole etiquette show|validate`: the service standard (DOMAIN §4-§5) as the console
uses it, and a check of a company's own checklist file (a located error, exit code 2)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from deskconsole.cli.common import state

app = typer.Typer(help="The five-element etiquette checklist.", no_args_is_help=True)

Section = Literal["readiness", "grooming", "on_duty", "meeting", "off_duty"]


@app.command("show")
def show(
    ctx: typer.Context,
    section: Annotated[Section | None, typer.Option("--section", help="Only one section.")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="A checklist file instead of the configured one.")] = None,
) -> None:
    """Print the checklist in the console's language, element by element."""
    from deskconsole.services import etiquette

    st = state(ctx)
    config, t = st.config(), st.translator()
    checklist = etiquette.read_checklist(file) if file else etiquette.load_checklist(config)
    lang = t.language
    print(t("etiquette.cli.header", version=checklist.version, path=checklist.path, items=len(checklist.items)))
    self_ids = {i.id for i in checklist.self_items()}
    for el in checklist.elements:
        items = [i for i in checklist.items if i.element == el.id and section in (None, i.section)]
        if not items:
            continue
        print(f"\n{el.id} {el.name(lang)} - {el.motto(lang)}")
        for sec in checklist.sections:
            rows = [i for i in items if i.section == sec.id]
            if not rows:
                continue
            print(f"  [{sec.name(lang)}]")
            for item in rows:
                marks = []
                if item.id in self_ids:
                    marks.append(t("etiquette.cli.self_check"))
                if item.scope == "site":
                    marks.append(t("etiquette.cli.site"))
                suffix = f" ({', '.join(marks)})" if marks else ""
                print(f"    {item.id:<4} {item.text(lang)}{suffix}")
                print(f"         {t('etiquette.source', source=item.source)}")


@app.command("validate")
def validate(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The checklist file to check.")],
) -> None:
    """Check a company checklist file: unique ids, both languages, known sections and
    elements. An error names the file and the line (exit code 2)."""
    from deskconsole.services import etiquette

    t = state(ctx).translator()
    checklist = etiquette.read_checklist(file)
    print(t("etiquette.cli.valid", path=file, version=checklist.version, items=len(checklist.items),
            selfcheck=len(checklist.self_items()), inspection=len(checklist.inspection_items())))
