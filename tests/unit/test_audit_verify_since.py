"""`audit verify --since DAY`: a quick check walks the chain only from the newest signed
checkpoint taken before that day (its HMAC vouches for the events up to it)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from deskconsole.db import guards
from deskconsole.services import audit, audit_checkpoints
from tests.conftest import START
from tests.reliability.cli import run_cli


def _probe(store, actor, i):
    return store.write(lambda s: audit.record_for(s, actor, "probe", "probe", i, after={"n": i}).id)


def _store_with_checkpoint(store, actor):
    """Events, a checkpoint taken at START, then events after it: (ids before, ids after)."""
    before = [_probe(store, actor, i) for i in range(3)]
    cp = store.write(lambda s: audit_checkpoints.take(s, START))
    audit_checkpoints.append(store.checkpoints_path, cp)
    after = [_probe(store, actor, i) for i in range(3, 6)]
    return before, after


def _edit(store, event_id):
    with store.engine.begin() as conn:
        guards.drop(conn)  # the triggers refuse it: someone with the file drops them first
        conn.execute(text("UPDATE audit_event SET after = '{\"n\": 99}' WHERE id = :id"), {"id": event_id})


def _verify(monkeypatch, capsys, store, *args):
    monkeypatch.setenv("DESKCONSOLE_AUDIT_KEY_FILE", str(store.keys.path))  # the store's key
    return run_cli(monkeypatch, capsys, "--db", store.url, "--lang", "en", "audit", "verify", *args)


SINCE = (START + timedelta(days=2)).date().isoformat()


def test_a_quick_check_starts_from_the_checkpoint_and_says_so(store, actor, monkeypatch, capsys):
    _store_with_checkpoint(store, actor)
    code, out, err = _verify(monkeypatch, capsys, store, "--since", SINCE)
    assert code == 0, err
    assert "walked from the audit checkpoint" in out and "ok: " in out


def test_an_event_edited_before_the_checkpoint_is_found_only_by_a_full_verify(store, actor, monkeypatch, capsys):
    before, _ = _store_with_checkpoint(store, actor)
    _edit(store, before[1])
    code, out, err = _verify(monkeypatch, capsys, store, "--since", SINCE)
    assert code == 0, err
    code, out, err = _verify(monkeypatch, capsys, store)
    assert code == 1 and str(before[1]) in err


def test_an_event_edited_after_the_checkpoint_is_found_by_both(store, actor, monkeypatch, capsys):
    _, after = _store_with_checkpoint(store, actor)
    _edit(store, after[1])
    for args in (("--since", SINCE), ()):
        code, out, err = _verify(monkeypatch, capsys, store, *args)
        assert code == 1 and str(after[1]) in err, (args, out, err)


def test_without_a_checkpoint_before_the_day_the_whole_chain_is_walked(store, actor, monkeypatch, capsys):
    before, _ = _store_with_checkpoint(store, actor)
    _edit(store, before[1])
    day = (START - timedelta(days=1)).date().isoformat()  # the only checkpoint is after it
    code, out, err = _verify(monkeypatch, capsys, store, "--since", day)
    assert code == 1 and str(before[1]) in err and "no audit checkpoint" not in err


def test_the_chain_walk_reports_its_progress_against_the_head_count(store, actor):
    _store_with_checkpoint(store, actor)
    seen = []
    with store.read() as s:
        result = audit.verify(s, progress=lambda done, total: seen.append((done, total)))
    assert result.ok and seen[-1] == (result.checked, result.checked)
