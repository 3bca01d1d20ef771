"""The event browser's table model: a window onto a SQL listing, never all rows.

``rowCount`` is the SQL count; rows are fetched in pages of ``PAGE`` as the view asks for
them (a page costs 2-5 ms), and only the most recently used pages stay in memory. Sorting
re-runs the query with another ORDER BY; there is no proxy model over all rows.
"""

from __future__ import annotations

import calendar
import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor

from belarchive.domain.edtf_dates import MONTHS_EN, READINGS, human_reading
from belarchive.domain.values import QUALIFIER_SYMBOL, Qualifier
from belarchive.errors import ValidationError
from belarchive.gui.i18n import current_language, tr
from belarchive.gui.latest import LatestOnly
from belarchive.gui.models.order import ordered_uuids
from belarchive.services.catalogue import Catalogue
from belarchive.storage import queries
from belarchive.storage.queries import EventFilter, EventRow

log = logging.getLogger(__name__)
PAGE = 200
FAST_PAGES = 3  # pages near the top are fetched by OFFSET at once; deeper ones by UUID
ORDER_DELAY_MS = 250  # how long after a change of filter the whole order is read
MAX_PAGES = 40  # ~8,000 rows of plain tuples at most

COLUMNS = ("date", "title", "match", "places", "tags", "detained", "killed", "status",
           "sources")  # fmt: skip
# Columns whose header click sorts in SQL; the others keep the current order. "match"
# (shown while searching: where the words were found) sorts by relevance.
SORTABLE = {"date": "date", "title": "title", "match": "rank", "status": "status",
            "detained": "detained", "sources": "sources"}  # fmt: skip

STATUS_COLOURS = {
    "unverified": ("#5f6368", "#eceff1"),
    "in_review": ("#8a5a00", "#fff3cd"),
    "verified": ("#1e6b35", "#d8f0de"),
    "disputed": ("#9c3d00", "#ffe0cc"),
    "rejected": ("#8b1a1a", "#f6d5d5"),
}
UuidRole = Qt.ItemDataRole.UserRole + 1
StatusRole = Qt.ItemDataRole.UserRole + 2
SnippetRole = Qt.ItemDataRole.UserRole + 3  # the search snippet (text and highlights)


def column_titles() -> list[str]:
    return [tr("Date"), tr("Title"), tr("Found in text"), tr("Places"), tr("Type"),
            tr("Detained"), tr("Killed"), tr("Status"), tr("Sources")]  # fmt: skip


def status_label(status: str) -> str:
    return {"unverified": tr("unverified"), "in_review": tr("in review"),
            "verified": tr("verified"), "disputed": tr("disputed"),
            "rejected": tr("rejected")}.get(status, status)  # fmt: skip


# Short month names, so the table's date column stays narrow (English uses calendar's).
MONTHS_SHORT = {
    "el": ("Ιαν", "Φεβ", "Μαρ", "Απρ", "Μαΐ", "Ιουν", "Ιουλ", "Αυγ", "Σεπ", "Οκτ", "Νοε", "Δεκ"),
    "ru": ("янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"),
    "be": ("сту", "лют", "сак", "кра", "мая", "чэр", "ліп", "жні", "вер", "кас", "ліс", "сне"),
}


@lru_cache(maxsize=4096)
def date_text(edtf: str | None, lang: str) -> str:
    """The human reading, with short month names so the table's date column stays narrow."""
    if not edtf:
        return tr("undated")
    try:
        text = human_reading(edtf, lang)
    except ValidationError:
        return edtf
    words = READINGS.get(lang, READINGS["en"])
    text = text.replace(words.approximate, " ~")
    short = MONTHS_SHORT.get(lang)
    for m in range(1, 13):
        if short is None:
            text = text.replace(MONTHS_EN[m], calendar.month_abbr[m])
            continue
        for long in (words.in_date[m], words.alone[m]):
            text = text.replace(long, short[m - 1])
    return text


def figure_text(value: int | None, qualifier: str | None) -> str:
    if value is None:
        return ""
    try:
        symbol = QUALIFIER_SYMBOL[Qualifier(qualifier or "exact")]
    except ValueError:
        symbol = ""
    return f"{symbol}{value:,}".replace(",", "\u202f")  # narrow no-break space groups digits


def sort_is_rank(sort: str, f: EventFilter) -> bool:
    return sort == "rank" and f.uuids is not None


class EventTableModel(QAbstractTableModel):
    count_changed = Signal(int)  # the exact number of matching events
    counting = Signal()  # a provisional count: the exact one is on its way
    ids_loaded = Signal()
    want_snippets = Signal(list)  # uuids shown in the match column without a snippet

    def __init__(self, catalogue: Catalogue, parent: Any = None) -> None:
        super().__init__(parent)
        self.catalogue = catalogue
        self.filter = EventFilter()
        self.sort_key = "date"
        self.descending = True
        self._count = 0
        self._pages: OrderedDict[int, list[EventRow]] = OrderedDict()
        self.tag_labels: dict[str, str] = {}
        self.ids: list[str] | None = None  # the whole order, once loaded in the background
        self._generation = 0
        self._order_reads = LatestOnly(self)
        self._count_reads = LatestOnly(self)
        # The whole order is read a moment after a change of filter, not at once: what is on
        # screen (the first page, the counts, the facets, the map) is read first on two cores,
        # and facets ticked in a row read one order, not one each. Rows deeper than 600 wait
        # that moment longer.
        self._order_timer = QTimer(self, singleShot=True, interval=ORDER_DELAY_MS)
        self._order_timer.timeout.connect(self._read_order)
        self.exact = True  # False while the row count is provisional (counting)
        # Search snippets by uuid; rows shown without one are asked for (want_snippets),
        # a batch per event-loop turn, by whoever listens (the browser fetches them).
        self.snippets: dict[str, Any] = {}
        self._snippets_asked: set[str] = set()
        self._snippets_wanted: list[str] = []

    # -- the query --------------------------------------------------------------------------
    def set_catalogue(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.set_query(EventFilter(), "date", True)

    def set_query(self, f: EventFilter, sort: str | None = None,
                  descending: bool | None = None) -> None:  # fmt: skip
        """New filter or order: the first page at once, the count and order in the background.

        A short listing (under one page) is complete at once. A longer one shows its first
        page with a provisional row count; the exact count (10-60 ms on 100k events) arrives
        from the pool and extends the table without a reset, then the order loads.
        """
        self.beginResetModel()
        self.filter = f
        if sort is not None:
            self.sort_key = sort
        if descending is not None:
            self.descending = descending
        self._pages.clear()
        self._generation += 1
        self.ids = None
        first = self._fetch(0)
        self._count = len(first)
        self.exact = len(first) < PAGE
        self.endResetModel()
        if self.exact:
            self.count_changed.emit(self._count)
        else:
            self.counting.emit()
            self._request_count()

    def _request_count(self, then: Callable[[int], None] | None = None) -> None:
        """Count the listing on the pool, then ``then(count)`` (default: show the count)."""
        generation, cat, f = self._generation, self.catalogue, self.filter
        deliver = then or self._set_count

        def work() -> int:
            with cat.reader.connect() as conn:
                return queries.count_events(conn, f)

        def done(count: int) -> None:
            if generation == self._generation:  # else a newer query has replaced this one
                deliver(count)

        self._count_reads.request(work, done, lambda exc: log.error("count failed: %s", exc))

    def _set_count(self, count: int) -> None:
        if count > self._count:
            self.beginInsertRows(QModelIndex(), self._count, count - 1)
            self._count = count
            self.endInsertRows()
        elif count < self._count:
            self.beginRemoveRows(QModelIndex(), count, self._count - 1)
            self._count = count
            self.endRemoveRows()
        self.exact = True
        self.count_changed.emit(count)
        # Search results come ranked: their order is known unless SQL dropped some of them.
        uuids = self.filter.uuids
        if sort_is_rank(self.sort_key, self.filter) and not self.descending and uuids is not None:
            self.ids = list(uuids) if len(uuids) == count else None
        if self.ids is None:
            self._load_ids()

    def refresh(self, *, in_background: bool = False) -> None:
        """After a write: keep rows and selection in place when the count did not change.

        ``in_background``: count on the pool (after a large bulk edit: at 100k events the
        count held the window's thread ~30 ms). A single save counts here, since the
        editor's event is reselected from the refreshed rows straight after."""
        if in_background:
            self._request_count(self._refreshed)
            return
        with self.catalogue.reader.connect() as conn:
            self._refreshed(queries.count_events(conn, self.filter))

    def _refreshed(self, count: int) -> None:
        if count != self._count:
            self.set_query(self.filter)
            return
        self._pages.clear()
        self._changed_all()
        self._generation += 1
        self._load_ids()  # the order may have changed (an edited date or title)

    def _changed_all(self) -> None:
        if self._count:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(self._count - 1, len(COLUMNS) - 1))  # fmt: skip

    def _load_ids(self) -> None:
        """Load the full UUID order on the pool; deep rows wait for it (placeholders)."""
        if self._count <= FAST_PAGES * PAGE:
            self._order_timer.stop()
            return  # offset paging is cheap this near the top
        self._order_timer.start()

    def _read_order(self) -> None:
        generation, cat = self._generation, self.catalogue
        f, sort, desc = self.filter, self.sort_key, self.descending

        def work() -> list[str]:
            with cat.reader.connect() as conn:
                return ordered_uuids(conn, f, sort, desc)

        def done(ids: list[str]) -> None:
            if generation == self._generation and len(ids) == self._count:
                self.ids = ids
                self._changed_all()
                self.ids_loaded.emit()

        self._order_reads.request(work, done, lambda exc: log.error("listing order: %s", exc))

    def row_of(self, uuid: str) -> int | None:
        """The row showing ``uuid`` (after a save, to reselect it), if it is known."""
        if self.ids is not None:
            try:
                return self.ids.index(uuid)
            except ValueError:
                return None
        for number, rows in self._pages.items():
            for i, row in enumerate(rows):
                if row.uuid == uuid:
                    return number * PAGE + i
        return None

    def uuids_at(self, rows: list[int]) -> list[str] | None:
        """The events on ``rows``: from the listing's order when it is loaded, else from
        pages (only near the top: deeper rows wait for the order, so None)."""
        if self.ids is not None:
            return [self.ids[r] for r in rows if 0 <= r < len(self.ids)]
        found = [self.event_row(r) for r in rows]
        if any(row is None for row in found):
            return None
        return [row.uuid for row in found if row is not None]

    def event_row(self, row: int) -> EventRow | None:
        if not 0 <= row < self._count:
            return None
        number, offset = divmod(row, PAGE)
        page = self._pages.get(number)
        if page is None:
            if self.ids is None and number >= FAST_PAGES:
                return None  # shown as a blank row until the order arrives (a fraction of a s)
            page = self._fetch(number)
        else:
            self._pages.move_to_end(number)
        return page[offset] if offset < len(page) else None

    def _fetch(self, number: int) -> list[EventRow]:
        with self.catalogue.reader.connect() as conn:
            if self.ids is not None:
                window = self.ids[number * PAGE : (number + 1) * PAGE]
                page = queries.list_events(conn, replace(self.filter, uuids=window),
                                           sort="rank", limit=PAGE)  # fmt: skip
            else:
                page = queries.list_events(conn, self.filter, sort=self.sort_key,
                                           descending=self.descending, offset=number * PAGE,
                                           limit=PAGE)  # fmt: skip
        self._pages[number] = page
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        return page

    # -- Qt model ---------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # fmt: skip
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return column_titles()[section]
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.ToolTipRole and COLUMNS[section] not in SORTABLE:
            return tr("This column cannot be sorted.")
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # fmt: skip
        row = self.event_row(index.row()) if index.isValid() else None
        if row is None:
            return None
        column = COLUMNS[index.column()]
        if column == "match":
            return self._match(row.uuid, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == UuidRole:
            return row.uuid
        if role == StatusRole:
            return row.status
        if role == Qt.ItemDataRole.ToolTipRole and column in ("title", "places", "tags"):
            return self._display(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("detained", "killed",
                                                                    "sources"):  # fmt: skip
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == "status":
            return QColor(STATUS_COLOURS.get(row.status, ("#000", ""))[0])
        return None

    # -- search snippets ---------------------------------------------------------------------
    def set_snippets(self, snippets: dict[str, Any], *, replace_all: bool = False) -> None:
        if replace_all:
            self.snippets, self._snippets_asked = {}, set()
        self.snippets.update(snippets)
        self._snippets_asked.update(snippets)
        if self._count:
            column = COLUMNS.index("match")
            self.dataChanged.emit(self.index(0, column), self.index(self._count - 1, column))

    def _match(self, uuid: str, role: int) -> Any:
        snippet = self.snippets.get(uuid)
        if snippet is None:
            if self.filter.uuids is not None and uuid not in self._snippets_asked:
                self._snippets_asked.add(uuid)
                if not self._snippets_wanted:
                    QTimer.singleShot(0, self._ask_snippets)
                self._snippets_wanted.append(uuid)
            return None
        if role == SnippetRole:
            return snippet
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return snippet.text
        return None

    def _ask_snippets(self) -> None:
        wanted, self._snippets_wanted = self._snippets_wanted, []
        if wanted:
            self.want_snippets.emit(wanted)

    def text(self, row: EventRow, column: str) -> str:
        """What the list shows for ``row`` in ``column`` (copying uses the same words)."""
        return self._display(row, column)

    def _display(self, row: EventRow, column: str) -> str:
        match column:
            case "date":
                return date_text(row.date_edtf, current_language())
            case "title":
                return row.title
            case "places":
                return row.places
            case "tags":
                keys = [k.strip() for k in row.tags.split(",") if k.strip()]
                return ", ".join(self.tag_labels.get(k, k) for k in keys)
            case "detained":
                return figure_text(row.detained, row.detained_qualifier)
            case "killed":
                return figure_text(row.killed, None)
            case "status":
                return status_label(row.status)
            case "sources":
                return str(row.n_sources) if row.n_sources else ""
            case "match":
                snippet = self.snippets.get(row.uuid)
                return snippet.text if snippet is not None else ""
        return ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORTABLE.get(COLUMNS[column])
        if key is None:
            return
        self.set_query(self.filter, key, order == Qt.SortOrder.DescendingOrder)

    def with_filter(self, **changes: Any) -> EventFilter:
        return replace(self.filter, **changes)
