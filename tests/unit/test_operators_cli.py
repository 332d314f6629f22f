"""`deskconsole operator ...`: changing operators is a supervisor's act, proved by their PIN;
only the first supervisor of an empty store and an operator's own PIN change are exceptions."""

import pytest
from sqlalchemy import select

from deskconsole.db.store import Store
from deskconsole.models import AuditEvent, Operator
from deskconsole.services import operators
from tests.reliability.cli import run_cli


@pytest.fixture
def desk(tmp_path, clock):
    """A store file with supervisor 001 (PIN 135790) and receptionist 101 (PIN 2468)."""
    db = tmp_path / "ops.db"
    store = Store(f"sqlite:///{db}").open()
    for staff_no, role, pin in (("001", "supervisor", "135790"), ("101", "receptionist", "2468")):
        store.write(lambda s, a=(staff_no, role, pin): operators.create_operator(
            s, staff_no=a[0], name="王芳", role=a[1], pin=a[2], now=clock.now()))
    yield store, ["--db", str(db), "--lang", "en", "operator"]
    store.close()


def _op(store, staff_no) -> Operator:
    with store.read() as s:
        return s.execute(select(Operator).where(Operator.staff_no == staff_no)).scalar_one()


def _last_event(store) -> AuditEvent:
    with store.read() as s:
        return s.execute(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).scalar_one()


def test_passwd_of_a_supervisor_without_a_supervisor_pin_exits_2_and_changes_nothing(desk, monkeypatch, capsys):
    store, base = desk
    before = _op(store, "001").pin_hash
    # From any shell: only the new PIN is known. It is read as 001's current PIN, and is wrong.
    code, out, err = run_cli(monkeypatch, capsys, *base, "passwd", "--staff-no", "001", "--pin-stdin",
                             stdin="999999\n999999\n")
    assert code == 2 and out == "" and err.strip() == "deskconsole: Staff number or PIN is wrong"
    op = _op(store, "001")
    assert op.pin_hash == before and op.failed_pins == 1  # the wrong PIN counts towards the lockout
    code, _, err = run_cli(monkeypatch, capsys, *base, "passwd", "--staff-no", "001", "--pin-stdin",
                           stdin="999999\n")
    assert code == 2 and "standard input ended" in err and _op(store, "001").pin_hash == before


def test_a_receptionist_cannot_change_someone_else(desk, monkeypatch, capsys):
    store, base = desk
    before = _op(store, "001").pin_hash
    code, _, err = run_cli(monkeypatch, capsys, *base, "passwd", "--staff-no", "001", "--as", "101",
                           "--pin-stdin", stdin="2468\n999999\n")
    assert code == 2 and err.strip() == "deskconsole: Only a supervisor may add or change operators"
    assert _op(store, "001").pin_hash == before
    code, _, _ = run_cli(monkeypatch, capsys, *base, "add", "--staff-no", "102", "--name", "x", "--as", "101",
                         "--pin-stdin", stdin="2468\n1111\n")
    assert code == 2
    with store.read() as s:
        assert [o.staff_no for o in operators.list_operators(s)] == ["001", "101"]


def test_a_supervisor_resets_a_pin_and_the_audit_event_names_them(desk, monkeypatch, capsys, clock):
    store, base = desk
    code, out, _ = run_cli(monkeypatch, capsys, *base, "passwd", "--staff-no", "101", "--as", "001",
                           "--pin-stdin", stdin="135790\n97531\n")
    assert code == 0 and out.strip() == "PIN changed for 101"
    event = _last_event(store)
    assert (event.action, event.entity_id, event.operator_id) == ("pin_change", str(_op(store, "101").id),
                                                                  _op(store, "001").id)
    assert operators.authenticate_in(store, staff_no="101", pin="97531", now=clock.now())


def test_an_operator_changes_their_own_pin_by_giving_the_old_one(desk, monkeypatch, capsys, clock):
    store, base = desk
    cmd = [*base, "passwd", "--staff-no", "101", "--pin-stdin"]
    code, _, _ = run_cli(monkeypatch, capsys, *cmd, stdin="0000\n97531\n")
    assert code == 2 and _op(store, "101").failed_pins == 1
    code, _, _ = run_cli(monkeypatch, capsys, *cmd, stdin="2468\n97531\n")
    assert code == 0 and _last_event(store).operator_id == _op(store, "101").id
    assert operators.authenticate_in(store, staff_no="101", pin="97531", now=clock.now())


def test_add_needs_a_supervisor_and_the_audit_event_names_them(desk, monkeypatch, capsys):
    store, base = desk
    add = [*base, "add", "--staff-no", "102", "--name", "李娜", "--pin-stdin"]
    code, _, err = run_cli(monkeypatch, capsys, *add, "--role", "supervisor", stdin="246802\n")
    assert code == 2 and "a supervisor adds or changes them" in err
    code, out, _ = run_cli(monkeypatch, capsys, *add, "--as", "001", stdin="135790\n2468\n")
    assert code == 0 and out.strip() == "added 102 李娜 (receptionist)"
    event = _last_event(store)
    assert (event.action, event.entity, event.operator_id) == ("create", "operator", _op(store, "001").id)


def test_a_supervisor_pin_is_at_least_six_digits_from_the_cli_too(desk, monkeypatch, capsys):
    store, base = desk
    code, _, err = run_cli(monkeypatch, capsys, *base, "add", "--staff-no", "002", "--name", "赵敏", "--role",
                           "supervisor", "--as", "001", "--pin-stdin", stdin="135790\n1357\n")
    assert code == 2 and err.strip() == "deskconsole: A supervisor's PIN is 6 to 8 digits"


def test_the_first_supervisor_of_an_empty_store_needs_nobodys_pin(tmp_path, monkeypatch, capsys):
    db = tmp_path / "new.db"
    base = ["--db", str(db), "--lang", "en", "operator", "add", "--name", "王芳", "--pin-stdin"]
    code, _, err = run_cli(monkeypatch, capsys, *base, "--staff-no", "101", stdin="2468\n")
    assert code == 2 and "first operator of a store is a supervisor" in err
    code, out, _ = run_cli(monkeypatch, capsys, *base, "--staff-no", "001", "--role", "supervisor",
                           stdin="135790\n")
    assert code == 0 and out.strip() == "added 001 王芳 (supervisor)"
    store = Store(f"sqlite:///{db}").open()
    try:
        assert _last_event(store).operator_id == _op(store, "001").id  # created by themself
    finally:
        store.close()
    code, _, _ = run_cli(monkeypatch, capsys, *base, "--staff-no", "002", "--role", "supervisor",
                         stdin="135790\n")
    assert code == 2  # the store is no longer empty


def test_deactivate_and_activate_need_a_supervisor_pin_and_wrong_ones_lock_out(desk, monkeypatch, capsys):
    store, base = desk
    off = [*base, "deactivate", "--staff-no", "101", "--pin-stdin"]
    code, _, _ = run_cli(monkeypatch, capsys, *off, stdin="135790\n")
    assert code == 2 and _op(store, "101").active  # no --as: a usage error
    for _ in range(operators.FREE_ATTEMPTS):
        code, _, _ = run_cli(monkeypatch, capsys, *off, "--as", "001", stdin="000000\n")
        assert code == 2
    code, _, err = run_cli(monkeypatch, capsys, *off, "--as", "001", stdin="135790\n")
    assert code == 2 and "Too many wrong PINs" in err and _op(store, "101").active
    store.write(lambda s: s.get(Operator, _op(store, "001").id).__setattr__("locked_until", None))
    code, out, _ = run_cli(monkeypatch, capsys, *off, "--as", "001", stdin="135790\n")
    assert code == 0 and out.strip() == "101 deactivated" and not _op(store, "101").active
    assert _last_event(store).operator_id == _op(store, "001").id
    code, out, _ = run_cli(monkeypatch, capsys, *base, "activate", "--staff-no", "101", "--as", "001",
                           "--pin-stdin", stdin="135790\n")
    assert code == 0 and _op(store, "101").active and _last_event(store).action == "activate"


def test_help_states_the_stdin_protocol(monkeypatch, capsys):
    code, out, _ = run_cli(monkeypatch, capsys, "operator", "passwd", "--help")
    assert code == 0 and "--as" in out and "first the PIN of the operator named by --as" in " ".join(out.split())
