"""`deskconsole register list|lend|return|release|check|void|keys-import`: the key lending,
goods release and lending counter registers for scripts (DOMAIN §3), through the same services
as the F10 screen. Writes take the operator's staff number and PIN (a hidden prompt, or one
line of standard input with --pin-stdin); phones are masked as everywhere."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from deskconsole.cli.common import MAX_ID, found_problem, parse_datetime, read_pin, state
from deskconsole.cli.purge import PinStdin, supervisor_actor

app = typer.Typer(help="Registers: key lending, goods release, lending counter.", no_args_is_help=True)

Kind = Literal["key", "goods", "loan"]
StaffNo = Annotated[str, typer.Option("--staff-no", help="Your staff number (your PIN is asked).")]
FIELDS = {
    "key": ("id", "key_code", "unit", "name", "company", "phone", "borrower_kind", "purpose", "ticket_id",
            "lent_at", "due_at", "returned_at", "overdue", "voided"),
    "goods": ("id", "number", "unit", "name", "applicant_kind", "phone", "confirmed_by", "confirmed_how", "items",
              "vehicle_plate", "valid_on", "issued_at", "expires_at", "voided"),
    "loan": ("id", "item_code", "name", "unit", "phone", "deposit", "id_note", "lent_at", "returned_at",
             "deposit_refunded", "voided"),
}
# The table shows what fits a terminal; json and csv carry every field.
TABLE_FIELDS = {
    "key": ("id", "key_code", "name", "company", "phone", "ticket_id", "lent_at", "due_at", "returned_at"),
    "goods": ("id", "number", "unit", "name", "items", "vehicle_plate", "expires_at"),
    "loan": ("id", "item_code", "name", "unit", "deposit", "lent_at", "returned_at"),
}


def operator_actor(store, staff_no: str, pin_stdin: bool):
    """The operator proving their PIN, as an Actor with no shift or desk (a command line is neither)."""
    from deskconsole.clock import SystemClock
    from deskconsole.services import operators
    from deskconsole.services.context import Actor

    staff_no = operators.check_staff_no(staff_no)
    pin = read_pin(pin_stdin, "PIN")
    clock = SystemClock()
    op = operators.authenticate_in(store, staff_no=staff_no, pin=pin, now=clock.now())
    return Actor(operator_id=op.id, staff_no=op.staff_no, name=op.name, role=op.role,
                 shift_id=None, desk_id=None, desk_name="", clock=clock)  # type: ignore[arg-type]


@app.command("list")
def list_(
    ctx: typer.Context,
    kind: Annotated[Kind, typer.Option("--kind", help="key, goods or loan.")] = "key",
    open_only: Annotated[bool, typer.Option("--open", help="Only keys or items out, releases still good.")] = False,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only keys out past their due time.")] = False,
    first: Annotated[str | None, typer.Option("--from", help="Lent or issued from this day (YYYY-MM-DD, site time).")] = None,
    last: Annotated[str | None, typer.Option("--to", help="... up to this day, included.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100000)] = 200,
    fmt: Annotated[Literal["table", "json", "csv"], typer.Option("--format", help="How to print it.")] = "table",
) -> None:
    """A register newest first (the paper form's lines; --format csv for a spreadsheet);
    --open / --overdue in due order."""
    from datetime import datetime, time, timedelta

    from deskconsole.cli.common import parse_date
    from deskconsole.clock import SystemClock
    from deskconsole.services.registers import goods, keys, loans

    st = state(ctx)
    config, store = st.open_store()
    now = SystemClock().now()
    day_from, day_to = parse_date(first, "--from"), parse_date(last, "--to")
    start = datetime.combine(day_from, time(0), config.tz) if day_from else None
    end = datetime.combine(day_to + timedelta(days=1), time(0), config.tz) if day_to else None
    with store.read() as s:
        if kind == "key":
            rows = keys.list_loans(s, now, open_only=open_only, overdue_only=overdue, start=start, end=end,
                                   limit=limit)
        elif kind == "goods":
            rows = goods.list_releases(s, now=now, open_only=open_only, start=start, end=end, limit=limit)
        else:
            rows = loans.list_loans(s, open_only=open_only, start=start, end=end, limit=limit)
    _emit([r.to_dict(config.tz) for r in rows], kind, fmt, st.translator())


def _emit(records: list[dict], kind: str, fmt: str, t) -> None:
    import csv
    import json
    import sys

    fields = FIELDS[kind]
    if fmt == "json":
        print(json.dumps(records, ensure_ascii=False, indent=2, default=str))
        return
    if fmt == "csv":
        from deskconsole.services.exports import inert_row

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(fields)
        writer.writerows(inert_row(r.get(f) for f in fields) for r in records)
        return
    if not records:
        print(t("registers.cli.none"))
        return
    from rich.console import Console
    from rich.table import Table

    fields = TABLE_FIELDS[kind]
    table = Table(*(t(f"registers.col.{f}") for f in fields))
    for r in records:
        late = r.get("overdue") or r.get("voided")
        table.add_row(*("" if r.get(f) is None else _short(r.get(f)) for f in fields),
                      style="bold red" if r.get("overdue") else ("dim" if late else None))
    Console(markup=False, highlight=False).print(table)  # people's text is data, never markup


def _short(value) -> str:
    """A time as 'MM-DD HH:MM' (site time, as stored in the record), a list on one line."""
    text = str(value)
    if len(text) >= 16 and text[4:5] == "-" and text[10:11] == "T":
        return f"{text[5:10]} {text[11:16]}"
    return text.replace("\n", "; ")


@app.command("lend")
def lend(
    ctx: typer.Context,
    what: Annotated[str, typer.Argument(help="The key's code (data/keys.toml), or the item's with --kind loan.")],
    name: Annotated[str, typer.Option("--name", help="Who takes it.")],
    staff_no: StaffNo,
    kind: Annotated[Literal["key", "loan"], typer.Option("--kind", help="key or loan (a loan item).")] = "key",
    purpose: Annotated[str, typer.Option("--purpose", help="Why (a key).")] = "",
    company: Annotated[str, typer.Option("--company", help="Their company (a contractor's is required).")] = "",
    phone: Annotated[str, typer.Option("--phone")] = "",
    borrower: Annotated[Literal["staff", "contractor"], typer.Option("--borrower", help="staff or contractor.")] = "staff",
    ticket: Annotated[str, typer.Option("--ticket", help="The repair ticket's number.")] = "",
    due: Annotated[str, typer.Option("--due", help="Due back, YYYY-MM-DDTHH:MM site time (default: data/registers.toml).")] = "",
    unit: Annotated[str, typer.Option("--unit", help="The borrower's unit (a loan item).")] = "",
    deposit: Annotated[str | None, typer.Option("--deposit", help="Deposit taken (a loan item; default: the item's).")] = None,
    id_note: Annotated[str, typer.Option("--id-note", help="The ID held or seen (a loan item).")] = "",
    pin_stdin: PinStdin = False,
) -> None:
    """Lend a key (it cannot be lent twice) or a loan item (deposit or an ID note)."""
    from deskconsole.services.registers import ItemLendForm, KeyLendForm, lend_item, lend_key

    st = state(ctx)
    config, store = st.open_store()
    t = st.translator()
    due_at = parse_datetime(due, "--due", config.tz)
    actor = operator_actor(store, staff_no, pin_stdin)
    if kind == "key":
        form = KeyLendForm(key_code=what, name=name, purpose=purpose, company=company, phone=phone,
                           borrower_kind=borrower, ticket=ticket or None, due_at=due_at)
        v = store.write(lambda s: lend_key(s, actor, form))
        print(t("registers.cli.key_lent", code=v.key_code, name=v.name, id=v.id,
                due=f"{v.due_at.astimezone(config.tz):%Y-%m-%d %H:%M}"))
    else:
        item = ItemLendForm(item_code=what, name=name, unit=unit, phone=phone, deposit=deposit, id_note=id_note)
        v = store.write(lambda s: lend_item(s, actor, item))
        print(t("registers.cli.item_lent", item=v.item_code, name=v.name, id=v.id))


@app.command("return")
def return_(
    ctx: typer.Context,
    what: Annotated[str, typer.Argument(help="The key's code, or the loan's number with --kind loan.")],
    staff_no: StaffNo,
    kind: Annotated[Literal["key", "loan"], typer.Option("--kind", help="key or loan.")] = "key",
    note: Annotated[str, typer.Option("--note", help="A note on the return (a key).")] = "",
    pin_stdin: PinStdin = False,
) -> None:
    """Take back a key or a loan item (it comes back to you)."""
    from deskconsole.cli.common import fail
    from deskconsole.services.registers import return_item, return_key

    st = state(ctx)
    _, store = st.open_store()
    t = st.translator()
    if kind == "loan" and not (what.strip().isdigit() and 0 < int(what) <= MAX_ID):
        fail("registers.cli.loan_number", value=what[:20])
    actor = operator_actor(store, staff_no, pin_stdin)
    if kind == "key":
        v = store.write(lambda s: return_key(s, actor, what, note))
        print(t("registers.cli.key_returned", code=v.key_code, id=v.id))
    else:
        loan = store.write(lambda s: return_item(s, actor, int(what)))
        print(t("registers.cli.item_returned", item=loan.item_code, id=loan.id))


@app.command("release")
def release(
    ctx: typer.Context,
    unit: Annotated[str, typer.Option("--unit")],
    name: Annotated[str, typer.Option("--name", help="The applicant.")],
    items: Annotated[str, typer.Option("--items", help="What leaves (a list).")],
    staff_no: StaffNo,
    applicant: Annotated[Literal["owner", "tenant"], typer.Option("--applicant", help="owner or tenant.")] = "owner",
    phone: Annotated[str, typer.Option("--phone")] = "",
    confirmed_by: Annotated[str, typer.Option("--confirmed-by", help="The owner who confirmed (a tenant's release).")] = "",
    confirmed_how: Annotated[str, typer.Option("--confirmed-how", help="in_person, phone or written.")] = "",
    call: Annotated[int | None, typer.Option("--call", min=1, max=MAX_ID, help="The logged call of a phone confirmation.")] = None,
    plate: Annotated[str, typer.Option("--plate", help="The vehicle's plate.")] = "",
    day: Annotated[str, typer.Option("--date", help="The day it is good for, YYYY-MM-DD (default today).")] = "",
    pin_stdin: PinStdin = False,
) -> None:
    """Issue a goods release; prints the number security checks at the gate."""
    from deskconsole.services.registers import ReleaseForm, issue_release

    st = state(ctx)
    config, store = st.open_store()
    actor = operator_actor(store, staff_no, pin_stdin)
    form = ReleaseForm(unit=unit, name=name, items=items, applicant_kind=applicant, phone=phone,
                       confirmed_by=confirmed_by, confirmed_how=confirmed_how, confirm_call_id=call,
                       vehicle_plate=plate, valid_on=day or None)
    v = store.write(lambda s: issue_release(s, actor, form, tz=config.tz))
    print(st.translator()("registers.cli.released", number=v.number, unit=v.unit,
                          until=f"{v.expires_at.astimezone(config.tz):%Y-%m-%d %H:%M}"))


@app.command("check")
def check(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="The release number (e.g. GR261203-042).")],
) -> None:
    """Exit 0 when the release is good now; 1 (with the reason) when expired, void or unknown."""
    from deskconsole.clock import SystemClock
    from deskconsole.services.registers import check_release

    st = state(ctx)
    config, store = st.open_store()
    t = st.translator()
    with store.read() as s:
        result = check_release(s, number, now=SystemClock().now())
    if not result.valid:
        found_problem(CHECK_KEYS[result.reason], number=result.number)
    r = result.release
    print(t("registers.check.valid", number=r.number, unit=r.unit, items=r.items.replace("\n", "; "),
            plate=r.vehicle_plate or "-", until=f"{r.expires_at.astimezone(config.tz):%H:%M}"))


CHECK_KEYS = {"not_yet": "registers.check.not_yet", "expired": "registers.check.expired",
              "void": "registers.check.void", "unknown": "registers.check.unknown"}


@app.command("void")
def void(
    ctx: typer.Context,
    kind: Annotated[Kind, typer.Argument(help="key, goods or loan.")],
    record_id: Annotated[int, typer.Argument(min=1, max=MAX_ID, help="The line's number.")],
    reason: Annotated[str, typer.Option("--reason", help="Why the line is void (required).")],
    staff_no: Annotated[str, typer.Option("--staff-no", help="A supervisor's staff number.")],
    pin_stdin: PinStdin = False,
) -> None:
    """Void a register line made in error (a supervisor; the line stays, with the reason)."""
    from deskconsole.services import voids
    from deskconsole.services.registers import void as void_line

    st = state(ctx)
    voids.clean_reason(reason)
    _, store = st.open_store()
    actor = supervisor_actor(store, staff_no, pin_stdin, "reliability.action.void")
    done = store.write(lambda s: void_line(s, actor, kind, record_id, reason))
    print(st.translator()("reliability.void.done", entity=done.entity, id=done.id, reason=done.reason))


@app.command("keys-import")
def keys_import(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(help="A CSV file: code,kind,unit,zh,en (UTF-8).")],
) -> None:
    """Make the company's key catalogue (<config dir>/data/keys.toml) from a CSV file."""
    import os
    from pathlib import Path

    from deskconsole.cli.common import fail
    from deskconsole.config import default_dirs
    from deskconsole.services.registers.rules import KEYS_FILE, keys_toml_from_csv

    st = state(ctx)
    try:
        data = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        fail("registers.cli.keys_file", path=path[:200])
    body, count = keys_toml_from_csv(data)
    target = default_dirs(os.environ)[0] / "data" / KEYS_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(body, encoding="utf-8")
    print(st.translator()("registers.cli.keys_imported", count=count, path=str(target)))
