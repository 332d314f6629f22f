"""The registers' forms (`deskconsole report key-register|goods-release|loans`) on a demo
store: each reads back from XLSX with one row per line the summary's `registers` section
counts for the same period (and desk), phones masked, text typed at the desk inert."""

from __future__ import annotations

import re

import pytest

from deskconsole.clock import FakeClock
from deskconsole.db.store import Store
from deskconsole.demo import generate
from tests.conftest import START
from tests.unit.test_reports import BRACKETS, CMD, DAYS, csv_rows, md_table, summary, xlsx_rows

FULL_PHONE = re.compile(r"1\d{10}")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('regdemo') / 'demo.db'}").open()
    generate(store, days=DAYS, seed=3, clock=FakeClock(START))
    first = "(SELECT MIN(id) FROM {} WHERE voided_at IS NULL)"
    with store.engine.begin() as conn:
        conn.exec_driver_sql(f"UPDATE key_loan SET name = ?, purpose = ? WHERE id = {first.format('key_loan')}",
                             (CMD, f"{BRACKETS} | x"))
        conn.exec_driver_sql(f"UPDATE goods_release SET items = ?, name = ? WHERE id = "
                             f"{first.format('goods_release')}", (CMD, BRACKETS))
        conn.exec_driver_sql(f"UPDATE item_loan SET name = ?, id_note = ? WHERE id = {first.format('item_loan')}",
                             (CMD, BRACKETS))
    yield store
    store.close()


# report -> (the summary's figure, the column holding typed text, the person's column)
REGISTERS = {"key-register": ("keys_lent", "Purpose", "Taken by"),
             "goods-release": ("releases_issued", "Applicant", "Items"),
             "loans": ("items_lent", "ID held or seen", "Taken by")}


@pytest.mark.parametrize("desk", [None, "desk-1"])
@pytest.mark.parametrize("name", list(REGISTERS))
def test_a_register_report_has_one_row_per_line_the_summary_counts(demo, tmp_path, name, desk):
    figure, _, _ = REGISTERS[name]
    extra = ("--desk", desk) if desk else ()
    expected = summary(demo, *extra)["registers"][figure]
    head, rows = xlsx_rows(demo, tmp_path, name, *extra)
    assert len(rows) == expected
    if desk is None:
        assert expected > 0
        phone = head.index("Phone")
        assert any(r[phone] for r in rows) and not any(FULL_PHONE.search(str(r[phone] or "")) for r in rows)
    _, md_rows = md_table(demo, name, *extra)
    assert len(md_rows) == len(rows)


@pytest.mark.parametrize("name", list(REGISTERS))
def test_typed_text_in_a_register_report_is_inert(demo, tmp_path, name):
    _, typed, person = REGISTERS[name]
    head, rows = xlsx_rows(demo, tmp_path, name)  # checks no cell is a formula
    assert "'" + CMD in [r[head.index(person)] for r in rows]
    md_head, md_rows = md_table(demo, name)  # checks no cell broke the table
    assert any(r[md_head.index(typed)].startswith(r"a\[/b\]") for r in md_rows)
    assert any(r[person].startswith("'=") for r in csv_rows(demo, name))


def test_register_reports_read_codes_as_labels_in_the_consoles_language(demo, tmp_path):
    head, rows = xlsx_rows(demo, tmp_path, "key-register", lang="zh-CN")
    kinds = {r[head.index("员工/外包")] for r in rows}
    assert kinds and kinds <= {"本公司员工", "外单位"}
    assert {r[head.index("员工/外包代码")] for r in rows} <= {"staff", "contractor"}
    head, rows = xlsx_rows(demo, tmp_path, "loans", lang="zh-CN")
    assert {r[head.index("物品代码")] for r in rows} != {r[head.index("物品")] for r in rows}
