"""Imported files are hostile input too: directory files of random cells, in
UTF-8 or GB18030, truncated anywhere, with or without their header, or plain random bytes.
No crash; a file-level refusal is a DeskError with catalog text; every row problem names a
catalog reason; a file with problems adds nothing; whatever is imported is stored clean."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from deskconsole.i18n import load_catalog
from deskconsole.models import DirectoryEntry
from deskconsole.services import directory
from tests.reliability import fuzz
from tests.reliability.fuzz import FUZZ, assert_clean_row, hostile_text, phone_like, run

pytestmark = pytest.mark.usefixtures("fuzz_report")
fuzz_report = fuzz.fuzz_report

fuzz_store = fuzz.fuzz_store
CATALOG = load_catalog("en"), load_catalog("zh-CN")
cells = st.one_of(hostile_text, phone_like, st.sampled_from(["住户", "公司", "resident", "王芳", "3-502", ""]))
headers = st.one_of(st.just(["类型", "姓名", "单元", "电话", "备注"]), st.just(["name", "unit", "phone"]),
                    st.lists(cells, max_size=6))


@st.composite
def directory_files(draw) -> bytes:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=400))
    rows = [draw(headers)] + draw(st.lists(st.lists(cells, max_size=7), max_size=8))
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    data = out.getvalue().encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"])), errors="replace")
    if draw(st.booleans()):
        data = data[:draw(st.integers(0, len(data)))]  # a file cut short
    return data


def _count(store) -> int:
    with store.read() as s:
        return s.execute(select(func.count()).select_from(DirectoryEntry)).scalar_one()


@FUZZ
@given(data=directory_files(), skip_bad=st.booleans())
def test_importing_a_hostile_directory_file_never_crashes_or_half_imports(fuzz_store, tmp_path, data, skip_bad):
    path = tmp_path / "directory.csv"
    path.write_bytes(data)
    before = _count(fuzz_store)
    report = run("directory.import_file", lambda: fuzz_store.write(
        lambda s: directory.import_file(s, path, skip_bad=skip_bad)))
    after = _count(fuzz_store)
    if report is None:
        assert after == before  # refused as a whole: nothing written
        return
    for problem in report.problems:
        assert all(problem.reason in cat for cat in CATALOG), problem.reason
    if report.problems and not skip_bad:
        assert (report.committed, after) == (False, before)
    else:
        assert after == before + report.imported
        with fuzz_store.read() as s:
            for row in s.execute(select(DirectoryEntry).order_by(DirectoryEntry.id.desc())
                                 .limit(report.imported)).scalars():
                assert_clean_row(row)
