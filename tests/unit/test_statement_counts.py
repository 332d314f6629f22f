"""The two hottest paths send a fixed, small number of statements: a check-in save
(the visit, the visit read back for its seal, the audit chain's end, the event, the chain head) and a summary, whatever the
period holds. Counted with an engine event, so this is deterministic (timings are bench/)."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from deskconsole.services import reception
from deskconsole.services.summary import Period, summarize
from tests.unit.test_summary_scenario import build_shift

WORK = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")


@contextmanager
def counted(store):
    sent: list[str] = []

    def on_execute(_conn, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith(WORK) and "pg_advisory" not in statement:
            sent.append(statement)

    event.listen(store.engine, "before_cursor_execute", on_execute)
    try:
        yield sent
    finally:
        event.remove(store.engine, "before_cursor_execute", on_execute)


def test_a_check_in_save_is_five_statements(store, actor):
    form = reception.CheckInForm(name="王", honorific="mr", unit="3-1202", purpose="consultation", phone="13800138000")
    with counted(store) as sent:
        view = store.write(lambda s: reception.check_in(s, actor, form))
    # visit, the visit read back for its seal (services/audit_rows.py), chain end + head count,
    # audit event, chain head
    assert len(sent) == 5, sent
    assert (view.name, view.status, view.party_size, view.served_out_of_order) == ("王", "waiting", 1, False)


def test_a_summary_sends_the_same_statements_whatever_the_period_holds(store, actor, clock):
    with store.read() as s:
        empty = Period.for_range(clock.now().date(), clock.now().date(), "Asia/Shanghai", clock.now())
        with counted(store) as before:
            summarize(s, empty)
    shift_id = build_shift(store, actor, clock)
    with store.read() as s:
        period = Period.for_shift(s, shift_id, "Asia/Shanghai", clock.now())
        with counted(store) as sent:
            summarize(s, period)
    # visitors 3, calls 3 (+1 when an answer has no monotonic time), tickets 3 (+1 for checked
    # complaints), etiquette 1 (+1 with checks), handover 1 (+1 with shifts), the audit
    # checkpoint 1, registers 1, desk name 1 when filtered: never one per record.
    assert len(before) <= 14 and len(sent) <= 18, sent


def test_a_summary_builds_its_statements_once(store, actor, clock):
    """Every statement a summary runs is built once per filter shape and reused, so SQLAlchemy
    reuses its compiled SQL: building a section's statement anew at each summary was a third of
    a shift's summary (bench/NOTES.md, "One-shift summary")."""
    shift_id = build_shift(store, actor, clock)
    runs: list[list[object]] = []  # the statements themselves: an id is never reused meanwhile
    counting = [False]

    def on_execute(_conn, clause, *_args) -> None:
        if counting[0]:
            runs[-1].append(clause)

    event.listen(store.engine, "before_execute", on_execute)
    try:
        for desk_id in (None, None, 1, 1):
            with store.read() as s:
                period = Period.for_shift(s, shift_id, "Asia/Shanghai", clock.now())
                day = Period.for_range(clock.now().date(), clock.now().date(), "Asia/Shanghai", clock.now())
                runs.append([])
                counting[0] = True
                summarize(s, period, desk_id=desk_id)
                summarize(s, day, desk_id=desk_id)
                counting[0] = False
    finally:
        event.remove(store.engine, "before_execute", on_execute)
    ids = [[id(c) for c in run] for run in runs]
    assert len(ids[0]) >= 14 and ids[1] == ids[0] and ids[3] == ids[2], "a statement was built anew"


def test_a_check_in_save_builds_no_statement(store, actor):
    """A check-in's statements (five; six on PostgreSQL, with the chain's lock) are built once
    and reused, their SQL compiled once: the seal's read-back of the row, and PostgreSQL's lock,
    were built anew at every save. The statements themselves are kept, so an id is never reused."""
    runs: list[list[object]] = []

    def on_execute(_conn, clause, *_args) -> None:
        runs[-1].append(clause)

    event.listen(store.engine, "before_execute", on_execute)
    try:
        for phone in ("13800138000", "13800138001", "13800138002"):
            form = reception.CheckInForm(name="王", honorific="mr", unit="3-1202", purpose="consultation",
                                         phone=phone)
            runs.append([])
            store.write(lambda s, f=form: reception.check_in(s, actor, f))
    finally:
        event.remove(store.engine, "before_execute", on_execute)
    assert len(runs[1]) >= 5 and [id(c) for c in runs[2]] == [id(c) for c in runs[1]], "a statement was built anew"
