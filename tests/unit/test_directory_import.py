"""Directory import: CSV in UTF-8, UTF-8 with BOM and GB18030, XLSX;
every bad row reported with line, column and reason; all-or-nothing unless --skip-bad."""

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from deskconsole.models import DirectoryEntry
from deskconsole.services import directory
from deskconsole.services.errors import DeskError

ROWS = "类型,姓名,房号,电话,备注\n住户,王建国,1-1202,138 0013 8000,业主\ncompany,海景贸易有限公司,A-0501,010-65528888,\nstaff,李娜,服务中心,,前台\n"


def count(store) -> int:
    with store.read() as s:
        return s.execute(select(func.count()).select_from(DirectoryEntry)).scalar_one()


@pytest.mark.parametrize(("encoding", "expected"), [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"),
                                                    ("gb18030", "gb18030")])
def test_csv_in_each_encoding_is_detected_and_imported(store, tmp_path, encoding, expected):
    path = tmp_path / "dir.csv"
    path.write_bytes(ROWS.encode(encoding))
    report = store.write(lambda s: directory.import_file(s, path))
    assert (report.encoding, report.imported, report.problems, report.committed) == (expected, 3, [], True)
    with store.read() as s:
        hits = directory.suggest(s, "1-12")
        assert [(h.kind, h.name, h.phone) for h in hits] == [("resident", "王建国", "13800138000")]
        assert [h.kind for h in directory.suggest(s, "海景")] == ["company"]


def test_a_named_encoding_overrides_detection_and_a_wrong_one_is_refused(store, tmp_path):
    path = tmp_path / "dir.csv"
    path.write_bytes(ROWS.encode("gb18030"))
    with pytest.raises(DeskError) as err:
        store.write(lambda s: directory.import_file(s, path, encoding="utf-8"))
    assert err.value.key == "directory.error.encoding_wrong"
    report = store.write(lambda s: directory.import_file(s, path, encoding="gb18030"))
    assert report.imported == 3


def test_xlsx_is_imported(store, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["name", "unit", "phone", "kind"])
    sheet.append(["王建国", "1-1202", 13800138000, "resident"])
    sheet.append(["Harbour Trading", "A-0501", None, "company"])
    path = tmp_path / "dir.xlsx"
    book.save(path)
    report = store.write(lambda s: directory.import_file(s, path))
    assert (report.encoding, report.imported) == ("xlsx", 2)
    assert count(store) == 2


BAD = ("name,unit,phone,kind\n"
       "王建国,1-1202,13800138000,resident\n"
       ",1-1203,,resident\n"
       "李四,1-1204,call me,resident\n"
       "张三,1-1205,,alien\n"
       "赵六,1-1206,,resident,extra\n")


def test_every_malformed_row_is_reported_with_line_column_and_reason_and_nothing_is_imported(store, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    report = store.write(lambda s: directory.import_file(s, path))
    assert not report.committed and report.imported == 0
    assert [(p.line, p.column, p.reason) for p in report.problems] == [
        (3, "name", "directory.bad.name_missing"),
        (4, "phone", "directory.bad.phone"),
        (5, "kind", "directory.bad.kind"),
        (6, "", "directory.bad.extra_cells"),
    ]
    assert count(store) == 0


def test_skip_bad_imports_the_good_rows_and_still_reports_the_bad(store, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    report = store.write(lambda s: directory.import_file(s, path, skip_bad=True))
    assert report.committed and report.imported == 1 and len(report.problems) == 4
    assert count(store) == 1


def test_a_file_without_a_name_column_is_refused_before_any_row(store, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("unit,phone\n1-1202,13800138000\n", encoding="utf-8")
    with pytest.raises(DeskError) as err:
        store.write(lambda s: directory.import_file(s, path))
    assert err.value.key == "directory.error.header"


def test_bytes_that_are_no_known_encoding_are_refused(store, tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"name\n\xff\xff\xff\n")
    with pytest.raises(DeskError) as err:
        store.write(lambda s: directory.import_file(s, path))
    assert err.value.key == "directory.error.encoding_unknown_bytes"
