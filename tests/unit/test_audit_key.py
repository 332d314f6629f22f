"""A supervisor can trust the audit trail against someone who can write the store but cannot
read the desk's audit key: the chain is an HMAC under that key, and signed checkpoints kept
outside the store (beside it, and in each closed shift) pin how long it was. Each forgery
below is run through `deskconsole audit verify`, as a supervisor would check."""

from __future__ import annotations

import gc
import hashlib
import os
import shutil
import stat
from datetime import UTC
from pathlib import Path

import pytest
from sqlalchemy import text

from deskconsole.db import guards
from deskconsole.db.store import Store
from deskconsole.services import audit, audit_checkpoints, audit_rows, handover, retention
from deskconsole.services.audit_key import KeySource
from tests.reliability.cli import run_cli

TZ = "Asia/Shanghai"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _events(store, actor, n=4):
    for i in range(n):
        store.write(lambda s, i=i: audit.record_for(s, actor, "probe", "probe", i, after={"n": i}))


def _checkpoint(monkeypatch, capsys, store):
    code, out, err = _cli(monkeypatch, capsys, store, "audit", "checkpoint")
    assert code == 0, err
    return out


def _cli(monkeypatch, capsys, store, *args):
    # The desk running the command holds the store's key (a shared PostgreSQL store: copied).
    monkeypatch.setenv("DESKCONSOLE_AUDIT_KEY_FILE", str(store.keys.path))
    return run_cli(monkeypatch, capsys, "--db", store.url, "--lang", "en", *args)


def _verify(monkeypatch, capsys, store):
    return _cli(monkeypatch, capsys, store, "audit", "verify")


def _sha_rechain(store) -> None:
    """What a forger without the key does: recompute every hash with plain SHA-256, and the head."""
    with store.engine.begin() as conn:
        guards.drop(conn)  # the triggers refuse it: someone with the file drops them first
        rows = conn.execute(text("SELECT id, at, operator_id, desk_id, shift_id, action, entity, entity_id, "
                                 "before, after FROM audit_event ORDER BY id")).all()
        prev = audit.GENESIS
        for r in rows:
            at = r.at if not isinstance(r.at, str) else __import__("datetime").datetime.fromisoformat(r.at)
            at = at.replace(tzinfo=UTC) if at.tzinfo is None else at
            payload = audit.chain_payload(at.astimezone(UTC).isoformat(), r.operator_id, r.desk_id, r.shift_id,
                                          r.action, r.entity, r.entity_id, r.before, r.after, prev)
            digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
            conn.execute(text("UPDATE audit_event SET prev_hash = :p, hash = :h WHERE id = :id"),
                         {"p": prev, "h": digest, "id": r.id})
            prev = digest
        conn.execute(text("UPDATE audit_head SET last_hash = :h, key_id = ''"), {"h": prev})


# -- forgeries --------------------------------------------------------------------------------
def test_emptying_the_trail_and_its_head_is_found_by_the_checkpoint_kept_outside(
        store, actor, monkeypatch, capsys):
    _events(store, actor)
    _checkpoint(monkeypatch, capsys, store)
    with store.engine.begin() as conn:
        guards.drop(conn)  # the triggers refuse it: someone with the file drops them first
        conn.execute(text("DELETE FROM audit_event"))
        conn.execute(text("DELETE FROM audit_head"))
    code, _, err = _verify(monkeypatch, capsys, store)
    assert code == 1 and "no longer reaches the audit checkpoint" in err and "6 events" in err
    assert "later checkpoints" not in err  # it said "(0 later checkpoints missed too)"


def test_every_later_checkpoint_missed_is_counted_in_the_line(store, actor, monkeypatch, capsys):
    _events(store, actor)
    _checkpoint(monkeypatch, capsys, store)
    _events(store, actor)
    _checkpoint(monkeypatch, capsys, store)
    with store.engine.begin() as conn:
        guards.drop(conn)
        conn.execute(text("DELETE FROM audit_event"))
        conn.execute(text("DELETE FROM audit_head"))
    code, _, err = _verify(monkeypatch, capsys, store)
    assert code == 1 and err.count("\n") == 1
    assert "(1 later checkpoints fail too)" in err


def test_deleting_the_newest_events_and_rewriting_the_head_is_found_by_the_shift_close_checkpoint(
        store, actor, monkeypatch, capsys):
    _events(store, actor)
    store.write(lambda s: handover.close_shift(s, actor, "", timezone=TZ))
    with store.engine.begin() as conn:
        guards.drop(conn)  # the triggers refuse it: someone with the file drops them first
        conn.execute(text("DELETE FROM audit_event WHERE id > 3"))
        last = conn.execute(text("SELECT hash FROM audit_event WHERE id = 3")).scalar_one()
        conn.execute(text("UPDATE audit_head SET last_id = 3, count = 3, last_hash = :h"), {"h": last})
    code, _, err = _verify(monkeypatch, capsys, store)
    assert code == 1 and "no longer reaches the audit checkpoint" in err and "last event 7" in err


def test_the_shift_close_checkpoint_is_kept_in_the_shift_and_beside_the_store(store, actor):
    store.write(lambda s: handover.close_shift(s, actor, "", timezone=TZ))
    kept, bad = audit_checkpoints.read(store.checkpoints_path)
    from deskconsole.models import Shift
    with store.read() as s:
        in_shift = audit_checkpoints.Checkpoint.parse(s.get(Shift, actor.shift_id).audit_checkpoint)
    assert bad == [] and kept == [in_shift] and in_shift.count == 3  # create, sign-on, close
    assert in_shift.signed(store.keys.get())


def test_an_edited_event_with_the_chain_recomputed_by_plain_sha256_is_found(store, actor, monkeypatch, capsys):
    _events(store, actor)
    with store.engine.begin() as conn:
        guards.drop(conn)  # the triggers refuse it: someone with the file drops them first
        conn.execute(text("UPDATE audit_event SET after = '{\"n\": 99}' WHERE id = 4"))
    _sha_rechain(store)
    code, _, err = _verify(monkeypatch, capsys, store)
    assert code == 1 and "without the desk's key" in err


def test_a_swapped_key_file_is_refused_with_a_clear_message(store, actor, monkeypatch, capsys, tmp_path):
    _events(store, actor)
    swapped = Store(store.url, keys=KeySource(tmp_path / "swapped.key"))  # this desk's key file replaced
    swapped.keys.path.write_text(os.urandom(32).hex() + "\n")
    code, _, err = _verify(monkeypatch, capsys, swapped)
    assert code == 1 and "audit key" in err and str(swapped.keys.path) in err and err.count("\n") == 1
    code, _, err = _cli(monkeypatch, capsys, swapped, "audit", "checkpoint")  # nor written with
    assert code == 2 and "not the one this store's chain is keyed with" in err


def test_a_desk_without_the_key_of_a_keyed_store_is_told_to_copy_it(store, actor, monkeypatch, capsys, tmp_path):
    _events(store, actor)
    monkeypatch.setenv("DESKCONSOLE_AUDIT_KEY_FILE", str(tmp_path / "nowhere" / "audit.key"))
    code, _, err = run_cli(monkeypatch, capsys, "--db", store.url, "--lang", "en", "audit", "checkpoint")
    assert code == 2 and "has no audit key" in err and "copy audit.key" in err
    assert not (tmp_path / "nowhere" / "audit.key").exists()


def test_a_store_put_back_from_an_older_backup_misses_the_later_checkpoint(
        tmp_path, make_actor, monkeypatch, capsys):
    store = Store(f"sqlite:///{tmp_path / 'desk.db'}").open()
    actor = make_actor(store)
    _events(store, actor, 2)
    code, _, _ = _cli(monkeypatch, capsys, store, "db", "backup", str(tmp_path / "monday.db"))
    assert code == 0
    _events(store, actor, 3)
    _checkpoint(monkeypatch, capsys, store)
    store.close()
    gc.collect()  # the commands above ran in this process: their connections are closed too
    for suffix in ("-wal", "-shm"):  # put back as a restore does: the old file alone
        Path(f"{tmp_path / 'desk.db'}{suffix}").unlink(missing_ok=True)
    shutil.copy(tmp_path / "monday.db", tmp_path / "desk.db")
    code, _, err = _verify(monkeypatch, capsys, store)
    assert code == 1 and "no longer reaches the audit checkpoint" in err and "7 events, last event 7" in err


# -- what must still verify -----------------------------------------------------------------
def test_an_untouched_store_with_its_checkpoints_verifies(store, actor, monkeypatch, capsys):
    _events(store, actor)
    _checkpoint(monkeypatch, capsys, store)
    store.write(lambda s: handover.close_shift(s, actor, "", timezone=TZ))
    code, out, _ = _verify(monkeypatch, capsys, store)
    assert code == 0 and out.startswith("ok: 7 audit events")
    assert len(audit_checkpoints.read(store.checkpoints_path)[0]) == 2


def test_a_purged_store_verifies(store, supervisor, actor, clock, monkeypatch, capsys):
    _events(store, actor)
    _checkpoint(monkeypatch, capsys, store)
    clock.advance(40 * 86400)
    store.write(lambda s: retention.purge_as(s, supervisor, 30))
    code, out, _ = _verify(monkeypatch, capsys, store)
    assert code == 0 and out.startswith("ok:")


def test_a_store_from_before_the_key_is_sealed_at_first_open_and_verifies(tmp_path, monkeypatch, capsys):
    db = tmp_path / "desk.db"
    shutil.copy(FIXTURES / "schema_0001.db", db)
    store = Store(f"sqlite:///{db}").open()
    with store.read() as s:
        trail = audit.events(s, limit=1000)
        result = audit.verify(s)
        rows = sum(1 for _ in audit_rows.seals(s))
    # After the 7 old events: the keyed seal of the old chain, then one seal event per record.
    seal = next(e for e in trail if (e.action, e.entity) == ("seal", "audit"))
    assert '"legacy_chain": "ok"' in seal.after and rows > 0
    assert result.ok and result.legacy == 7 and result.checked == 8 + rows
    assert audit_checkpoints.read(store.checkpoints_path)[0][0].count == 8 + rows
    store.close()
    code, out, _ = _verify(monkeypatch, capsys, store)
    assert code == 0 and out.startswith(f"ok: {8 + rows} audit events")
    # An old event edited after the seal: the keyed seal no longer follows it.
    reopened = Store(store.url).open()
    with reopened.engine.begin() as conn:
        guards.drop(conn)  # the triggers refuse it: someone with the file drops them first
        conn.execute(text("UPDATE audit_event SET after = '{}' WHERE id = 2"))
    reopened.close()
    code, _, err = _verify(monkeypatch, capsys, store)
    assert code == 1 and "broken at event 2" in err


def test_a_db_copy_keeps_the_chain_valid(store, actor, tmp_path, monkeypatch, capsys):
    _events(store, actor)
    _checkpoint(monkeypatch, capsys, store)
    target = tmp_path / "copy.db"
    code, _, err = _cli(monkeypatch, capsys, store, "db", "copy", "--to", str(target))
    assert code == 0, err
    copy = Store(f"sqlite:///{target}", keys=store.keys)
    assert audit_checkpoints.read(copy.checkpoints_path)[0] == audit_checkpoints.read(store.checkpoints_path)[0]
    code, out, _ = _verify(monkeypatch, capsys, copy)
    assert code == 0 and out.startswith("ok: 6 audit events")


# -- the key file ---------------------------------------------------------------------------
def test_the_key_is_made_at_the_first_write_owner_only_in_the_config_folder(tmp_path, make_actor, monkeypatch):
    monkeypatch.delenv("DESKCONSOLE_AUDIT_KEY_FILE")
    home = Path(os.environ["DESKCONSOLE_HOME"])
    store = Store(f"sqlite:///{tmp_path / 'desk.db'}").open()
    assert not (home / "audit.key").exists()  # opening an empty store makes none
    make_actor(store)
    assert store.keys.path == home / "audit.key" and store.keys.path.is_file()
    if os.name != "nt":
        assert stat.S_IMODE(store.keys.path.stat().st_mode) == 0o600
    with store.read() as s:
        head = s.get(audit.AuditHead, 1)
    assert head.key_id == store.keys.get().id
    store.close()


def test_db_backup_copies_the_key_beside_the_backup_only_when_asked(tmp_path, make_actor, monkeypatch, capsys):
    store = Store(f"sqlite:///{tmp_path / 'desk.db'}").open()
    make_actor(store)
    code, _, _ = _cli(monkeypatch, capsys, store, "db", "backup", str(tmp_path / "plain.db"))
    assert code == 0 and not (tmp_path / "plain.db.audit.key").exists()
    code, out, _ = _cli(monkeypatch, capsys, store, "db", "backup", "--with-key", str(tmp_path / "keyed.db"))
    assert code == 0 and (tmp_path / "keyed.db.audit.key").read_bytes() == store.keys.path.read_bytes()
    if os.name != "nt":
        assert stat.S_IMODE((tmp_path / "keyed.db.audit.key").stat().st_mode) == 0o600
    store.close()


def test_the_demo_chain_is_keyed_and_pinned_and_a_sha256_recomputation_of_it_is_found(
        tmp_path, monkeypatch, capsys):
    db = tmp_path / "demo.db"
    code, _, err = run_cli(monkeypatch, capsys, "--db", str(db), "--lang", "en", "demo", "--days", "2")
    assert code == 0, err
    store = Store(f"sqlite:///{db}").open()
    assert audit_checkpoints.read(store.checkpoints_path)[0][0].signed(store.keys.get(create=False))
    code, out, _ = _verify(monkeypatch, capsys, store)
    assert code == 0 and out.startswith("ok:")
    _sha_rechain(store)
    store.close()
    code, _, err = _verify(monkeypatch, capsys, store)
    assert code == 1


@pytest.mark.parametrize("case", ["wrong length", "not hex"])
def test_a_damaged_key_file_is_one_line_naming_it(tmp_path, make_actor, monkeypatch, capsys, case):
    monkeypatch.setenv("DESKCONSOLE_AUDIT_KEY_FILE", str(tmp_path / "own.key"))
    store = Store(f"sqlite:///{tmp_path / 'desk.db'}").open()
    make_actor(store)
    store.close()
    store.keys.path.write_text("abcd" if case == "wrong length" else "zz" * 32)
    code, _, err = _cli(monkeypatch, capsys, store, "audit", "checkpoint")
    assert code == 2 and str(store.keys.path) in err and err.count("\n") == 1


def test_the_end_of_shift_summary_prints_the_shift_close_checkpoint(store, actor, clock):
    from deskconsole.i18n import Translator
    from deskconsole.models import Shift
    from deskconsole.services.summary import Period, flatten, render, summarize

    store.write(lambda s: handover.close_shift(s, actor, "", timezone=TZ))
    with store.read() as s:
        kept = audit_checkpoints.Checkpoint.parse(s.get(Shift, actor.shift_id).audit_checkpoint)
        data = summarize(s, Period.for_shift(s, actor.shift_id, TZ, clock.now())).to_dict()
    assert data["audit"] == {"checkpoint_at": kept.at, "events": 3, "last_id": kept.last_id,
                             "last_hash": kept.last_hash, "signature": kept.mac, "key_id": kept.key_id,
                             "shift_id": actor.shift_id}
    assert ("audit", "signature", kept.mac) in flatten(data)  # the table, CSV, Markdown and XLSX rows
    line = render.audit_line(data, Translator("en"))
    assert kept.last_hash in line and kept.mac in line and "3 events" in line


def test_a_run_of_payloads_is_hashed_as_each_alone(tmp_path):
    """The demo hashes millions of seal events through `macs()`: every hash must be the
    one-shot `mac` of the same payload, whatever came before it in the run."""
    from deskconsole.services.audit_key import AuditKey

    key = AuditKey(bytes(range(32)), tmp_path / "audit.key")
    payloads = ["", "[1,null]", '["2026-11-25T03:00:00+00:00",null,"seal","visit","7"]', "王芳 \u2028 é" * 50]
    macs = key.macs()
    assert [macs(p) for p in payloads * 2] == [key.mac(p) for p in payloads * 2]
    assert macs("") == "d38b42096d80f45f826b44a9d5607de72496a415d3f4a1a8c88e3bb9da8dc1cb"  # HMAC-SHA256, as pinned
