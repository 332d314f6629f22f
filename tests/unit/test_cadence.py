import pytest

from deskconsole.cadence import PRESETS, parse_cadence


def test_china_cadence_ring_n_starts_at_five_times_n_minus_one_seconds():
    cn = PRESETS["cn"]
    assert [cn.ring_starts_at(n) for n in (1, 2, 3, 4)] == [0, 5, 10, 15]
    assert cn.ring_number(0) == 1
    assert cn.ring_number(14.9) == 3
    assert cn.ring_number(15.0) == 4


def test_presets_and_custom():
    assert PRESETS["us"].period == 6.0
    assert PRESETS["uk"].period == pytest.approx(3.0)
    assert parse_cadence("custom:1.5,3").period == 4.5
    for bad in ("custom:", "custom:1", "custom:a,b", "custom:0,4", "xx"):
        with pytest.raises(ValueError):
            parse_cadence(bad)
