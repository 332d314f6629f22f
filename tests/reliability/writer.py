"""A writer process for the reliability tests.

Writes through the real services and the real Store, and prints one line per record only
after `store.write` has returned, i.e. after the commit: "<table> <id>". The parent treats a
printed line as "the UI would have shown this as saved" and checks it survived.

    python tests/reliability/writer.py URL --tag A --writes N [--mix storm|audit]

--writes 0 writes until killed. With --mix audit every write is one audit event (the
concurrency test); storm mixes every kind of record the services can make today. At the end
it prints "done <writes> <lock_errors>"; a lock error is a write that failed with
"database is locked"/busy after the store's own retries (it must never happen).
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from deskconsole.clock import SystemClock  # noqa: E402
from deskconsole.db.store import Store  # noqa: E402
from deskconsole.services import audit, operators, shifts  # noqa: E402
from deskconsole.services.errors import DeskError  # noqa: E402

PIN = "246810"  # a supervisor PIN is 6-8 digits


def _actor(store: Store, tag: str, clock):
    staff_no = f"W{tag}"

    def make(s):
        try:
            op = operators.create_operator(s, staff_no=staff_no, name=f"写入{tag}", role="supervisor",
                                           pin=PIN, now=clock.now())
        except DeskError as exc:
            if exc.key != "error.staff_no_taken":
                raise
            op = next(o for o in operators.list_operators(s) if o.staff_no == staff_no)
        return shifts.sign_on(s, op, desk_name=f"Desk-{tag}", clock=clock)

    return store.write(make)


def _extra_kinds() -> list:
    """Writers for the feature services that exist in this tree (reception, phone, tickets)."""
    try:
        from tests.reliability import feature_writes
    except ImportError:
        return []
    return feature_writes.available()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--tag", default="A")
    ap.add_argument("--writes", type=int, default=0)
    ap.add_argument("--mix", choices=("storm", "audit"), default="storm")
    args = ap.parse_args(argv)

    from sqlalchemy.exc import OperationalError

    clock = SystemClock()
    store = Store(args.url).open()
    print("opened", flush=True)
    actor = _actor(store, args.tag, clock)
    print(f"shift {actor.shift_id}", flush=True)

    def audit_write(i):
        ev = store.write(lambda s: audit.record_for(s, actor, "probe", "probe", f"{args.tag}{i}"))
        return [("audit_event", ev.id)]

    def shift_write(i):
        op = operators.OperatorInfo(actor.operator_id, actor.staff_no, actor.name, actor.role, True)
        other = store.write(lambda s: shifts.sign_on(s, op, desk_name=f"Desk-{args.tag}-{i}", clock=clock))
        return [("shift", other.shift_id), ("desk", other.desk_id)]

    def operator_write(i):
        info = store.write(lambda s: operators.create_operator(
            s, staff_no=f"{args.tag}-{i}"[:16], name=f"新人{i}", role="receptionist", pin=PIN,
            now=clock.now(), by=actor.operator_id))
        return [("operator", info.id)]

    kinds = [audit_write]
    if args.mix == "storm":
        kinds += [shift_write, audit_write, operator_write]
        kinds += [lambda i, w=w: w(store, actor, i) for w in _extra_kinds()]
    lock_errors = 0
    done = 0
    counter = itertools.count() if args.writes == 0 else range(args.writes)
    for i in counter:
        try:
            acknowledged = kinds[i % len(kinds)](i)
        except OperationalError as exc:
            if "locked" in str(exc).lower() or "busy" in str(exc).lower():
                lock_errors += 1
                continue
            raise
        done += 1
        # Printed only now: store.write returned, so the transaction is committed.
        sys.stdout.write("".join(f"{table} {rid}\n" for table, rid in acknowledged))
        sys.stdout.flush()
    print(f"done {done} {lock_errors}", flush=True)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
