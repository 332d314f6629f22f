"""The three live lists beside the check-in form: the waiting queue (next to serve first,
live waiting time, the apology prompt), who is in the building, and today's expected
visitors. Each row key is the record id; the screen's keys act on the highlighted row."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from deskconsole import catalogs
from deskconsole.services.people import salutation
from deskconsole.services.reception_query import level_tag
from deskconsole.ui.text import DataTable
from deskconsole.ui.textual_compat import RowsWithoutLayout
from deskconsole.ui.widgets.status_bar import fmt_elapsed


def post_labels(t) -> dict[str, str]:
    return dict(catalogs.codes_with_labels("handoff_posts.toml", "post", t.language))


def post_label(value: str | None, t, labels: dict[str, str] | None = None) -> str:
    """'security' -> '保安岗'; 'resident:王先生 1-1202' -> '住户本人 王先生 1-1202'.
    `labels` (post_labels(t)) when labelling many: the catalog is looked up once, not per row."""
    if not value:
        return ""
    code, _, person = value.partition(":")
    labels = post_labels(t) if labels is None else labels
    return " ".join(x for x in (labels.get(code, code), person) if x)


# Fixed widths so the three lists fit the right half of an 80-column desk with every heading
# whole (measured in cells): a level tag and a surname + title fit the visitor column.
VISITOR_WIDTH = 12
HOST_WIDTH = 10
TOLD_WIDTH = 8


def visitor_cell(v, t, style: str = "") -> Text:
    """'特级 王先生 +2': the reception level first (DOMAIN §1: a 高级 / 特级 guest is seen at a
    glance), then surname + title as the receptionist calls them, then the rest of the party."""
    cell = Text()
    tag = level_tag(v.level, t)
    if tag:
        cell.append(tag, style="bold reverse")
        cell.append(" ")
    cell.append(salutation(v.name, v.honorific, t.language), style=style)
    if v.party_size > 1:
        cell.append(f" +{v.party_size - 1}", style=style)
    return cell


def fmt_wait(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60:d}:{seconds % 60:02d}"


def _same(cell) -> object:
    """What decides whether a cell looks the same: its text and its styles."""
    return (cell.plain, str(cell.style), tuple(cell.spans)) if isinstance(cell, Text) else cell


class VisitTable(RowsWithoutLayout, DataTable):
    # A visitor checked in, served or gone repaints the list, and lays nothing else out while
    # the list needs no scrollbar (textual_compat.RowsWithoutLayout).
    DEFAULT_CSS = """
    VisitTable { height: 1fr; min-height: 3; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self._shown: list | None = None  # the rows last filled in, as compared by keep_cursor

    def selected_id(self) -> int | None:
        if self.row_count == 0:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return int(key.value) if key and key.value else None

    def keep_cursor(self, fill) -> None:
        """Refill the table with `fill()`'s rows ((cells, key) pairs) and keep the cursor on the
        same record when it is still there. The same rows as shown are left alone: a refresh
        that changed nothing then costs no redraw and no re-layout (the 1 s refresh stays cheap)."""
        rows = list(fill())
        shown = [(tuple(_same(c) for c in cells), key) for cells, key in rows]
        if shown == self._shown:
            return
        before, self._shown = self._shown, shown
        keep = self.selected_id()
        if not self._update_in_place(before, rows):
            self.clear()
            for cells, key in rows:
                self.add_row(*cells, key=key)
        if keep is not None:
            for index, row in enumerate(self.ordered_rows):
                if row.key.value == str(keep):
                    self.move_cursor(row=index)
                    break


    def _update_in_place(self, before: list | None, rows: list) -> bool:
        """A visitor added at the end or gone from the list, the others in the same order (a
        check-in, a serve, a check-out): remove the rows gone, update the cells that changed,
        add the new rows at the end; no clear and no re-measuring of every row. False when
        the order changed otherwise (then the table is refilled)."""
        if not before or len(before) != self.row_count:
            return False
        old_keys = [key for _, key in before]
        new_keys = [key for _, key in rows]
        kept = set(old_keys) & set(new_keys)
        stays = [k for k in old_keys if k in kept]
        if stays != new_keys[:len(stays)] or not stays:
            return False  # reordered, or nothing in common
        columns = list(self.columns)
        old_cells = dict((key, cells) for cells, key in before)
        for key in old_keys:
            if key not in kept:
                self.remove_row(key)
        for (cells, key), (same, _k) in zip(rows, self._shown, strict=True):
            if key in kept:
                for column, value, now, was in zip(columns, cells, same, old_cells[key], strict=False):
                    if now != was:
                        self.update_cell(key, column, value)
            else:
                self.add_row(*cells, key=key)
        return True


class QueueTable(VisitTable):
    BINDINGS = [
        Binding("enter", "screen.serve_selected", "reception.key.serve_this", id="reception.serve_this"),
        Binding("a", "screen.apology_selected", "reception.key.apology", id="reception.apology_row"),
        Binding("x", "screen.cancel_selected", "reception.key.cancel", id="reception.cancel"),
    ]

    def show(self, entries, t) -> None:
        if not self.columns:
            self.add_column(t("reception.col.number"), key="number")
            self.add_column(t("reception.col.visitor"), key="visitor", width=VISITOR_WIDTH)
            self.add_column(t("reception.col.wait"), key="wait")
            self.add_column(t("reception.col.host"), key="host", width=HOST_WIDTH)

        def wait_cell(e) -> Text:
            if e.apology_due:
                return Text(f"{fmt_wait(e.wait_seconds)} {t('reception.queue.apology_flag')}", style="bold reverse")
            return Text(fmt_wait(e.wait_seconds), style="bold" if e.position == 1 else "")

        if [str(e.visit.id) for e in entries] == [row.key.value for row in self.ordered_rows]:
            # Same people in the same order: only the waiting times move (no flicker, no re-layout),
            # and only a time that reads differently is drawn again.
            shown = self._shown if self._shown is not None and len(self._shown) == len(entries) else None
            for index, e in enumerate(entries):
                cell = wait_cell(e)
                if shown is not None:
                    same, key = shown[index]
                    if same[2] == _same(cell):
                        continue
                    shown[index] = (same[:2] + (_same(cell),) + same[3:], key)
                self.update_cell(str(e.visit.id), "wait", cell)
            return

        def fill():
            for e in entries:
                v = e.visit
                style = "bold" if e.position == 1 else ""
                marker = ">" if e.position == 1 else " "
                yield (Text(f"{marker}{v.id}", style=style), visitor_cell(v, t, style), wait_cell(e),
                       " ".join(x for x in (v.unit, v.host) if x)), str(v.id)

        self.keep_cursor(fill)


class InBuildingTable(VisitTable):
    BINDINGS = [
        Binding("enter,h", "screen.handoff_selected", "reception.key.handoff", id="reception.handoff"),
        Binding("o", "screen.checkout_selected", "reception.key.checkout", id="reception.checkout"),
        Binding("t", "screen.ticket_selected", "reception.key.ticket", id="reception.ticket"),
    ]

    def show(self, visits, t, tz, now) -> None:
        if not self.columns:
            # The arrival time is on the roll call (Ctrl+B); here it would push "Told" off an 80-column desk.
            self.add_column(t("reception.col.number"))
            self.add_column(t("reception.col.visitor"), width=VISITOR_WIDTH)
            self.add_column(t("reception.col.host"), width=HOST_WIDTH)
            self.add_column(t("reception.col.handoff"), width=TOLD_WIDTH)

        def fill():
            labels = post_labels(t)
            for v in visits:
                told = post_label(v.handoff_post, t, labels)
                yield (str(v.id), visitor_cell(v, t),
                       " ".join(x for x in (v.unit, v.host) if x), told), str(v.id)

        self.keep_cursor(fill)


class ExpectedTable(VisitTable):
    BINDINGS = [
        Binding("enter", "screen.expected_arrived", "reception.key.arrived", id="reception.arrived"),
    ]

    def show(self, rows, t, tz, now) -> None:
        if not self.columns:
            self.add_column(t("reception.col.time"))
            self.add_column(t("reception.col.visitor"), width=VISITOR_WIDTH)
            self.add_column(t("reception.col.host"), width=HOST_WIDTH)

        def fill():
            for e in rows:
                late = e.expected_at < now
                when = Text(f"{e.expected_at.astimezone(tz):%H:%M}", style="bold" if late else "")
                yield (when, salutation(e.name, e.honorific, t.language),
                       " ".join(x for x in (e.unit, e.host) if x)), str(e.id)

        self.keep_cursor(fill)


__all__ = ["ExpectedTable", "InBuildingTable", "QueueTable", "fmt_elapsed", "fmt_wait"]
