"""Resident lists as property offices export them: header variants of both languages, the unit
over several columns, several phones in a cell, identity-card columns skipped, other columns
named, GB18030 told from Big5, --map for anything else, --dry-run."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select
from typer.testing import CliRunner

from deskconsole.cli.main import app
from deskconsole.models import DirectoryEntry, DirectoryPhone
from deskconsole.services import directory
from deskconsole.services.errors import DeskError

RESIDENTS = Path(__file__).resolve().parents[1] / "fixtures" / "residents"


def entries(store) -> list[tuple]:
    with store.read() as s:
        rows = s.execute(select(DirectoryEntry).order_by(DirectoryEntry.id)).scalars().all()
        phones = s.execute(select(DirectoryPhone.entry_id, DirectoryPhone.phone).order_by(DirectoryPhone.id)).all()
        return [(r.name, r.unit, r.phone, [p for e, p in phones if e == r.id], r.note) for r in rows]


def test_a_management_system_export_in_gb18030_composes_units_keeps_phones_and_skips_identity(store):
    report = store.write(lambda s: directory.import_file(s, RESIDENTS / "pms_export_gb18030.csv"))
    assert (report.encoding, report.imported, report.problems) == ("gb18030", 3, [])
    assert report.identity == ["身份证号"]
    assert report.ignored == ["性别", "面积", "入住日期"]
    assert entries(store) == [
        ("王建国", "3-2-1201", "13812345678", ["13812345678", "13987654321"], "业主"),
        ("李秀英", "3-2-1202", "13923456789", ["13923456789", "01065528888"], None),
        ("赵明", "5-1-0801", "13734567890", ["13734567890", "13645678901"], "家有老人"),
    ]


def test_no_identity_number_is_stored_anywhere(store):
    store.write(lambda s: directory.import_file(s, RESIDENTS / "pms_export_gb18030.csv"))
    assert "110101198001011234" not in repr(entries(store))


def test_a_big5_list_from_an_owners_association_imports_as_written():
    parsed = directory.parse(RESIDENTS / "owners_association_big5.csv")
    assert parsed.encoding == "big5"
    assert [(r["name"], r["unit"], r["phones"]) for r in parsed.good] == [
        ("陳大文", "A-1201", ["+85291234567"]),
        ("黃美玲", "B-0803", ["91234568"]),
        ("張志明", "A-1502", ["98765432", "61234567"]),
    ]


def test_big5_text_is_not_read_as_gb18030(tmp_path):
    path = tmp_path / "hk.csv"
    path.write_bytes("姓名,房號\n陳大文,A-1201\n".encode("big5"))
    assert directory.parse(path).good[0]["name"] == "陳大文"


def test_bytes_that_read_as_chinese_either_way_are_not_guessed(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"name,unit\n" + "李娜".encode("gb18030") + b",1-1202\n")
    with pytest.raises(DeskError) as err:
        directory.parse(path)
    assert err.value.key == "directory.error.encoding_ambiguous"
    assert directory.parse(path, "gb18030").good[0]["name"] == "李娜"


def test_english_headers_and_an_identity_column_found_by_its_values(tmp_path):
    path = tmp_path / "en.csv"
    path.write_text("Customer Name,Room,Telephone,Misc\nAlice Wong,2-0301,13800138000,110101198001011234\n"
                    "Bob Li,2-0302,13800138001,11010119850202222X\n", encoding="utf-8")
    parsed = directory.parse(path)
    assert parsed.identity == ["Misc"] and parsed.ignored == []
    assert [(r["name"], r["unit"], r["phone"]) for r in parsed.good] == [
        ("Alice Wong", "2-0301", "13800138000"), ("Bob Li", "2-0302", "13800138001")]


def test_an_xlsx_export_with_customer_name_mobile_and_id_columns(store, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["客户名称", "证件号码", "楼号", "房间号", "手机号码", "客户类型"])
    sheet.append(["海景贸易有限公司", "91310000MA1FL0000X", "A座", "0501", 13800138000, "公司"])
    sheet.append(["王建国", "110101198001011234", "3栋", "1201室", "13812345678,13987654321", "业主"])
    path = tmp_path / "export.xlsx"
    book.save(path)
    report = store.write(lambda s: directory.import_file(s, path))
    assert (report.encoding, report.imported, report.identity) == ("xlsx", 2, ["证件号码"])
    assert [(e[0], e[1], e[3]) for e in entries(store)] == [
        ("海景贸易有限公司", "A-0501", ["13800138000"]),
        ("王建国", "3-1201", ["13812345678", "13987654321"])]


def test_map_names_a_column_the_table_does_not_know(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("产权人,房号,紧急联系人电话\n王建国,1-1202,13800138000\n", encoding="utf-8")
    with pytest.raises(DeskError):
        directory.parse(path)
    mapping = directory.columns.parse_map(["姓名=产权人", "phone=紧急联系人电话"])
    parsed = directory.parse(path, mapping=mapping)
    assert [(r["name"], r["phone"]) for r in parsed.good] == [("王建国", "13800138000")]
    with pytest.raises(DeskError) as err:
        directory.parse(path, mapping=directory.columns.parse_map(["姓名=业主姓名"]))
    assert err.value.key == "directory.error.map_column"


def test_a_bad_phone_among_several_is_reported_with_its_value(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("姓名,房号,手机\n王建国,1-1202,13800138000/call me\n", encoding="utf-8")
    parsed = directory.parse(path)
    assert [(p.line, p.column, p.reason, p.value) for p in parsed.problems] == [
        (2, "手机", "directory.bad.phone", "call me")]


def test_dry_run_prints_the_rows_as_stored_and_writes_nothing(sqlite_store):
    result = CliRunner().invoke(app, ["--db", sqlite_store.url, "--lang", "en", "directory", "import",
                                      "--dry-run", str(RESIDENTS / "pms_export_gb18030.csv")])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "3-2-1201" in out and "王建国" in out and "138****5678 / 139****4321" in out
    assert "column skipped: 身份证号" in out and "性别, 面积, 入住日期" in out
    assert "110101198001011234" not in out
    assert "nothing was written" in out
    assert entries(sqlite_store) == []
