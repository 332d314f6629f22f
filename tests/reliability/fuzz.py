"""Shared pieces of the property tests (tests/unit/test_fuzz_*.py).

Every service is driven with hostile text: controls, terminal escapes, bidi overrides, NULs,
CJK, combining marks, format strings, SQL, over-long text. The property is always the same:
no crash; a refusal is a DeskError whose key exists in both catalogs and whose message renders
cleanly in both languages (no placeholder left, no control character echoed back); what is
accepted is stored without a control character. DESKCONSOLE_FUZZ_EXAMPLES scales the count.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from deskconsole.i18n import Translator, load_catalog
from deskconsole.services.errors import DeskError
from tests.reliability.harness import env_int

EXAMPLES = env_int("DESKCONSOLE_FUZZ_EXAMPLES", 120)
CASES: Counter = Counter()  # service -> generated cases run (printed by the fuzz modules)
TRANSLATORS = (Translator("en"), Translator("zh-CN"))
_TABLES = {k.split(".", 1)[0] for k in load_catalog("en")}
_KEYLIKE = re.compile(r"^[a-z_]+(\.[a-z0-9_-]+)+$")
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=False,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.filter_too_much, HealthCheck.data_too_large])

NASTY = [
    "\x1b[2J\x1b[H", "\x1b]0;pwned\x07", "\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", "\x9b31m", "\x00",
    "\u202eevil\u202c", "\u200b", "\r\n", "\t", "{label}", "{0}", "%s%n", "'; DROP TABLE visit; --",
    "王\u0301", "𠀀𪚥", "😀", " ", "\ufeff", "\x7f", "ａｂｃ", "１３８００１３８０００",
]
hostile_text = st.one_of(
    st.text(max_size=80),
    st.sampled_from(NASTY),
    st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=8)), max_size=12).map("".join),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=60, max_size=2100),
)
phone_like = st.one_of(
    hostile_text,
    st.from_regex(r"\A[+0-9 ()\-.]{0,20}\Z"),
    st.sampled_from(["13800138000", "+86 138 0013 8000", "010-6552 8888", "8001", "+442079460958"]),
)


def assert_good_refusal(err: BaseException) -> None:
    assert isinstance(err, DeskError), f"{type(err).__name__}: {err}"
    for t in TRANSLATORS:
        assert t.has(err.key), f"no catalog text for {err.key} in {t.language}"
        for value in err.params.values():
            if isinstance(value, str) and _KEYLIKE.match(value) and value.split(".")[0] in _TABLES:
                assert t.has(value), f"{err.key}: parameter {value} has no catalog text"
        text = err.message(t)
        assert not re.search(r"\{[a-z_0-9]*\}", text), f"{err.key}: placeholder left in {text!r}"
        assert not RAW.search(text), f"{err.key}: a control character would reach the screen: {text!r}"


def assert_clean_row(row) -> None:
    """No string column of a stored row carries a control character (newlines allowed)."""
    for name, value in vars(row).items():
        if isinstance(value, str) and not name.startswith("_"):
            assert not RAW.search(value.replace("\n", "")), f"{type(row).__name__}.{name} stored raw: {value!r}"


def run(service: str, fn):
    """Call fn(); count the case; return its result or None when it was refused properly."""
    CASES[service] += 1
    try:
        return fn()
    except DeskError as err:
        assert_good_refusal(err)
        return None


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fuzz_store(request, tmp_path_factory):
    """One store per module and backend (hypothesis runs many cases on it). PostgreSQL also
    enforces column lengths and refuses NUL bytes: text a service forgot to check fails there."""
    from deskconsole.db.store import Store
    from tests.conftest import _truncate_all

    if request.param == "sqlite":
        store = Store(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'desk.db'}").open()
        yield store
        store.close()
    else:
        store = request.getfixturevalue("_pg_store")
        _truncate_all(store)
        yield store
        _truncate_all(store)


@pytest.fixture(scope="module")
def fuzz_actors(fuzz_store):
    """(receptionist, supervisor) signed on at a fixed fake time."""
    from deskconsole.clock import FakeClock
    from deskconsole.services import operators, shifts
    from tests.conftest import START

    clock = FakeClock(START)

    def make(staff_no, role, pin):
        def work(s):
            op = operators.create_operator(s, staff_no=staff_no, name=f"测试{staff_no}", role=role,
                                           pin=pin, now=clock.now())
            return shifts.sign_on(s, op, desk_name="Lobby-1", clock=clock)
        return fuzz_store.write(work)

    return make("F101", "receptionist", "2468"), make("F001", "supervisor", "135790")


def report(prefix: str) -> str:
    return ", ".join(f"{k}: {v}" for k, v in sorted(CASES.items()) if k.startswith(prefix))


@pytest.fixture(scope="module")
def fuzz_report(request):
    """Prints the generated cases each service took, at the end of a module (pytest -s)."""
    yield
    print(f"\nfuzz cases run so far (after {request.module.__name__}): {report('')}")
