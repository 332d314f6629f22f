"""`deskconsole ticket list|show`: the ticket queues for scripts and reports.
Same services as the F4 screen; phones are masked (DOMAIN §1: never leak customer information)."""

from __future__ import annotations

import sys
from typing import Annotated, Literal

import typer

from deskconsole.cli.common import MAX_ID, fail, state

app = typer.Typer(help="Tickets: list a queue, show one ticket with its history.", no_args_is_help=True)

# Fixed choices, so --help lists them and a wrong one is refused with the list
# (models.tickets.TICKET_KINDS / TICKET_STATUSES; a test keeps them the same).
Queue = Literal["mine", "department", "escalated", "overdue", "due-today", "follow-up", "all"]
Kind = Literal["repair", "complaint", "inquiry", "suggestion", "callback"]
Status = Literal["new", "assigned", "in_progress", "resolved", "followed_up", "closed", "cancelled"]
FIELDS = ("id", "kind", "status", "priority", "customer", "honorific", "phone", "unit", "category", "department",
          "assignee", "first_owner", "due_at", "time_left", "sla", "escalated_at", "created_at", "description",
          "call", "call_due_at", "call_time_left", "call_sla")


def _reader(ctx, staff_no: str | None):
    """(config, store, actor, translator, rules). The actor only matters for 'mine'."""
    from deskconsole.clock import SystemClock
    from deskconsole.models import Operator
    from deskconsole.services.context import Actor
    from deskconsole.services.sla import rules_from

    st = state(ctx)
    config, store = st.open_store()
    op_id, name = 0, ""
    if staff_no:
        from sqlalchemy import select

        with store.read() as s:
            op = s.execute(select(Operator).where(Operator.staff_no == staff_no)).scalar_one_or_none()
        if op is None:
            fail("cli.error.no_operator", staff_no=staff_no[:20])
        op_id, name = op.id, op.name
    actor = Actor(operator_id=op_id, staff_no=staff_no or "", name=name, role="receptionist", shift_id=0,
                  desk_id=0, desk_name=config.desk_name, clock=SystemClock())
    return config, store, actor, st.translator(), rules_from(config)


def _record(row_or_ticket, config, rules, names, now) -> dict:
    from deskconsole.services.phone_numbers import mask
    from deskconsole.services.sla import time_left
    from deskconsole.services.tickets.workflow import OPEN

    r = row_or_ticket

    def iso(dt):
        return dt.astimezone(config.tz).isoformat(timespec="minutes") if dt else None

    def who(op_id):
        return " ".join(names.get(op_id, ())) if op_id else None

    is_open = r.status in OPEN
    # The follow-up worklist: the call to make - a progress call (open) or a follow-up call
    # (回访, resolved) - and when it is due (DOMAIN §3).
    progress_due, follow_up_due = getattr(r, "progress_call_due", None), getattr(r, "follow_up_due", None)
    call = "progress" if progress_due else ("follow_up" if follow_up_due and r.status == "resolved" else None)
    call_due = progress_due if call == "progress" else follow_up_due if call else None
    return {
        "id": r.id, "kind": r.kind, "status": r.status, "priority": r.priority,
        "customer": r.customer_name, "honorific": r.honorific, "phone": mask(r.phone), "unit": r.unit, "category": r.category,
        "department": r.department,
        "assignee": " / ".join(p for p in (who(r.assignee_id), r.assignee_text) if p) or None,
        "first_owner": who(r.first_owner_id),
        "due_at": iso(r.due_at), "time_left": time_left(r.due_at, now) if is_open else "",
        "sla": rules.state(r.due_at, now) if is_open else "none",
        "escalated_at": iso(r.escalated_at), "created_at": iso(r.created_at), "description": r.description,
        "call": call, "call_due_at": iso(call_due), "call_time_left": time_left(call_due, now),
        "call_sla": rules.state(call_due, now) if call else "none",
    }


def _emit(records: list[dict], fmt: str, t) -> None:
    import csv
    import json
    import sys

    if fmt == "json":
        print(json.dumps(records, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        from deskconsole.services.exports import inert_row

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(FIELDS)
        writer.writerows(inert_row(r.get(f) for f in FIELDS) for r in records)
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(t("reliability.audit.col.id"), t("tickets.col.kind"), t("tickets.col.status"), t("tickets.col.priority"),
                      t("tickets.col.customer"), t("tickets.col.unit"), t("tickets.col.due"),
                      t("tickets.col.request"))
        for r in records:
            table.add_row(str(r["id"]), t(f"tickets.kind.{r['kind']}"), t(f"tickets.status.{r['status']}"),
                          t(f"tickets.priority.{r['priority']}"), r["customer"], r["unit"],
                          _left(r, t), r["description"][:40])
        Console(markup=False, highlight=False).print(table)  # customers' text is data, never markup


def _left(r: dict, t) -> str:
    """Time left: of the call to make in the worklist (marked as a progress call), else of the ticket."""
    if r["call"] == "progress":
        return f"{r['call_time_left']} {t('tickets.progress_call_tag')}"
    return r["call_time_left"] if r["call"] else r["time_left"]


@app.command("list")
def list_(
    ctx: typer.Context,
    queue: Annotated[Queue, typer.Option("--queue", help="Which queue.")] = "all",
    staff_no: Annotated[str | None, typer.Option("--staff-no", help="Whose 'mine' queue.")] = None,
    department: Annotated[str | None, typer.Option("--department", help="For --queue department.")] = None,
    kind: Annotated[Kind | None, typer.Option("--kind", help="Only this kind.")] = None,
    status: Annotated[Status | None, typer.Option("--status", help="Only this status.")] = None,
    search: Annotated[str, typer.Option("--search", help="Text, unit, phone or #number (all tickets).")] = "",
    sort: Annotated[Literal["due", "newest"] | None, typer.Option("--sort", help="Order (default: by queue).")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100000)] = 200,
    fmt: Annotated[Literal["table", "json", "csv"], typer.Option("--format", help="How to print it.")] = "table",
) -> None:
    """List the tickets of a queue (keyset pages, as on screen)."""
    from deskconsole.services.tickets.queues import QueueQuery, list_for_export, operator_names

    if queue == "mine" and not staff_no:
        fail("cli.ticket.mine_needs_staff_no")
    config, store, actor, t, rules = _reader(ctx, staff_no)
    q = QueueQuery(queue=queue.replace("-", "_"), sort=sort or ("newest" if queue == "all" else "due"),
                   kind=kind, department=department, search=search, status=status)
    now = actor.clock.now()
    with store.read() as s:
        rows = list_for_export(s, actor, q, limit=limit, rules=rules)
        names = operator_names(s, [r.first_owner_id for r in rows] + [r.assignee_id for r in rows])
    for year in rules.unknown_years(now, max([now, *(r.due_at for r in rows if r.due_at)])):
        print(t("tickets.calendar_year", year=year), file=sys.stderr)  # never a silent guess
    _emit([_record(r, config, rules, names, now) for r in rows], fmt, t)


@app.command("show")
def show(
    ctx: typer.Context,
    ticket_id: Annotated[int, typer.Argument(min=1, max=MAX_ID, help="Ticket number.")],
    fmt: Annotated[Literal["table", "json"], typer.Option("--format", help="How to print it.")] = "table",
) -> None:
    """One ticket with its history, repair steps and follow-ups."""
    import json

    from deskconsole.services.tickets.queues import ticket_detail

    config, store, actor, t, rules = _reader(ctx, None)
    with store.read() as s:
        d = ticket_detail(s, ticket_id, history_limit=100000)
    now = actor.clock.now()
    record = _record(d.ticket, config, rules, d.names, now)

    def iso(dt):
        return dt.astimezone(config.tz).isoformat(timespec="minutes") if dt else None

    record["history"] = [{"at": iso(e.at), "by": " ".join(d.names.get(e.operator_id, ())), "kind": e.kind,
                          "field": e.field_name, "old": e.old, "new": e.new, "note": e.note} for e in d.events]
    record["repair_steps"] = [{"step": k, "at": iso(v.done_at), "note": v.note} for k, v in d.steps.items()]
    record["progress_call_due"] = iso(d.progress_call_due)  # the next progress call (DOMAIN §3)
    record["fee"] = None if d.ticket.fee_amount is None else f"{d.ticket.fee_amount:.2f} {d.ticket.fee_currency}"
    record["follow_ups"] = [{"due_at": iso(f.due_at), "done_at": iso(f.done_at), "satisfaction": f.satisfaction,
                             "outcome": f.outcome, "comment": f.comment, "call_id": f.call_id}
                            for f in d.follow_ups]
    if fmt == "json":
        print(json.dumps(record, ensure_ascii=False, indent=2))
        return
    print(f"#{record['id']} {t(f'tickets.kind.{d.ticket.kind}')} {t(f'tickets.status.{d.ticket.status}')} "
          f"{t(f'tickets.priority.{d.ticket.priority}')} {record['due_at'] or ''} {record['time_left']}")
    print(f"{record['customer']} {record['phone']} {record['unit']} | {record['first_owner'] or ''} -> "
          f"{record['assignee'] or '-'}")
    print(record["description"])
    for h in record["history"]:
        print(f"  {h['at']}  {h['by']:<12} {h['kind']:<10} {h['field'] or ''} {h['old'] or ''} "
              f"{'-> ' + h['new'] if h['new'] else ''} {h['note'] or ''}".rstrip())
