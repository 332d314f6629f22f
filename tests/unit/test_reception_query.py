"""Recall, search pages, roll call and its exports, expected visitors. Runs on SQLite and PostgreSQL."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from deskconsole.i18n import Translator
from deskconsole.services import reception as rs
from deskconsole.services import reception_query as rq
from deskconsole.services.errors import DeskError

TZ = ZoneInfo("Asia/Shanghai")


def arrive(store, actor, name, **kw):
    return store.write(lambda s: rs.check_in(s, actor, rs.CheckInForm(name=name, **kw)))


def serve_all(store, actor):
    with store.read() as s:
        n = len(rs.queue(s, actor, threshold_minutes=3))
    for _ in range(n):
        store.write(lambda s: rs.serve(s, actor, threshold_minutes=3))


def test_returning_visitor_is_found_by_phone_in_any_format_with_the_latest_visit(store, actor, clock):
    arrive(store, actor, "王", phone="13800138000", unit="1-1202")
    clock.advance(86400)
    arrive(store, actor, "王", honorific="mr", phone="13800138000", unit="2-0301")
    with store.read() as s:
        found = rq.recall(s, phone="138-0013-8000")
        assert found.unit == "2-0301" and found.honorific == "mr"
        assert rq.recall(s, name="王").unit == "2-0301"
        assert rq.recall(s, phone="13900000000") is None
        assert rq.recall(s, phone="not a phone") is None


def test_search_pages_newest_first_without_repeating_or_skipping(store, actor, clock):
    for i in range(25):
        arrive(store, actor, f"访客{i:02d}", unit="1-1202")
        clock.advance(60)
    with store.read() as s:
        page1, cursor = rq.search(s, "1-12", tz=TZ, limit=10)
        page2, cursor2 = rq.search(s, "1-12", tz=TZ, after=cursor, limit=10)
        page3, cursor3 = rq.search(s, "1-12", tz=TZ, after=cursor2, limit=10)
    names = [v.name for v in page1 + page2 + page3]
    assert names == [f"访客{i:02d}" for i in range(24, -1, -1)]
    assert cursor3 is None and len(page3) == 5


def test_search_by_phone_date_and_number(store, actor, clock):
    a = arrive(store, actor, "王", phone="13800138000")
    clock.advance(86400)
    b = arrive(store, actor, "李")
    with store.read() as s:
        assert [v.id for v in rq.search(s, "138 0013 8000", tz=TZ)[0]] == [a.id]
        assert [v.id for v in rq.search(s, "2026-11-25", tz=TZ)[0]] == [a.id]
        assert [v.id for v in rq.search(s, "2026-11-26", tz=TZ)[0]] == [b.id]
        assert [v.id for v in rq.search(s, f"#{b.id}", tz=TZ)[0]] == [b.id]
        with pytest.raises(DeskError) as err:
            rq.search(s, "2026-13-40", tz=TZ)
        assert err.value.field == "search"


def test_roll_call_lists_only_those_in_the_building(store, actor, clock):
    arrive(store, actor, "王", party_size=3, unit="1-1202")
    arrive(store, actor, "李")
    arrive(store, actor, "张")
    serve_all(store, actor)
    store.write(lambda s: rs.check_out(s, actor, 2))
    arrive(store, actor, "赵")  # still waiting: not yet inside
    with store.read() as s:
        inside = rq.in_building(s)
    assert [v.name for v in inside] == ["王", "张"]


def test_roll_call_csv_has_a_bom_and_masks_phones_for_a_receptionist(store, actor, tmp_path):
    arrive(store, actor, "王", honorific="mr", phone="13800138000", party_size=3, unit="1-1202")
    serve_all(store, actor)
    t = Translator("zh-CN")
    with store.read() as s:
        roll = rq.on_premises(s)
    path = rq.write_roll_call(tmp_path / "r.csv", roll, actor, t, TZ, fmt="csv", now=actor.clock.now(), site="海景")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "王先生" in text and "138****8000" in text and "13800138000" not in text
    assert text.splitlines()[1].split(",")[5] == "3"


def test_roll_call_printable_text_has_totals_and_aligned_rows(store, actor, supervisor, tmp_path):
    arrive(store, actor, "王", phone="13800138000", party_size=2)
    arrive(store, actor, "Smith", honorific="ms")
    serve_all(store, actor)
    t = Translator("en")
    with store.read() as s:
        roll = rq.on_premises(s)
    path = rq.write_roll_call(tmp_path / "r.txt", roll, supervisor, t, TZ, fmt="text",
                              now=actor.clock.now(), site="Harbour View")
    text = path.read_text(encoding="utf-8")
    assert "Harbour View" in text and "2 visits, 3 persons" in text
    assert "13800138000" in text  # a supervisor sees the number whole
    assert "Ms Smith" in text


def test_roll_call_counts_everyone_on_the_premises_lobby_and_building(store, actor, tmp_path):
    # DOMAIN §1: an evacuation must account for the visitors still waiting in the lobby too.
    arrive(store, actor, "王", party_size=3)
    serve_all(store, actor)
    arrive(store, actor, "李", honorific="ms", level="special")
    arrive(store, actor, "Smith", honorific="mr", party_size=2)
    t = Translator("en")
    with store.read() as s:
        roll = rq.on_premises(s)
    assert [v.name for v in roll.waiting] == ["李", "Smith"] and [v.name for v in roll.inside] == ["王"]
    assert roll.persons == 6
    text = rq.roll_call_text(roll, actor, t, TZ, now=actor.clock.now(), site="Harbour View")
    assert "3 visits, 6 persons" in text
    assert "Waiting in the lobby: 2 visits, 3 persons" in text
    assert "In the building: 1 visit, 3 persons" in text
    assert "Special" in text
    rows = rq.roll_call_csv(roll, actor, t, TZ).splitlines()
    assert [r.split(",")[0] for r in rows[1:]] == ["Waiting in the lobby"] * 2 + ["In the building"]
    zh = rq.roll_call_text(roll, actor, Translator("zh-CN"), TZ, now=actor.clock.now(), site="海景")
    assert "大堂等候: 2 批, 共 3 人" in zh and "特级" in zh


def test_counts_of_one_are_singular_in_english():
    t = Translator("en")
    assert rq.counted(t, "reception.count.visits", "reception.count.visits_one", 1) == "1 visit"
    assert rq.counted(t, "reception.count.persons", "reception.count.persons_one", 2) == "2 persons"


def test_expected_visitor_is_listed_today_until_the_arrival_is_checked_in(store, actor, clock):
    now = clock.now()  # 09:00 in Shanghai
    when = rq.parse_when("14:30", now=now, tz=TZ)
    assert when.astimezone(TZ).strftime("%Y-%m-%d %H:%M") == "2026-11-25 14:30"
    e = store.write(lambda s: rq.expect(s, actor, when=when, name="陈", phone="13912345678",
                                        host="1-1202 王", now=now))
    tomorrow = rq.parse_when("11-26 10:00", now=now, tz=TZ)
    store.write(lambda s: rq.expect(s, actor, when=tomorrow, name="周", now=now))
    with store.read() as s:
        assert [x.name for x in rq.expected_today(s, now=now, tz=TZ)] == ["陈"]
    store.write(lambda s: rs.check_in(s, actor, rs.CheckInForm(name="陈", expected_id=e.id)))
    with store.read() as s:
        assert rq.expected_today(s, now=now, tz=TZ) == []
        assert [x.name for x in rq.expected_today(s, now=now + timedelta(days=1), tz=TZ)] == ["周"]


def test_expected_time_must_be_readable(clock):
    with pytest.raises(DeskError) as err:
        rq.parse_when("half past two", now=clock.now(), tz=TZ)
    assert err.value.field == "when"
