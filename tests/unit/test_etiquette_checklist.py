"""The checklist as data (DOMAIN §4-§5): the shipped standard is valid and complete in both
languages; a broken company file is refused with the file and the line named."""

import unicodedata
from pathlib import Path

import pytest

from deskconsole.paths import data_file
from deskconsole.services.etiquette import (
    ELEMENTS,
    ChecklistError,
    load_checklist,
    parse_checklist,
    read_checklist,
)
from tests.conftest import make_config

SHIPPED = data_file("etiquette_checklist.toml")


@pytest.fixture(scope="module")
def shipped():
    return read_checklist(SHIPPED)


def test_shipped_checklist_has_the_five_elements_in_both_languages(shipped):
    assert [e.id for e in shipped.elements] == list(ELEMENTS)
    assert [e.zh for e in shipped.elements] == ["主动", "亲切", "诚信", "专业", "素养"]
    for e in shipped.elements:
        assert e.en and e.motto_zh and e.motto_en


def test_every_element_has_on_duty_meeting_and_off_duty_items_from_seed_000(shipped):
    for el in ELEMENTS:
        for section in ("on_duty", "meeting", "off_duty"):
            items = [i for i in shipped.items if i.element == el and i.section == section]
            assert items, (el, section)
            assert all(i.source.startswith(f"000 {el}") for i in items), (el, section)


def test_every_item_is_written_in_both_languages_and_cites_its_source(shipped):
    for item in shipped.items:
        assert item.zh.strip() and item.en.strip() and item.source.strip(), item.id
        assert item.text("zh-CN") == item.zh and item.text("en") == item.en


def test_grooming_items_cite_the_grooming_sources(shipped):
    grooming = [i for i in shipped.items if i.section == "grooming"]
    assert len(grooming) >= 5
    assert all(any(s in i.source for s in ("001 §5.2.3.1", "004 §4", "002 三")) for i in grooming)


def test_chinese_text_avoids_ambiguous_width_punctuation(shipped):
    texts = [i.zh for i in shipped.items] + [e.zh + e.motto_zh for e in shipped.elements]
    texts += [s.zh for s in shipped.sections]
    bad = [t for t in texts if any(unicodedata.east_asian_width(c) == "A" for c in t)]
    assert bad == []


def test_self_check_is_grooming_and_readiness_and_short_enough_for_a_minute(shipped):
    items = shipped.self_items()
    assert {i.section for i in items} == {"grooming", "readiness"}
    assert 5 <= len(items) <= 15
    assert shipped.self_scale == "pass_fail" and shipped.inspection_scale == "0-2"


def test_inspection_leaves_out_site_staff_items_and_off_duty_sections(shipped):
    items = shipped.inspection_items()
    assert all(i.scope == "desk" and i.section in ("on_duty", "grooming") for i in items)
    assert "A03" not in {i.id for i in items}  # security officer's salute: not a desk item
    assert {"A10", "B04", "C09", "D06"} <= {i.id for i in items}


def test_three_rings_item_carries_the_call_evidence(shipped):
    a10 = next(i for i in shipped.items if i.id == "A10")
    assert a10.evidence == ("calls_late", "missed_not_returned")


MINIMAL = '''version = "acme-1"

[scoring]
self = "pass_fail"
inspection = "0-2"
self_sections = ["grooming"]
inspection_sections = ["on_duty"]
''' + "".join(f'''
[[element]]
id = "{e}"
zh = "要素{e}"
en = "Element {e}"
''' for e in ELEMENTS) + '''
[[section]]
id = "grooming"
zh = "仪容仪表"
en = "Grooming"

[[section]]
id = "on_duty"
zh = "工作期间"
en = "On duty"

[[item]]
id = "G1"
element = "E"
section = "grooming"
zh = "制服整洁"
en = "Uniform neat"
source = "001 §5.2.3.1"

[[item]]
id = "A1"
element = "A"
section = "on_duty"
zh = "主动问候"
en = "Greet first"
source = "000 A"
'''


def _error(text: str) -> str:
    with pytest.raises(ChecklistError) as exc:
        parse_checklist(text, Path("acme.toml"))
    return str(exc.value)


def test_a_minimal_company_file_is_valid():
    checklist = parse_checklist(MINIMAL, Path("acme.toml"))
    assert checklist.version == "acme-1" and len(checklist.items) == 2


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    seen = 0
    for n, line in enumerate(text.splitlines(), 1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return n
    raise AssertionError(needle)


def test_duplicate_item_id_names_the_line_of_the_second():
    text = MINIMAL.replace('id = "A1"', 'id = "G1"')
    line = line_of(text, 'id = "G1"', 2)
    assert _error(text) == f"acme.toml:{line}: item id 'G1' is used twice"


def test_item_missing_its_english_names_the_item():
    text = MINIMAL.replace('en = "Greet first"\n', "")
    assert _error(text) == f"acme.toml:{line_of(text, '[[item]]', 2)}: 'en' is missing or empty"


def test_unknown_section_names_the_line_of_the_section_key():
    text = MINIMAL.replace('section = "on_duty"', 'section = "lunch"')
    message = _error(text)
    assert message.startswith(f"acme.toml:{line_of(text, 'lunch')}: item A1: unknown section 'lunch'")


def test_missing_element_is_refused():
    text = MINIMAL.replace('id = "E"', 'id = "A"', 1)
    assert "element 'A' is defined twice" in _error(text)


def test_broken_toml_gives_the_line_tomllib_found():
    text = MINIMAL.replace('zh = "主动问候"', 'zh = "主动问候')
    assert _error(text).startswith(f"acme.toml:{line_of(text, '主动问候')}: not valid TOML")


def test_unknown_scale_is_refused_at_its_line():
    text = MINIMAL.replace('inspection = "0-2"', 'inspection = "0-5"')
    assert _error(text).startswith(f"acme.toml:{line_of(text, '0-5')}: 'inspection' must be one of")


def test_missing_file_is_a_one_line_error(tmp_path):
    with pytest.raises(ChecklistError, match=r"nope\.toml:0: file not found"):
        read_checklist(tmp_path / "nope.toml")


def test_company_file_from_config_is_used(tmp_path):
    path = tmp_path / "acme.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    assert load_checklist(make_config(tmp_path, checklist_path=path)).version == "acme-1"
    assert load_checklist(make_config(tmp_path)).version == read_checklist(SHIPPED).version
