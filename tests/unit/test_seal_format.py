"""The stored formats of the audit trail are pinned: a row's seal (`{"v":1,"d":...,"c":...}`,
services/audit_rows), the `after` text a seal event carries, its chain payload and its HMAC
(services/audit). Every store ever written holds these: a faster digest (or the demo
generator's own writer of them) that changed one byte would make every older store fail
`audit verify`. The expected values were taken from the code as it was when seals were
introduced (issue 14)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from deskconsole.demo import digest as demo_digest
from deskconsole.services import audit, audit_rows
from deskconsole.services.audit_key import AuditKey

# Every type a sealed column hands back, with the awkward cases: quotes, backslash, newline and
# non-ASCII text, bools next to ints, floats that repr oddly, aware times with and without
# microseconds, a time in another zone and a naive one, Decimals with trailing zeros, a date.
VALUES = ("王芳 \"q\"\n\\ é", True, False, 0, -7, 12345678901234, 1.5, 0.1, 3.0,
          datetime(2026, 11, 25, 3, 0, tzinfo=UTC), datetime(2026, 1, 2, 3, 4, 5, 60, tzinfo=UTC),
          datetime(2026, 1, 2, 11, 4, 5, tzinfo=timezone(timedelta(hours=8))), datetime(2026, 1, 2, 3, 4),
          Decimal("50.00"), Decimal("0.10"), Decimal("100"), None, date(2026, 2, 3), "")
TICKET = audit_rows.SEALED["ticket"]
TICKET_VALUES = VALUES + (None,) * (len(TICKET.columns) - len(VALUES))
CHILDREN = {
    "ticket_event": [(7, (1, datetime(2026, 1, 2, 3, 4, tzinfo=UTC), 2, "note", None, "a", "b", "说明")),
                     (9, (1, datetime(2026, 1, 2, 3, 5, tzinfo=UTC), 2, "assign", "x", None, "", None))],
    "repair_step": [(3, (1, "received", datetime(2026, 1, 2, 3, 4, tzinfo=UTC), 2))],
}
AFTER = (
    '{"seal": {"c": "G+dMjWgw3yHtH8giNWubRRWK/7fdKSOeDDnNIrOq1tT8T0PzFTv8T/xP/E/8T/xP/E/8T/xP/E/8T/xP/E/8T/xP/E8=", '
    '"d": "7c19624e060717abffa97f487cdaf723", '
    '"repair_step": [[3, "f6317f9c2cc029002abc363b40c6d274", "77c6dgw5vg0="]], '
    '"ticket_event": [[7, "2bf045f21ba9db7d53e10c3bfe143803", "77cMOb4NNW38T1CeA11cUA=="], '
    '[9, "8b224ad6f3c6e5aa566120f912831774", "77dnB74NeoL5hvxPFTv8Tw=="]], "v": 1}}')
KEY = AuditKey(bytes(range(32)), Path("/nonexistent/audit.key"))


def test_a_row_digest_is_pinned():
    assert audit_rows.row_digest(tuple(range(len(VALUES))), VALUES) == (
        "78d2897cccbaaf8018758fa9739f8b2f", "G+dMjWgw3yHtH8giNWubRRWK/7fdKSOeDDnNIrOq1tT8T0PzFTs=")


def test_a_seal_with_children_and_its_event_text_are_pinned():
    seal = audit_rows.seal_of(TICKET, TICKET_VALUES, CHILDREN)
    assert json.dumps({audit_rows.SEAL_KEY: seal}, ensure_ascii=False, sort_keys=True) == AFTER


def test_the_canonical_text_of_each_type_is_pinned():
    assert [audit_rows.canonical(v) for v in VALUES] == [
        '"王芳 \\"q\\"\\n\\\\ é"', "true", "false", "0", "-7", "12345678901234", "f1.5", "f0.1", "f3.0",
        "t2026-11-25T03:00:00+00:00", "t2026-01-02T03:04:05.000060+00:00", "t2026-01-02T03:04:05+00:00",
        "t2026-01-02T03:04:00+00:00", "n50", "n0.1", "n100", "null", '"2026-02-03"', '""']


def test_a_seal_events_chain_payload_and_hmac_are_pinned():
    payload = audit.chain_payload("2026-11-25T03:00:00+00:00", None, None, None, "seal", "ticket", "42", None,
                                  AFTER, audit.GENESIS)
    assert payload == ('["2026-11-25T03:00:00+00:00",null,null,null,"seal","ticket","42",null,'
                       + json.dumps(AFTER, ensure_ascii=False) + ',"' + "0" * 64 + '"]')
    assert audit.chain_digest(payload, KEY) == "a46037a53111eb24e4844a1247fa0a94850450be5e888b065d1da875b29bb5a6"
    assert KEY.id == "3abd9edbb7ac10fc"


def _demo_after(spec, values, children=None) -> str:
    seal = audit_rows.seal_of(spec, values, children)
    return demo_digest.after_text((seal["d"], seal["c"]), [(c.name, seal[c.name]) for c in spec.children])


def test_the_demo_writes_the_same_event_text_as_json_dumps():
    """demo/digest.py builds the `after` text by hand (a fixed shape): byte for byte json.dumps'."""
    assert _demo_after(TICKET, TICKET_VALUES, CHILDREN) == AFTER
    assert _demo_after(TICKET, TICKET_VALUES, {}).endswith('"repair_step": [], "ticket_event": [], "v": 1}}')
    for entity in ("call", "etiquette_check"):
        spec = audit_rows.SEALED[entity]
        values = VALUES + (None,) * (len(spec.columns) - len(VALUES))
        assert _demo_after(spec, values) == json.dumps(
            {audit_rows.SEAL_KEY: audit_rows.seal_of(spec, values)}, ensure_ascii=False, sort_keys=True)
