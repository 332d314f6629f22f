"""`deskconsole audit verify` and `deskconsole audit show`.

verify walks the keyed hash chain and the chain head, then holds the store against every
signed checkpoint kept (beside the store, and in closed shifts): an edited event, a deleted
one, the newest ones deleted, the trail emptied, a chain recomputed without the key, another
desk's key, or an older backup put back, is reported in one line with exit code 1. Then every
sealed record is checked against its latest event (services/audit_rows.py): one line per
record that differs, has no event or is gone, and exit code 1. checkpoint takes a signed
checkpoint now. show filters by operator,
dates (site-local, inclusive), entity and record id. Everything printed passes through
strip_controls: even a record edited in the database cannot put escapes on this terminal.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated

import typer

from deskconsole.cli.common import found_problem, state

app = typer.Typer(help="The audit trail: verify the keyed hash chain, take a checkpoint, show events.", no_args_is_help=True)


@app.command("verify")
def verify(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(
        "--since", help="Check only records changed from this day on, YYYY-MM-DD (site time).")] = None,
) -> None:
    """Check that no audit event was edited or deleted, with this desk's key, that the store
    still reaches every audit checkpoint kept, and that every record still matches its latest
    audit event. Exit 0 and 'ok' when all holds."""
    from sqlalchemy.exc import SQLAlchemyError

    from deskconsole.cli.common import parse_date
    from deskconsole.services.audit import WrongAuditKey

    st = state(ctx)
    since_day = parse_date(since, "--since")
    try:
        config, store = st.open_store()
    except WrongAuditKey as exc:  # what this check is for: say it, exit 1
        found_problem(exc.key, **exc.params)
    t = st.translator()
    from deskconsole.cli.progress import progress

    since_at = local_day_start(since_day, config.tz) if since_day else None
    if big_enough(store):
        if since_at is None:
            verify_whole(st, store)
            return
        if not quick_start_known(store, since_at):
            # Nothing to start a quick check from (a store upgraded without checkpoints, or none
            # before that day): the whole chain must be walked, so the whole check on every core,
            # which took half the time of the quick one walking in this process alone.
            print(t("audit_key.verify.since_whole", day=since_day.isoformat()))
            verify_whole(st, store)
            return
    try:
        with progress(st, "progress.verify") as step, store.read() as s:
            result, missed, anchor = verify_chain_and_checkpoints(s, store.checkpoints_path, since_at, step)
    except SQLAlchemyError as exc:  # the trail's tables dropped or damaged: what this check is for
        found_problem("cli.audit.unreadable", detail=str(getattr(exc, "orig", exc)).strip().split("\n")[0][:200])
    report_chain(result, store.keys.path)
    report_checkpoints(missed, t)
    if since_at is not None:  # a quick check says where its chain walk started
        if anchor is None:
            print(t("audit_key.verify.since_whole", day=since_day.isoformat()))
        else:
            print(t("audit_key.verify.since_from", at=anchor.at[:16].replace("T", " ") + " UTC",
                    last_id=anchor.last_id, count=anchor.count))
    verify_records(st, store, since_at, result.checked)


def verify_chain_and_checkpoints(session, path, since=None, step=None):
    """(the chain's VerifyResult, the checkpoints it does not reach, the checkpoint a quick
    check (`since`) started from or None). With `since`, the walk starts after the newest
    checkpoint signed by this desk's key and taken before `since` whose last event is still in
    the store with its hash; the checkpoints before that one are not checked."""
    from deskconsole.services import audit, audit_checkpoints
    from deskconsole.services.audit_key import source_for

    kept = checkpoints_known(session, path)
    key = source_for(session).get(create=False)
    cp = anchor_for(session, kept, key, since) if since is not None else None
    anchor = None
    if cp is not None:
        anchor = audit.Anchor(cp.last_id, cp.last_hash, cp.count)
        kept = [(k, where) for k, where in kept if k.last_id >= cp.last_id]
    result = audit.verify(session, key, pins=frozenset(k.last_id for k, _ in kept), anchor=anchor, progress=step)
    if cp is not None and result.reason in (None, "tail"):
        result.pinned[cp.last_id] = (cp.count, cp.last_hash)
    missed = audit_checkpoints.misses(kept, result.pinned, key) if result.reason in (None, "tail") else []
    return result, missed, cp


def quick_start_known(store, since) -> bool:
    """Whether a checkpoint before `since` lets a quick check start its walk there."""
    from sqlalchemy.exc import SQLAlchemyError

    from deskconsole.services.audit_key import source_for

    try:
        with store.read() as s:
            return anchor_for(s, checkpoints_known(s, store.checkpoints_path),
                              source_for(s).get(create=False), since) is not None
    except SQLAlchemyError:  # the trail unreadable: the quick check says so, as it did
        return True


def anchor_for(session, kept, key, since):
    """The newest usable checkpoint taken before `since` (an aware UTC time), or None."""
    from datetime import UTC

    from sqlalchemy import select

    from deskconsole.models import AuditEvent

    if key is None:
        return None
    for cp, _where in sorted(kept, key=lambda c: (c[0].last_id, c[0].at), reverse=True):
        try:
            taken = datetime.fromisoformat(cp.at)
        except ValueError:
            continue
        if taken.tzinfo is None:
            taken = taken.replace(tzinfo=UTC)
        if taken >= since or cp.key_id != key.id or not cp.signed(key):
            continue
        # Its last event must still be there as it signed it (else: walk whole, which says why).
        if session.execute(select(AuditEvent.hash).where(AuditEvent.id == cp.last_id)).scalar() == cp.last_hash:
            return cp
        return None
    return None


def checkpoints_known(session, path) -> list:
    """Every checkpoint kept: the file beside the store, and the shifts' handover records."""
    from sqlalchemy import select

    from deskconsole.models import Shift
    from deskconsole.services import audit_checkpoints

    found, bad = audit_checkpoints.read(path)
    if bad:
        found_problem("audit_key.checkpoint.bad_lines", path=str(path), lines=", ".join(map(str, bad[:10])))
    kept = [(cp, "file") for cp in found]
    for shift_id, text in session.execute(select(Shift.id, Shift.audit_checkpoint)
                                          .where(Shift.audit_checkpoint.is_not(None))):
        try:
            kept.append((audit_checkpoints.Checkpoint.parse(text), f"shift {shift_id}"))
        except ValueError:
            found_problem("audit_key.checkpoint.bad_shift", shift=shift_id)
    return kept


def report_chain(result, key_path) -> None:
    if result.reason == "key":
        found_problem("audit_key.verify.wrong_key", store_key=result.store_key, path=str(key_path))
    if result.reason == "chain":
        found_problem("reliability.audit.broken_chain", id=result.broken_at, checked=result.checked)
    if result.reason == "tail":
        found_problem("reliability.audit.broken_tail", expected=result.expected or 0, checked=result.checked)
    if result.reason == "unkeyed":
        found_problem("audit_key.verify.unkeyed", checked=result.checked)


_MISSED = {"short": "audit_key.checkpoint.short", "differs": "audit_key.checkpoint.differs",
           "unsigned": "audit_key.checkpoint.unsigned"}


def report_checkpoints(missed, t) -> None:
    if not missed:
        return
    first = missed[0]
    cp = first.checkpoint
    where = t("audit_key.checkpoint.in_file") if first.where == "file" else first.where
    line = t(_MISSED[first.why], at=cp.at[:16].replace("T", " ") + " UTC", count=cp.count,
             last_id=cp.last_id, where=where)
    if len(missed) > 1:
        line += t("audit_key.checkpoint.also", more=len(missed) - 1)
    found_problem(line)


@app.command("checkpoint")
def checkpoint(ctx: typer.Context) -> None:
    """Take a signed checkpoint of the audit chain now and keep it beside the store."""
    from deskconsole.clock import SystemClock
    from deskconsole.services import audit_checkpoints

    st = state(ctx)
    _, store = st.open_store()
    t = st.translator()

    def take(s):
        cp = audit_checkpoints.take(s, SystemClock().now())
        if cp is not None:
            audit_checkpoints.keep_after_commit(s, cp)
        return cp

    cp = store.write(take)
    if cp is None:
        print(t("audit_key.checkpoint.empty"))
        return
    print(t("audit_key.checkpoint.taken", count=cp.count, last_id=cp.last_id, hash=cp.last_hash[:16],
            mac=cp.mac[:16], path=str(store.checkpoints_path)))


SHOWN_FINDINGS = 50


def verify_records(st, store, since, events: int) -> None:
    """The sealed records (services/audit_rows.py): every audited row against its latest audit
    event; one line per row that differs, has no event or is gone, then exit 1."""
    from sqlalchemy.exc import SQLAlchemyError

    from deskconsole.cli.progress import progress
    from deskconsole.services import audit_rows

    t = st.translator()
    found, checked = 0, [0]
    try:
        with progress(st, "progress.verify_rows", None) as step, store.read() as s:
            def counted(done: int, total: int | None) -> None:
                checked[0] = done
                step(done, total)

            for finding in audit_rows.verify_rows(s, since=since, progress=counted):
                found += 1
                if found <= SHOWN_FINDINGS:
                    print_finding(t, finding)
    except SQLAlchemyError as exc:
        found_problem("cli.audit.unreadable", detail=str(getattr(exc, "orig", exc)).strip().split("\n")[0][:200])
    report_records(t, found, events, checked[0])


def print_finding(t, finding) -> None:
    from deskconsole.services.text import strip_controls

    columns = ", ".join(finding.columns) or t("reliability.audit.rows.columns_unknown")
    print(strip_controls(t(f"reliability.audit.rows.{finding.kind}", table=finding.table, id=finding.id,
                           columns=columns)))


def report_records(t, found: int, events: int, rows: int) -> None:
    if found > SHOWN_FINDINGS:
        print(t("reliability.audit.rows.more", count=found - SHOWN_FINDINGS))
    if found:
        found_problem("reliability.audit.rows.broken", count=found)
    # One summary line: the chain, then the records.
    print(t("reliability.audit.ok", checked=events) + "; " + t("reliability.audit.rows.ok", rows=rows))


# A full check of a store with at least this many audit events runs on every core
# (services/audit_parallel.py); a smaller one in this process (starting workers costs more).
PARALLEL_FROM = 100_000


def big_enough(store) -> bool:
    from deskconsole.models import AuditHead
    from deskconsole.services import audit_parallel

    if audit_parallel.workers_for(store.url) < 2:
        return False
    with store.read() as s:
        head = s.get(AuditHead, 1)
        return head is not None and head.count >= PARALLEL_FROM


class _ChainFails(Exception):
    def __init__(self, result, missed) -> None:
        super().__init__()
        self.result, self.missed = result, missed


def verify_whole(st, store) -> None:
    """The full check on every core: the chain walk and the records in parallel, one progress
    bar for both (events walked + records checked); what is printed and the exit code are the
    one-process check's."""
    from contextlib import contextmanager

    from sqlalchemy.exc import SQLAlchemyError

    from deskconsole.cli.progress import progress
    from deskconsole.models import AuditHead
    from deskconsole.services import audit_checkpoints, audit_parallel, audit_rows
    from deskconsole.services.audit_key import source_for

    t = st.translator()
    try:
        with store.read() as s:
            kept = checkpoints_known(s, store.checkpoints_path)
            key = source_for(s).get(create=False)
            head = s.get(AuditHead, 1)
            total = (head.count if head is not None else 0) + audit_rows.total(s)
            tasks = audit_parallel.parts(s)

        def chain_done(result) -> None:
            missed = audit_checkpoints.misses(kept, result.pinned, key) if result.reason in (None, "tail") else []
            if result.reason is not None or missed:
                raise _ChainFails(result, missed)

        @contextmanager
        def show():
            with progress(st, "progress.verify_all", total) as step:
                yield lambda events, rows: step(events + rows, total)

        checked = audit_parallel.verify_all(store, key, frozenset(k.last_id for k, _ in kept), tasks,
                                            audit_parallel.workers_for(store.url), show=show, chain_done=chain_done)
    except _ChainFails as failed:
        report_chain(failed.result, store.keys.path)
        report_checkpoints(failed.missed, t)
        raise AssertionError("unreachable: a failed chain is reported") from None
    except SQLAlchemyError as exc:  # the trail's tables dropped or damaged: what this check is for
        found_problem("cli.audit.unreadable", detail=str(getattr(exc, "orig", exc)).strip().split("\n")[0][:200])
    report_chain(checked.chain, store.keys.path)
    for finding in checked.findings:
        print_finding(t, finding)
    report_records(t, checked.found, checked.chain.checked, checked.rows)


def parse_day(value: str | None, option: str) -> date | None:
    from deskconsole.services.errors import DeskError

    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise DeskError("reliability.error.date", field=option, option=option, value=value[:20]) from None


def local_day_start(day: date, tz) -> datetime:
    from datetime import UTC

    return datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(UTC)


@app.command("show")
def show(
    ctx: typer.Context,
    operator: Annotated[str | None, typer.Option("--operator", help="Staff number.")] = None,
    from_: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD (site time).")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD (inclusive).")] = None,
    entity: Annotated[str | None, typer.Option("--entity", help="visit, call, ticket, operator, shift, ...")] = None,
    id_: Annotated[str | None, typer.Option("--id", help="Record id (with --entity).")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100000, help="At most this many (newest).")] = 200,
) -> None:
    """Show audit events, oldest first; every filter is optional."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text
    from sqlalchemy import select

    from deskconsole.models import Desk, Operator
    from deskconsole.services import audit
    from deskconsole.services.errors import DeskError
    from deskconsole.services.phone_numbers import mask_in_text
    from deskconsole.services.text import strip_controls

    st = state(ctx)
    start_day, end_day = parse_day(from_, "--from"), parse_day(to, "--to")
    if start_day and end_day and end_day < start_day:
        raise DeskError("reliability.error.date_order")
    config, store = st.open_store()
    t = st.translator()
    tz = config.tz
    with store.read() as s:
        operator_id = None
        if operator is not None:
            operator_id = s.execute(select(Operator.id).where(Operator.staff_no == operator.strip())).scalar()
            if operator_id is None:
                raise DeskError("error.unknown_operator", staff_no=strip_controls(operator)[:16])
        rows = audit.events(
            s, operator_id=operator_id, entity=entity, entity_id=id_, limit=limit,
            start=local_day_start(start_day, tz) if start_day else None,
            end=local_day_start(end_day + timedelta(days=1), tz) if end_day else None)
        staff = dict(s.execute(select(Operator.id, Operator.staff_no)).all())
        desks = dict(s.execute(select(Desk.id, Desk.name)).all())

    def cell(value) -> Text:
        return Text("" if value is None else strip_controls(str(value)))

    def payload(value) -> Text:  # never a whole phone number, even in an event from an older version
        return cell(None if value is None else mask_in_text(str(value)))

    table = Table()
    for col in ("id", "at", "operator", "desk", "action", "record", "before", "after"):
        table.add_column(t(f"reliability.audit.col.{col}"), no_wrap=col in ("id", "at", "record"))
    for ev in rows:
        table.add_row(cell(ev.id), cell(ev.at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")),
                      cell(staff.get(ev.operator_id, "")), cell(desks.get(ev.desk_id, "")),
                      cell(ev.action), cell(f"{ev.entity} {ev.entity_id or ''}".strip()),
                      payload(ev.before), payload(ev.after))
    console = Console()
    console.print(table)
    console.print(Text(t("reliability.audit.shown", count=len(rows))))
