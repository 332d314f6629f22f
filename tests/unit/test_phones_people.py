import pytest

from deskconsole.models import DirectoryEntry
from deskconsole.services.directory import suggest
from deskconsole.services.errors import DeskError
from deskconsole.services.people import address
from deskconsole.services.phone_numbers import mask, normalise


@pytest.mark.parametrize("raw, stored", [
    ("138 0013 8000", "13800138000"),
    ("+86 138-0013-8000", "13800138000"),
    ("008613800138000", "13800138000"),
    ("010-6552 8888", "01065528888"),
    ("0755-8888888", "07558888888"),
    ("+86 10 6552 8888", "01065528888"),
    ("+44 20 7946 0958", "+442079460958"),
    ("8012", "8012"),
    ("", None),
])
def test_phone_numbers_are_normalised(raw, stored):
    assert normalise(raw) == stored


@pytest.mark.parametrize("raw", ["12", "abc", "1380013800", "23800138000", "+86 99", "138001380001234567"])
def test_bad_phone_numbers_are_refused_with_a_message(raw):
    with pytest.raises(DeskError) as err:
        normalise(raw)
    assert err.value.key == "error.phone" and err.value.field == "phone"


def test_phone_is_masked_except_to_a_supervisor():
    assert mask("13812341234") == "138****1234"
    assert mask("01065528888") == "010****8888"
    assert mask("+442079460958") == "+44******0958"
    assert mask("8012") == "**12"
    assert mask("13812341234", unmasked=True) == "13812341234"


def test_address_by_surname_and_honorific():
    assert address("王", "mr", "zh-CN") == "王先生"
    assert address("王", "mr", "en") == "Mr 王"
    assert address("Lee", "", "en") == "Lee"
    assert address("小明", "child", "zh-CN") == "小明小朋友"


def test_directory_suggests_by_unit_or_name_prefix(store):
    store.write(lambda s: s.add_all([
        DirectoryEntry(kind="resident", name="张伟", unit="3-1201", phone="13800000001"),
        DirectoryEntry(kind="company", name="星辰科技", unit="A座 15F"),
        DirectoryEntry(kind="resident", name="100%_odd", unit="9-9"),
    ]))
    with store.read() as s:
        assert [h.name for h in suggest(s, "3-12")] == ["张伟"]
        assert [h.unit for h in suggest(s, "星辰")] == ["A座 15F"]
        assert [h.name for h in suggest(s, "100%")] == ["100%_odd"]
        assert suggest(s, "%") == []
        assert suggest(s, "") == []
