"""Newest-first pages of the rows whose text column starts with a prefix (search as you type),
at a cost that does not grow with history.

A prefix range of an index (name >= '王' AND name < '王' + U+10FFFF) and an order by time
cannot both come from one index. Read by the prefix, every match of all history is sorted
(a common surname: a tenth of all visits, more every year); walked by time and filtered, a
rare prefix walks all of history. So a page gallops between the two plans, with a window
of `window` rows that widens each round:

1. count the prefix's matches beyond the cursor, stopping at `window`: read from the
   (column, time, id) index alone (migration 0011), at most `window` entries;
2. fewer than `window`: read them by that index and sort them (fewer than `window` rows);
3. otherwise walk the next `window` rows in time order (the time index, bounded on both
   sides) and keep the matches; stop when the page is full, else widen the window (x4).

Bound: each round costs O(window), and the rounds stop at the first window that fills the
page or holds every remaining match; so a page costs a few times the cheaper of the two
plans (the rows walked to fill it, the prefix's matches beyond the cursor). That is flat
for what a receptionist types: a common prefix fills the page from the newest rows, a rare
one has few matches. It grows only for a prefix that is common in old history and rare
lately (a unit busy years ago, quiet since), and then no faster than today's plan.

Results are exactly those of one query `WHERE match(column) AND where AND beyond(after)
ORDER BY time DESC, id LIMIT need`: the rounds cover consecutive windows of that order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import and_, func, literal, or_, select, tuple_
from sqlmodel import Session

FIRST_WINDOW = 1024  # rows; a window costs two walks of an index and at most one of the table
GROWTH = 4


def escape_like(text: str) -> str:
    """`text` with LIKE's wildcards escaped (use with escape="\\")."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def starts_with(column, text: str):
    """`column` starts with `text`, as a prefix its index can serve: a range (an index seek on
    SQLite's binary and PostgreSQL's C collation) plus LIKE, which keeps the meaning exact
    under any collation."""
    return and_(column >= text, column < text + "\U0010ffff",
                column.like(escape_like(text) + "%", escape="\\"))

@dataclass(frozen=True)
class NewestFirst:
    """The order `time DESC, id DESC` (or `id ASC` among equal times, `ids_descending=False`).
    `time` must be NOT NULL and indexed; keys are (time, id) of a row."""

    time: object
    id: object
    ids_descending: bool = True

    def clauses(self) -> tuple:
        return self.time.desc(), (self.id.desc() if self.ids_descending else self.id.asc())

    def beyond(self, key: tuple) -> object:
        """Rows strictly after `key` in this order."""
        t, i = key
        if self.ids_descending:
            return tuple_(self.time, self.id) < tuple_(t, i)
        return and_(self.time <= t, or_(self.time < t, and_(self.time == t, self.id > i)))

    def upto(self, key: tuple) -> object:
        """Rows at or before `key` in this order."""
        t, i = key
        if self.ids_descending:
            return tuple_(self.time, self.id) >= tuple_(t, i)
        return and_(self.time >= t, or_(self.time > t, and_(self.time == t, self.id <= i)))


def newest_matching(session: Session, model, order: NewestFirst, column, match: Callable[[object], object], *,
                    where: tuple | list = (), after: tuple | None = None, need: int,
                    window: int | None = None) -> list:
    """The first `need` rows of `model` in `order` strictly after the key `after`, whose
    `column` meets `match(column)` (a prefix condition its index serves) and that meet
    `where` (any further conditions)."""
    found: list = []
    keyset, window = ([order.beyond(after)] if after is not None else []), window or FIRST_WINDOW
    while len(found) < need:
        # One statement: the matches beyond the bound (counted up to `window`, from the
        # prefix's index alone) and the time of the `window`-th row beyond it (the time index).
        counted = select(literal(1)).select_from(model).where(match(column), *keyset).limit(window).subquery()
        nth = select(order.time).where(*keyset).order_by(order.time.desc()).offset(window - 1).limit(1)
        matches, edge = session.execute(select(select(func.count()).select_from(counted).scalar_subquery(),
                                               nth.scalar_subquery())).one()
        if matches < window:
            # Few matches left: read them by the prefix index and sort them.
            if matches:
                found += session.execute(select(model).where(match(column), *where, *keyset)
                                         .order_by(*order.clauses()).limit(need - len(found))).scalars()
            break
        # Many: walk the rows from the bound back to that time (`window` rows, and any more
        # of the same time). `column || ''` keeps the prefix's index out of this query: the
        # time index must bound the walk.
        span = keyset + ([order.time >= edge] if edge is not None else [])
        found += session.execute(select(model).where(match(column.concat("")), *where, *span)
                                 .order_by(*order.clauses()).limit(need - len(found))).scalars()
        if edge is None:
            break
        keyset, window = [order.time < edge], window * GROWTH
    return found
