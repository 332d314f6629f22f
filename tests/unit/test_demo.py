"""The demo generator: deterministic, realistic, never after 'now', a valid audit
chain, and a bulk load that leaves the store exactly as durable as it found it."""

from __future__ import annotations

import hashlib
import io
import sys
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from deskconsole.clock import FakeClock
from deskconsole.db.store import Store
from deskconsole.demo import generate
from deskconsole.demo.sink import TABLES
from deskconsole.models import (
    Call,
    EtiquetteCheck,
    FollowUp,
    ProgressCall,
    Ticket,
    TicketEvent,
    Visit,
)
from deskconsole.models.tickets import TICKET_KINDS
from deskconsole.services import audit, operators
from deskconsole.services.errors import DeskError
from tests.conftest import START


def _fingerprint(store: Store) -> str:
    """Every row, but for the PIN hashes: each is salted afresh, as in a real store (and so
    the operators' seals and the chain hashes after them differ too)."""
    digest = hashlib.sha256()
    with store.engine.connect() as conn:
        for name in TABLES:
            for row in conn.exec_driver_sql(f'SELECT * FROM "{name}" ORDER BY id'):
                values = dict(row._mapping)
                values.pop("pin_hash", None)
                if name == "audit_event":
                    values.pop("hash"), values.pop("prev_hash")
                    if values["entity"] == "operator":
                        values.pop("after")
                digest.update(repr(tuple(values.values())).encode())
    return digest.hexdigest()


def _sqlite(tmp_path, name: str) -> Store:
    return Store(f"sqlite:///{tmp_path / name}").open()


def test_same_seed_gives_the_same_data_and_another_seed_does_not(tmp_path, clock):
    stores = [_sqlite(tmp_path, f"{i}.db") for i in range(3)]
    for store, seed in zip(stores, (5, 5, 6), strict=True):
        generate(store, days=4, seed=seed, clock=clock)
    prints = [_fingerprint(s) for s in stores]
    assert prints[0] == prints[1]
    assert prints[0] != prints[2]


def test_generating_in_a_forked_process_gives_the_same_rows(tmp_path, clock):
    a, b = _sqlite(tmp_path, "a.db"), _sqlite(tmp_path, "b.db")
    generate(a, days=3, seed=2, clock=clock, pipeline=False, chunk_days=1)
    generate(b, days=3, seed=2, clock=clock, pipeline=True, chunk_days=2)
    assert _fingerprint(a) == _fingerprint(b)


def test_demo_audit_chain_verifies_and_its_head_counts_every_event(store, clock):
    result = generate(store, days=3, seed=1, clock=clock)
    with store.read() as s:
        check = audit.verify(s)
    assert check.ok, check
    assert check.checked == result.rows["audit_event"] > 0


def test_demo_assignments_name_the_column_the_console_itself_sets(store, clock):
    """The demo wrote an assignment as field "assignee", which the ticket history showed raw
    ("assignee: - -> ..."); the console writes the column it set (services/tickets/actions)."""
    generate(store, days=3, seed=1, clock=clock)
    with store.read() as s:
        names = set(s.execute(select(TicketEvent.field_name).where(TicketEvent.kind == "assign")).scalars())
        rows = s.execute(select(Ticket.id, Ticket.assignee_id, Ticket.assignee_text)).all()
    assert names and names <= {"assignee_id", "assignee_text", "department"}
    assert any(r.assignee_id for r in rows) and any(r.assignee_text for r in rows)
    with store.read() as s:  # the value is the column's: an operator's id, or the text
        for ticket_id, assignee_id, text in rows[:50]:
            ev = s.execute(select(TicketEvent).where(TicketEvent.ticket_id == ticket_id,
                                                     TicketEvent.kind == "assign")).scalars().first()
            if ev is not None:
                assert (ev.field_name, ev.new) == (("assignee_text", text) if text else ("assignee_id", str(assignee_id)))


def test_a_database_that_holds_anything_is_refused(store, clock):
    store.write(lambda s: operators.create_operator(s, staff_no="001", name="王芳", role="supervisor",
                                                    pin="135790", now=clock.now()))
    with pytest.raises(DeskError) as err:
        generate(store, days=2, clock=clock)
    assert err.value.key == "demo.error.not_empty"


def test_demo_operators_each_have_a_salt_of_their_own_and_were_added_by_a_supervisor(store, clock):
    from sqlalchemy import select

    from deskconsole.models import AuditEvent, Operator

    generate(store, days=1, clock=clock)
    with store.read() as s:
        ops = s.execute(select(Operator)).scalars().all()
        created = s.execute(select(AuditEvent).where(AuditEvent.entity == "operator",
                                                           AuditEvent.action == "create")).scalars().all()
    salts = {op.pin_hash.split("$")[3] for op in ops}
    assert len(ops) > 2 and len(salts) == len(ops)
    first = next(op.id for op in ops if op.staff_no == "001")
    assert len(created) == len(ops) and {e.operator_id for e in created} == {first}


def test_demo_operators_sign_on_with_the_documented_pins(store, clock):
    generate(store, days=1, clock=clock)
    for staff_no, pin, role in (("001", "135790", "supervisor"), ("101", "2468", "receptionist")):
        op = operators.authenticate_in(store, staff_no=staff_no, pin=pin, now=clock.now())
        assert op.role == role


def test_nothing_is_recorded_after_now_and_the_last_day_has_a_live_desk(store, clock):
    # START is 09:00 in Shanghai: the morning peak is under way.
    generate(store, days=3, seed=3, clock=clock)
    now = clock.now()
    with store.read() as s:
        for column in (Visit.arrived_at, Visit.served_at, Visit.checked_out_at, Call.started_at,
                       Call.ended_at, Ticket.created_at, Ticket.updated_at, TicketEvent.at,
                       FollowUp.done_at, EtiquetteCheck.at):
            latest = s.execute(select(func.max(column))).scalar_one()
            assert latest is None or latest <= now, column
        live = s.execute(select(func.count()).select_from(Visit)
                         .where(Visit.status.in_(("waiting", "in_building")))).scalar_one()
        open_tickets = s.execute(select(func.count()).select_from(Ticket)
                                 .where(Ticket.status.in_(("new", "assigned", "in_progress")))).scalar_one()
    assert live > 0 and open_tickets > 0


def test_calls_include_late_answers_missed_calls_and_returned_callbacks(sqlite_store, clock):
    """DOMAIN §2: answer before the third ring ends; missed calls are called back."""
    generate(sqlite_store, days=10, seed=4, clock=clock)
    with sqlite_store.read() as s:
        late = s.execute(select(func.count()).select_from(Call).where(Call.within_limit.is_(False),
                                                                      Call.status == "ended")).scalar_one()
        in_time = s.execute(select(func.count()).select_from(Call).where(Call.within_limit.is_(True))).scalar_one()
        missed = s.execute(select(Call).where(Call.status == "missed")).scalars().all()
        callbacks = {c.returns_call_id: c for c in s.execute(
            select(Call).where(Call.returns_call_id.is_not(None))).scalars()}
    assert in_time > late > 0
    returned = [m for m in missed if m.returned_at is not None]
    assert missed and returned
    for call in returned:
        back = callbacks[call.id]
        assert back.direction == "out" and back.started_at == call.returned_at > call.started_at


def test_tickets_of_every_kind_have_history_follow_ups_and_satisfaction(sqlite_store, clock):
    generate(sqlite_store, days=20, seed=5, clock=clock)
    with sqlite_store.read() as s:
        kinds = set(s.execute(select(Ticket.kind).distinct()).scalars())
        without_created = s.execute(
            select(func.count()).select_from(Ticket).where(~Ticket.id.in_(
                select(TicketEvent.ticket_id).where(TicketEvent.kind == "created")))).scalar_one()
        rated = s.execute(select(func.count()).select_from(FollowUp)
                          .where(FollowUp.done_at.is_not(None), FollowUp.satisfaction.is_not(None))).scalar_one()
        closed_with_dates = s.execute(select(func.count()).select_from(Ticket).where(
            Ticket.status == "closed", Ticket.closed_at.is_not(None))).scalar_one()
        closed = s.execute(select(func.count()).select_from(Ticket).where(Ticket.status == "closed")).scalar_one()
    assert kinds == set(TICKET_KINDS)
    assert without_created == 0
    assert rated > 0
    assert closed == closed_with_dates > 0


def test_bulk_load_restores_durability_foreign_keys_and_every_index(tmp_path, clock):
    store = _sqlite(tmp_path, "d.db")
    with store.engine.connect() as conn:
        before = sorted(conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='index'").scalars())
    generate(store, days=2, clock=clock, pipeline=True)
    store.close()
    store = _sqlite(tmp_path, "d.db")
    with store.engine.connect() as conn:
        after = sorted(conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='index'").scalars())
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    assert after == before
    assert not list(tmp_path.glob("*.demo-stage*"))  # the pipeline's staging file is gone


def test_a_generator_failure_in_the_forked_process_is_raised_and_leaves_no_staging_file(
        tmp_path, clock, monkeypatch):
    from deskconsole.demo import day as demo_day

    def broken(day):
        raise ValueError("boom")

    monkeypatch.setattr(demo_day.Day, "calls", broken)  # the forked child inherits it
    store = _sqlite(tmp_path, "f.db")
    with pytest.raises(RuntimeError, match="boom"):
        generate(store, days=2, clock=clock, pipeline=True)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    store.close()
    assert not list(tmp_path.glob("*.demo-stage*"))


def test_busy_scale_stamps_two_desks_and_about_five_hundred_visits_a_weekday(sqlite_store, clock):
    end = START.date() - timedelta(days=1)  # a whole day: Tuesday 2026-11-24
    generate(sqlite_store, days=1, scale="busy", end=end, clock=FakeClock(START))
    with sqlite_store.read() as s:
        visits = s.execute(select(func.count()).select_from(Visit)).scalar_one()
        desks = s.execute(select(func.count(Visit.desk_id.distinct()))).scalar_one()
    assert 450 <= visits <= 800 and desks == 2


def test_cli_fills_a_new_database_and_refuses_a_second_run(tmp_path, monkeypatch, capsys):
    from deskconsole.cli.common import run_guarded
    from deskconsole.cli.main import app

    db = str(tmp_path / "cli.db")

    def run(*args: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["deskconsole", "--db", db, "--lang", "en", *args])
        monkeypatch.setattr(sys, "stdin", io.StringIO(""))
        code = run_guarded(app)
        out = capsys.readouterr()
        return code, out.out, out.err

    code, out, _ = run("demo", "--days", "2", "--seed", "9", "--end", date(2026, 11, 20).isoformat())
    assert code == 0 and "2 days (2026-11-19 to 2026-11-20)" in out and "PIN 135790" in out
    code, _, err = run("demo", "--days", "2")
    assert code == 2 and "already holds records" in err and err.count("\n") == 1
    code, _, err = run("demo", "--days", "0")
    assert code == 2 and "--days must be between 1 and" in err


def test_on_a_thirty_day_demo_the_shifts_add_up_to_the_whole_period(sqlite_store, clock):
    """Every record of the demo is stamped with one shift, inspections and follow-up calls
    included: the shifts' figures add up to the period's for every count."""
    from deskconsole.models import Shift
    from deskconsole.services.summary import Period, flatten, summarize

    generate(sqlite_store, days=30, seed=7, clock=clock)
    tz, now = "Asia/Shanghai", clock.now()
    # States as of now (the registers' are the whole site's key cabinet and counter), moments in time.
    not_additive = ("_pct", "avg_", "longest_", "average", "follow_ups_overdue_now", "keys_overdue_now",
                    "items_out_now", "progress_calls_overdue_now", "progress_calls_due")

    def counts(data):
        return {(sec, key): v for sec, key, v in flatten(data)
                if isinstance(v, int) and not any(mark in key for mark in not_additive)}

    with sqlite_store.read() as s:
        first = s.execute(select(func.min(Shift.started_at))).scalar_one()
        whole = counts(summarize(s, Period.for_range((first - timedelta(days=1)).date(), now.date(), tz, now)).to_dict())
        parts = [counts(summarize(s, Period.for_shift(s, sid, tz, now)).to_dict())
                 for sid in s.execute(select(Shift.id)).scalars()]
    assert whole[("visitors", "arrived")] > 1000 and whole[("etiquette", "inspections")] > 10
    summed = {k: sum(p.get(k, 0) for p in parts) for k in whole}
    assert {k: (v, whole[k]) for k, v in summed.items() if v != whole[k]} == {}


def test_demo_due_times_follow_ups_and_handovers_behave_like_a_real_desk(sqlite_store, clock):
    """Due times come from the SLA (business hours, holidays), follow-up calls are made in
    business hours (some late), and a handover is read after the previous shift ended."""
    from deskconsole.config import Config
    from deskconsole.models import Shift
    from deskconsole.services.sla import rules_from

    generate(sqlite_store, days=20, seed=3, clock=clock)
    rules = rules_from(Config(timezone="Asia/Shanghai"))
    with sqlite_store.read() as s:
        tickets = s.execute(select(Ticket.kind, Ticket.priority, Ticket.created_at, Ticket.due_at)).all()
        done = s.execute(select(FollowUp.done_at, FollowUp.due_at).where(FollowUp.done_at.is_not(None))).all()
        shifts = {sh.id: sh for sh in s.execute(select(Shift)).scalars()}
    assert tickets and all(due == rules.due_at(kind, prio, created) for kind, prio, created, due in tickets)
    in_hours = [rules.hours.start <= at.astimezone(rules.tz).time() <= rules.hours.end
                and rules.is_business_day(at.astimezone(rules.tz).date()) for at, _ in done]
    assert done and all(in_hours)
    assert any(at > due for at, due in done) and any(at <= due for at, due in done)
    acks = [(sh.handover_ack_at, shifts[sh.prev_shift_id].ended_at) for sh in shifts.values()
            if sh.prev_shift_id and sh.handover_ack_at and shifts[sh.prev_shift_id].ended_at]
    assert acks and all(ack > ended for ack, ended in acks)


def test_demo_progress_calls_are_made_in_business_hours_some_late_and_stop_when_solved(sqlite_store, clock):
    """DOMAIN §3 (000 C): the complaints kept open get progress calls, each an outgoing call
    linked to its ticket; some made late, some missed or overdue; none once it is solved;
    and the summary counts them as the rows say."""
    from deskconsole.config import Config
    from deskconsole.services.sla import rules_from
    from deskconsole.services.summary import Period, summarize
    from deskconsole.services.tickets.workflow import OPEN

    generate(sqlite_store, days=30, seed=3, clock=clock)
    rules = rules_from(Config(timezone="Asia/Shanghai"))
    with sqlite_store.read() as s:
        rows = s.execute(select(ProgressCall, Ticket).join(Ticket, Ticket.id == ProgressCall.ticket_id)).all()
        calls = {c.id: c for c in s.execute(select(Call).where(Call.direction == "out")).scalars()}
        events = {(e.ticket_id, e.new) for e in s.execute(select(TicketEvent).where(
            TicketEvent.kind == "progress_call")).scalars()}
        now = clock.now()
        tz = "Asia/Shanghai"
        figures = summarize(s, Period.for_range(date(2026, 10, 1), now.date(), tz, now), rules=rules).tickets
    made = [(p, t) for p, t in rows if p.done_at is not None]
    assert made and all(t.kind in rules.progress_call_kinds for _, t in rows)
    assert any(p.done_at <= p.due_at for p, _ in made) and any(p.done_at > p.due_at for p, _ in made)
    for p, t in made:
        local = p.done_at.astimezone(rules.tz)
        assert rules.is_business_day(local.date()) and rules.hours.start <= local.time() <= rules.hours.end
        call = calls[p.call_id]
        assert call.summary.startswith(f"#{t.id} ") and (t.id, str(call.id)) in events
        assert t.resolved_at is None or p.done_at < t.resolved_at
    pending = [(p, t) for p, t in rows if p.done_at is None and p.stopped_at is None]
    assert pending and all(t.status in OPEN for _, t in pending)
    assert all(t.status not in OPEN or t.reopened_count for p, t in rows if p.stopped_at is not None)
    assert figures.progress_calls_done == len(made)
    assert figures.progress_calls_done_late == sum(p.done_at > p.due_at for p, _ in made)
    assert figures.progress_calls_overdue_now == sum(p.due_at < now for p, _ in pending)
    missed = [p for p, _ in rows if p.stopped_at is not None and p.stopped_at > p.due_at]
    assert figures.progress_calls_due == len(made) + len(missed) + figures.progress_calls_overdue_now
    assert missed


def test_demo_watch_list_has_entries_and_hits_on_the_timeline_and_in_the_trail(sqlite_store, clock):
    """A demo desk meets its watch list now and then (访客关注名单): entries a supervisor keeps,
    hits at the check-in and on calls, each on the timeline and sealed in the audit trail."""
    from deskconsole.models import Operator, WatchEntry, WatchHit
    from deskconsole.services import audit_rows
    from deskconsole.services import timeline as tl

    generate(sqlite_store, days=30, seed=3, clock=clock)
    with sqlite_store.read() as s:
        entries = s.execute(select(WatchEntry)).scalars().all()
        hits = s.execute(select(WatchHit)).scalars().all()
        supervisors = {o.id for o in s.execute(select(Operator).where(Operator.role == "supervisor")).scalars()}
        assert len(entries) >= 3 and all(e.created_by in supervisors for e in entries)
        assert {h.place for h in hits} == {"check_in", "call"} and all(h.at <= clock.now() for h in hits)
        on_call = next(h for h in hits if h.place == "call")
        shown = tl.page(s, tl.Target.of(phone=on_call.phone)).entries
        assert any(e.source == "watch_hit" and e.id == on_call.id for e in shown)
        assert list(audit_rows.verify_rows(s)) == []
