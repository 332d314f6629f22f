"""Open screens notice what another terminal wrote: Store.change_token() is
a cheap probe (SQLite PRAGMA data_version, PostgreSQL the audit chain head) that moves when
another process commits and stays put otherwise."""

from __future__ import annotations

from deskconsole.services import operators
from tests.reliability.harness import Writer


def test_change_token_moves_when_another_process_commits(store):
    before = store.change_token()
    Writer(store.url, tag="T", writes=1, mix="audit").finish()
    assert store.change_token() != before


def test_change_token_stays_put_while_nobody_writes(store, clock):
    store.write(lambda s: operators.create_operator(
        s, staff_no="101", name="李娜", role="receptionist", pin="2468", now=clock.now()))
    before = store.change_token()
    with store.read() as s:
        operators.list_operators(s)
    assert store.change_token() == before
    assert store.change_token() == before
