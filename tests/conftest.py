"""Shared fixtures. Every test builds its own store, config and clock (STYLE §2): nothing
touches the user's real data or config folders.

Backends: `store` runs a test on SQLite and on PostgreSQL (127.0.0.1:5432, database `test`,
one scratch database per test worker). With CI=true a missing PostgreSQL fails the run; it is
never silently skipped. `sqlite_store` is SQLite only (UI tests).
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from deskconsole.clock import FakeClock
from deskconsole.config import Config
from deskconsole.db.store import Store

PG_ADMIN_URL = os.environ.get("DESKCONSOLE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
# Wednesday 2026-11-25 09:00 in Shanghai.
START = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)


@pytest.fixture(scope="session", autouse=True)
def _session_audit_key(tmp_path_factory):
    """Set before any store is built, module- and session-wide fixtures' included."""
    path = tmp_path_factory.mktemp("audit-key") / "audit.key"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DESKCONSOLE_AUDIT_KEY_FILE", str(path))
        yield path


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch, _session_audit_key):
    """No test may read or write the real config/data folders. The tests are one desk: one
    audit key (outside the store, made at the first write) for the session, so a store built
    once for a module opens in each of its tests; a test of the key itself sets its own."""
    monkeypatch.setenv("DESKCONSOLE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DESKCONSOLE_AUDIT_KEY_FILE", str(_session_audit_key))
    for var in ("DESKCONSOLE_DB", "DESKCONSOLE_LANG", "DESKCONSOLE_CONFIG", "DESKCONSOLE_SITE",
                "DESKCONSOLE_DESK", "DESKCONSOLE_TZ", "DESKCONSOLE_RING_CADENCE"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


def make_config(tmp_path: Path, language: str = "en", **kw) -> Config:
    values = dict(site_name="Harbour View", desk_name="Lobby-1", language=language,
                  timezone="Asia/Shanghai", data_dir=tmp_path, idle_lock_minutes=5)
    values.update(kw)
    return Config(**values)


@pytest.fixture
def config(tmp_path) -> Config:
    return make_config(tmp_path)


@pytest.fixture
def sqlite_store(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'desk.db'}").open()
    yield store
    store.close()


# -- PostgreSQL -------------------------------------------------------------------------
def _pg_available() -> str | None:
    try:
        import psycopg  # noqa: F401
        from sqlalchemy import create_engine, text

        eng = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with eng.connect() as conn:
            conn.execute(text("SELECT 1"))
        eng.dispose()
        return None
    except Exception as exc:  # noqa: BLE001
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


@pytest.fixture(scope="session")
def pg_url(worker_id="master"):
    problem = _pg_available()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI and is not reachable: {problem}")
        pytest.skip(f"PostgreSQL not reachable: {problem}")
    from sqlalchemy import create_engine, text

    name = f"dc_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def _pg_store(pg_url):
    store = Store(pg_url).open()
    yield store
    store.close()


def _truncate_all(store: Store) -> None:
    from sqlalchemy import text
    from sqlmodel import SQLModel

    import deskconsole.models  # noqa: F401

    names = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with store.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "sqlite":
        s = Store(f"sqlite:///{tmp_path / 'desk.db'}").open()
        yield s
        s.close()
    else:
        s = request.getfixturevalue("_pg_store")
        _truncate_all(s)
        yield s


# -- operators and actors -----------------------------------------------------------------
@pytest.fixture
def make_actor(clock):
    """make_actor(store, staff_no='101', role='receptionist', name=...) -> signed-on Actor."""
    from deskconsole.services import operators, shifts

    def make(store, staff_no="101", role="receptionist", name="李娜", pin="2468", desk="Lobby-1"):
        def work(s):
            op = operators.create_operator(s, staff_no=staff_no, name=name, role=role, pin=pin, now=clock.now())
            return shifts.sign_on(s, op, desk_name=desk, clock=clock)

        return store.write(work)

    return make


@pytest.fixture
def actor(store, make_actor):
    return make_actor(store)


@pytest.fixture
def supervisor(store, make_actor):
    return make_actor(store, staff_no="001", role="supervisor", name="王芳", pin="135790")
