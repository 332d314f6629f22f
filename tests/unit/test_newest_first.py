"""Prefix searches newest first (services/newest_first): whichever way a page is found (the
prefix's index and a sort, or a walk by time in widening windows), it is exactly the page one
plain query would give, ties in time and voided rows included. SQLite and PostgreSQL."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from deskconsole.models import Visit
from deskconsole.services import newest_first
from deskconsole.services import reception_query as rq
from deskconsole.services.newest_first import NewestFirst, newest_matching

NAMES = ["王", "王芳", "王小明", "李", "李娜", "张伟", "王%", "王_x", "汪"]
WINDOWS = [1, 3, 40, 100_000]


@pytest.fixture
def visits(store, actor, clock):
    """300 visits: names and units from small pools, three per arrival time (ties), every
    eleventh voided."""
    def work(s):
        base = clock.now() - timedelta(days=30)
        for i in range(300):
            s.add(Visit(arrived_at=base + timedelta(minutes=i // 3), name=NAMES[(i * 7) % len(NAMES)],
                        unit=f"{i % 4 + 1}-{(i * 13) % 30:02d}01", voided_at=base if i % 11 == 0 else None,
                        **actor.stamps()))
    store.write(work)
    return store


def _plain(s, order, column, prefix, after, need):
    stmt = select(Visit).where(newest_first.starts_with(column, prefix), Visit.voided_at.is_(None))
    if after is not None:
        stmt = stmt.where(order.beyond(after))
    return [v.id for v in s.execute(stmt.order_by(*order.clauses()).limit(need)).scalars()]


@pytest.mark.parametrize("ids_descending", [True, False], ids=["ids-desc", "ids-asc"])
def test_every_window_gives_the_page_of_the_plain_query(visits, ids_descending):
    order = NewestFirst(Visit.arrived_at, Visit.id, ids_descending)
    with visits.read() as s:
        everyone = s.execute(select(Visit).order_by(*order.clauses())).scalars().all()
        cursors = [None] + [(v.arrived_at, v.id) for v in everyone[::75]]
        for column, prefix in ((Visit.name, "王"), (Visit.name, "王小"), (Visit.name, "王%"),
                               (Visit.unit, "2-"), (Visit.unit, "4-1"), (Visit.name, "赵")):
            for after in cursors:
                for need in (1, 21):
                    want = _plain(s, order, column, prefix, after, need)
                    for window in WINDOWS:
                        got = newest_matching(s, Visit, order, column, lambda c, p=prefix: newest_first.starts_with(c, p),
                                              where=[Visit.voided_at.is_(None)], after=after, need=need,
                                              window=window)
                        assert [v.id for v in got] == want, (prefix, after, need, window)


@pytest.mark.parametrize("window", [2, 5, 100_000])
def test_search_pages_are_the_same_whichever_way_they_are_found(visits, monkeypatch, window):
    monkeypatch.setattr(newest_first, "FIRST_WINDOW", window)
    order = NewestFirst(Visit.arrived_at, Visit.id)
    with visits.read() as s:
        for query in ("王", "2-", "李娜"):
            want = [v.id for v in s.execute(
                select(Visit).where((newest_first.starts_with(Visit.name, query) | newest_first.starts_with(Visit.unit, query)),
                                    Visit.voided_at.is_(None)).order_by(*order.clauses())).scalars()]
            got, cursor = [], None
            while True:
                rows, cursor = rq.search(s, query, tz=ZoneInfo("Asia/Shanghai"), after=cursor, limit=7)
                got += [r.id for r in rows]
                if cursor is None:
                    break
            assert got == want and want, query
