"""Long work reports real counts: each service takes an optional `progress(done, total)` and
calls it with counts that only grow and end at the total, so the CLI's bar counts and fills
(rows imported, rows written, sections counted, pages backed up, rows copied, rows anonymised)."""

from __future__ import annotations

import io
import shutil
from datetime import timedelta

import pytest

from deskconsole.clock import FakeClock
from deskconsole.db.copy import copy_store
from deskconsole.db.maintenance import backup
from deskconsole.db.store import Store
from deskconsole.demo import generate
from deskconsole.i18n import Translator
from deskconsole.services import directory, exports, retention
from deskconsole.services.summary import parse_period, summarize
from tests.conftest import START

TZ = "Asia/Shanghai"


class Heard:
    def __init__(self) -> None:
        self.calls: list[tuple[int, int | None]] = []

    def __call__(self, done: int, total: int | None) -> None:
        self.calls.append((done, total))

    def counted_up_to(self, total: int) -> bool:
        """At least one report, never going back, never past a total it was given, ending at
        (total, total)."""
        dones = [d for d, _ in self.calls]
        return (bool(self.calls) and dones == sorted(dones) and self.calls[-1] == (total, total)
                and all(t is None or d <= t for d, t in self.calls))


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    store = Store(f"sqlite:///{path}").open()
    generate(store, days=3, seed=3, clock=FakeClock(START), tz=TZ)
    store.close()
    return path


@pytest.fixture
def demo(demo_file, tmp_path):
    """A fresh copy of the small demo store (the test may change it)."""
    path = tmp_path / "demo.db"
    shutil.copy(demo_file, path)
    store = Store(f"sqlite:///{path}").open()
    yield store
    store.close()


def _period(store):
    return parse_period(TZ, START, day=(START - timedelta(days=2)).date().isoformat(),
                        to_day=START.date().isoformat())


def test_directory_import_reports_the_rows_added(store, tmp_path):
    path = tmp_path / "dir.csv"
    path.write_text("name,unit\n" + "".join(f"住户{i},{i // 10}-{i % 10}01\n" for i in range(1234)),
                    encoding="utf-8")
    heard = Heard()
    report = store.write(lambda s: directory.import_file(s, path, progress=heard))
    assert report.imported == 1234 and heard.counted_up_to(1234)
    assert len(heard.calls) >= 3  # every BATCH rows, not once at the end only


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_reports_the_rows_written_towards_the_counted_total(demo, tmp_path, fmt, monkeypatch):
    monkeypatch.setattr(exports, "BATCH", 50)  # a report every 50 rows: a small demo has a few hundred
    heard = Heard()
    period = _period(demo)
    with demo.read() as s:
        out = io.BytesIO() if fmt == "csv" else tmp_path / "calls.xlsx"
        n = exports.export(s, "calls", period, fmt, out, Translator("en"), progress=heard)
        assert n == exports.count(s, "calls", period) > exports.BATCH
    assert heard.calls[0] == (0, n) and heard.counted_up_to(n)
    assert len(heard.calls) >= 3


def test_summary_reports_each_section_counted(demo):
    heard = Heard()
    with demo.read() as s:
        summarize(s, _period(demo), progress=heard)
    assert heard.calls == [(n, 7) for n in range(1, 8)]


def test_backup_reports_the_pages_copied(demo, tmp_path):
    heard = Heard()
    backup(demo, tmp_path / "copy.db", progress=heard, pages=16)
    pages = heard.calls[-1][0]
    assert pages > 16 and heard.counted_up_to(pages) and len(heard.calls) > 1


def test_copy_reports_the_rows_copied_of_every_table(demo, tmp_path):
    heard = Heard()
    result = copy_store(demo, f"sqlite:///{tmp_path / 'target.db'}", progress=heard)
    assert heard.counted_up_to(result.total) and result.total > 1000
    assert all(t == result.total for _, t in heard.calls)  # counted before the first row
    assert len(heard.calls) > len(result.rows) / 2  # batch by batch, not once at the end


def test_purge_reports_the_rows_anonymised_towards_the_counted_total(demo):
    from deskconsole.services.context import Actor

    actor = Actor(operator_id=1, staff_no="001", name="x", role="supervisor", shift_id=None, desk_id=None,
                  desk_name="", clock=FakeClock(START))
    heard = Heard()
    result = demo.write(lambda s: retention.purge_as(s, actor, 1, progress=heard))
    assert result.total > 0 and heard.calls[0] == (0, result.total) and heard.counted_up_to(result.total)
    assert len(heard.calls) > 3


def test_a_purge_dry_run_reports_its_counts_too(demo):
    from deskconsole.services.context import Actor

    actor = Actor(operator_id=1, staff_no="001", name="x", role="supervisor", shift_id=None, desk_id=None,
                  desk_name="", clock=FakeClock(START))
    heard = Heard()
    result = demo.write(lambda s: retention.purge_as(s, actor, 1, dry_run=True, progress=heard))
    assert result.total > 0 and heard.counted_up_to(result.total)
