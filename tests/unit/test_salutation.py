"""Addressing a visitor by surname + title (DOMAIN §1, 001 §5.2.3.3.2): 王先生, Mr Smith,
never the full name with a title; compound Chinese surnames are kept whole."""

import pytest

from deskconsole.services.people import COMPOUND_SURNAMES, honorific_label, salutation, surname

COMPOUNDS = ["欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
             "司徒", "夏侯", "轩辕", "令狐", "澹台", "南宫", "西门", "端木", "独孤", "呼延", "钟离"]


@pytest.mark.parametrize("compound", COMPOUNDS)
def test_a_compound_surname_is_kept_whole(compound):
    assert compound in COMPOUND_SURNAMES
    assert surname(compound + "娜娜") == compound
    assert surname(compound + "明") == compound
    assert surname(compound) == compound
    assert salutation(compound + "娜娜", "ms", "zh-CN") == f"{compound}女士"


def test_a_chinese_name_is_addressed_by_its_first_character():
    assert salutation("张伟", "mr", "zh-CN") == "张先生"
    assert salutation("王", "mr", "zh-CN") == "王先生"
    assert salutation("张伟", "mr", "en") == "Mr 张"


def test_a_latin_name_is_addressed_by_its_last_word():
    assert salutation("John Smith", "mr", "en") == "Mr Smith"
    assert salutation("John Smith", "mr", "zh-CN") == "Smith先生"
    assert surname("Mary Ann  Lee") == "Lee"


def test_the_receptionist_corrects_the_split_in_the_name_field():
    # a space after a Chinese surname the list does not know, a comma for a Latin one
    assert salutation("张王 小明", "mr", "zh-CN") == "张王先生"
    assert salutation("van der Berg, Jan", "mr", "en") == "Mr van der Berg"


def test_a_child_is_called_by_the_name_and_no_title_means_the_full_name():
    assert salutation("王小明", "child", "zh-CN") == "王小明小朋友"
    assert salutation("John Smith", "", "en") == "John Smith"


def test_the_english_title_picker_is_english():
    assert honorific_label("child", "en") == "Child"
    assert honorific_label("child", "zh-CN") == "小朋友"
