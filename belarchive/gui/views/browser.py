"""The event browser: facets | (search box over the table). Owns the current filter.

The filter is the AND of the ticked facets, the timeline period and the search results
(an ordered UUID list). Counts per facet are computed on the thread pool; the table's own
count and pages are fast enough (a few ms) to run on the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from belarchive.gui.i18n import current_language, tr
from belarchive.gui.latest import LatestOnly
from belarchive.gui.models.event_table import (
    COLUMNS,
    STATUS_COLOURS,
    EventTableModel,
    StatusRole,
    UuidRole,
    status_label,
)
from belarchive.gui.views.columns import enable_choice
from belarchive.gui.views.facets import FacetChoice, FacetsView
from belarchive.gui.views.saved_list import SavedSearches
from belarchive.gui.views.search_box import SearchBox
from belarchive.gui.views.search_view import SearchView
from belarchive.storage import detail, queries
from belarchive.storage.queries import EventFilter

if TYPE_CHECKING:
    from belarchive.gui.context import AppContext
    from belarchive.services.changes import Change


@dataclass(frozen=True)
class ViewState:
    """What the user is looking at: carried over when the window is rebuilt (a new
    interface language applies at once)."""

    query: str
    choice: FacetChoice
    period: tuple[date | None, date | None]
    selected: str | None


TITLE_MIN_WIDTH = 116  # with the 2 px focus frame, the window at 1366 px still fits
SCAN_ROWS = 600  # select_event reads up to this many rows to find one (3 pages)
# From this many changed events on (a bulk edit), the list counts its rows on the pool.
LARGE_CHANGE = 1000
WIDTHS = {"date": 112, "places": 80, "tags": 92, "detained": 74, "killed": 54,
          "status": 100, "sources": 64}  # fmt: skip


class StatusBadge(QStyledItemDelegate):
    """Paints the status as a small coloured badge."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        status = index.data(StatusRole)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not status:
            super().paint(painter, option, index)
            return
        if option.state & QStyle.StateFlag.State_Selected:  # type: ignore[operator]
            painter.fillRect(option.rect, option.palette.highlight())
        fg, bg = STATUS_COLOURS.get(status, ("#000000", "#eeeeee"))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        width = option.fontMetrics.horizontalAdvance(text) + 14
        rect = QRectF(option.rect.x() + 4, option.rect.y() + 3, min(width, option.rect.width() - 8),
                      option.rect.height() - 6)  # fmt: skip
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(bg))
        painter.drawRoundedRect(rect, 7, 7)
        painter.setPen(QColor(fg))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()


def search_function(ctx: AppContext) -> Any:
    """The search package's entry point bound to the context, or None if it is missing."""
    try:
        from belarchive.search import api
    except ImportError:
        return None

    def run(text: str, filters: EventFilter | None = None, **options: Any) -> Any:
        return api.search(ctx.catalogue, text, filters=filters, **options)

    return run


class EventBrowser(QWidget):
    event_selected = Signal(object)  # uuid or None
    count_changed = Signal(int)
    counting = Signal()
    filter_changed = Signal(object)  # EventFilter
    facets_loaded = Signal()
    listing_changed = Signal()  # rows were listed anew (filter, sort, search, refresh)
    filters_cleared = Signal()  # "Clear filters": facets, period and search all let go

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = EventTableModel(ctx.catalogue, self)
        self.facets = FacetsView(self)
        self.table = self._make_table()
        self._search_fn = search_function(ctx)
        self.search = SearchBox(self._searcher() if self._search_fn else None, self)
        self.search_view = SearchView(self)  # snippets, relevance, "nothing matches"
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("browserSplitter")
        right = QWidget(self.splitter)
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.search)
        column.addWidget(self._filter_bar())
        column.addWidget(self.table)
        left = QWidget(self.splitter)
        side = QVBoxLayout(left)
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(2)
        self.saved = SavedSearches(self)  # the team's saved searches, above the facets
        side.addWidget(self.saved)
        side.addWidget(self.facets, 1)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([175, 760])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self._choice = FacetChoice()
        self._period: tuple[date | None, date | None] = (None, None)
        self._search_uuids: list[str] | None = None
        self._sort_chosen = False
        self._pending_select: str | None = None  # selected once a (searched) listing shows it
        self._facet_reads = LatestOnly(self)
        self.facets.choice_changed.connect(self._on_choice)
        self.search.results.connect(self._on_search)
        self.model.ids_loaded.connect(self._select_pending)
        # Every new listing (a filter, a sort by the header, a search, a count that changed)
        # keeps the selected event selected where it is still listed.
        self._before_reset: str | None = None
        self.model.modelAboutToBeReset.connect(self._remember_current)
        self.model.modelReset.connect(self._after_reset)
        self.model.count_changed.connect(self.count_changed)
        self.model.counting.connect(self.counting)
        ctx.changed.connect(self._on_change)
        ctx.catalogue_changed.connect(self._on_catalogue)
        index = getattr(ctx, "index", None)
        if index is not None:  # searches wait while the index is built (gui/indexing.py)
            index.changed.connect(self._on_index)
            index.progress.connect(lambda *_: self._on_index(index.state))
            self._on_index(index.state)
        self.load_vocabulary()
        self.apply_filter()

    def _filter_bar(self) -> QWidget:
        """A line that says what the list is filtered by, with a button to clear it all;
        hidden while nothing filters the list."""
        bar = QWidget(self)
        row = QHBoxLayout(bar)
        row.setContentsMargins(2, 0, 2, 0)
        self.filter_summary = QLabel(bar)
        self.filter_summary.setObjectName("filterSummary")
        self.filter_summary.setSizePolicy(QSizePolicy.Policy.Ignored,
                                          QSizePolicy.Policy.Preferred)  # fmt: skip
        self.clear_button = QPushButton(tr("Clear filters"), bar)
        self.clear_button.setObjectName("clearFilters")
        self.clear_button.clicked.connect(self.clear_filters)
        row.addWidget(self.filter_summary, 1)
        row.addWidget(self.clear_button)
        self.filter_bar = bar
        bar.hide()
        return bar

    def _update_filter_bar(self) -> None:
        parts = self.facets.summary()
        first, last = self._period
        if first or last:
            span = f"{first.isoformat() if first else '…'} – {last.isoformat() if last else '…'}"
            parts.append(tr("Period: {span}").format(span=span))
        if self.search.query:
            parts.append(tr("Search: “{query}”").format(query=self.search.query))
        text = " · ".join(parts)
        self.filter_summary.setText(text)
        self.filter_summary.setToolTip(text)
        self.filter_bar.setVisible(bool(parts))

    def saved_state(self) -> tuple[str, EventFilter, dict[str, bool]]:
        """What "Save search" keeps: the words, the list's filters, the search's options."""
        box = self.search
        options = {"word_families": box.word_families, "cross_script": box.cross_script}
        return box.query, self._base_filter(), options

    def has_list_filters(self) -> bool:
        """Whether facets or the timeline's period narrow the list besides the search."""
        return bool(self.facets.summary()) or self._period != (None, None)

    def clear_list_filters(self) -> None:
        """Untick every facet and let go of the period, keeping the search."""
        self._period, self._choice = (None, None), FacetChoice()
        self.facets.blockSignals(True)
        self.facets.clear_choice()
        self.facets.blockSignals(False)
        self._refilter()

    def clear_filters(self) -> None:
        """Untick every facet, let go of the timeline's period and the search."""
        self._period, self._choice = (None, None), FacetChoice()
        for quiet in (self.facets, self.search.edit):
            quiet.blockSignals(True)
        self.facets.clear_choice()
        self.search.edit.clear()
        for quiet in (self.facets, self.search.edit):
            quiet.blockSignals(False)
        self.search.run_now()  # no query: clears its notes; the list is listed anew
        self.filters_cleared.emit()

    def _make_table(self) -> QTableView:
        table = QTableView(self)
        table.setObjectName("eventTable")
        table.setAccessibleName(tr("Events"))
        table.setModel(self.model)
        table.setItemDelegateForColumn(COLUMNS.index("status"), StatusBadge(table))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Many rows can be selected for a bulk edit; the current row (the one with the
        # focus frame) is still the one event the editor shows.
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        # Fixed row heights: the view never measures rows, so it never asks for all of them.
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
        header = table.horizontalHeader()
        # The column titles get a selection of their own, always empty. To draw a title, Qt
        # asks the list's selection row by row whether the whole column is selected: 120,000
        # look-ups into the model for 10,000 selected rows at every repaint of the titles
        # (~110 ms on the window's thread when a bulk edit's progress showed). Whole rows are
        # selected here, never columns, so the answer was always no.
        header.setSelectionModel(QItemSelectionModel(self.model, header))
        header.setSortIndicator(COLUMNS.index("date"), Qt.SortOrder.DescendingOrder)
        for name, width in WIDTHS.items():
            # Never narrower than the column's name in the interface language ("Задержаны"
            # is longer than "Detained"), nor than the longest status badge.
            column = COLUMNS.index(name)
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            wanted = header.fontMetrics().horizontalAdvance(title) + 28
            if name == "status":
                badges = [status_label(s) for s in ("unverified", "in_review", "verified",
                                                    "disputed", "rejected")]  # fmt: skip
                wanted = max(wanted, *(table.fontMetrics().horizontalAdvance(b) + 26
                                       for b in badges))  # fmt: skip
            header.resizeSection(column, max(width, wanted))
        table.viewport().installEventFilter(self)  # resizes: give the title what is left
        header.sortIndicatorChanged.connect(lambda *_: setattr(self, "_sort_chosen", True))
        table.setSortingEnabled(True)
        enable_choice(header)  # right click on the header: columns shown; drag: their order
        table.selectionModel().currentRowChanged.connect(self._on_current)
        return table

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():
            self.fit_title()
            self.search_view.resized(self.table.viewport())
        return super().eventFilter(watched, event)

    def fit_title(self) -> None:
        """The title takes the width the other columns leave, but never less than 120 px
        (below that the table scrolls sideways rather than hiding every title). At 1366×768
        in Russian the other columns' names are long: a title of 180 px pushed the status,
        the column a reviewer reads first, out of view."""
        header = self.table.horizontalHeader()
        title, match = COLUMNS.index("title"), COLUMNS.index("match")
        others = sum(
            header.sectionSize(i)
            for i in range(len(COLUMNS))
            if i not in (title, match) and not header.isSectionHidden(i)
        )
        title_width, match_width = self.search_view.widths(
            self.table.viewport().width() - others, TITLE_MIN_WIDTH
        )
        header.resizeSection(title, title_width)
        if match_width:
            header.resizeSection(match, match_width)

    def _searcher(self) -> Any:
        fn = self._search_fn
        return lambda text, **options: fn(text, self._base_filter(), **options)

    def _on_index(self, _state: str) -> None:
        self.search.set_waiting(self.ctx.index.message())

    # -- filter -----------------------------------------------------------------------------
    def _base_filter(self) -> EventFilter:
        c = self._choice
        first, last = self._period  # the timeline's; the ticked months are c.periods()
        statuses = tuple(s for s in c.statuses if s != queries.WITHDRAWN)
        return EventFilter(date_from=first, date_to=last, tags=c.tags, places=c.places,
                           statuses=statuses, periods=c.periods(),
                           withdrawn=queries.WITHDRAWN in c.statuses)  # fmt: skip

    def current_filter(self) -> EventFilter:
        return replace(self._base_filter(), uuids=self._search_uuids)

    def apply_filter(self) -> None:
        f = self.current_filter()
        searching = f.uuids is not None
        sort, descending = self.model.sort_key, None
        if searching and not self._sort_chosen:
            sort, descending = "rank", False
        elif not searching and sort == "rank":
            sort, descending = "date", True  # the list's own order, as when it opened
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(COLUMNS.index("date"), Qt.SortOrder.DescendingOrder)
            header.blockSignals(False)
        pending, self._pending_select = self._pending_select, None
        self.search_view.listing(searching, sort == "rank")
        # Told first: the map's and the timeline's reads start on their threads while the
        # list reads its first page here (SQLite lets go of the interpreter lock meanwhile).
        self.filter_changed.emit(f)
        # The reset reselects the selected event where it is still listed (_after_reset).
        self.model.set_query(f, sort, descending)
        if pending and self.current_uuid() is None:
            self.select_event(pending)  # once: the first listing after restore_view
        self._load_facets(f)
        self._update_filter_bar()

    def set_period(self, first: date | None, last: date | None) -> None:
        """The timeline's period (None, None clears it)."""
        self._period = (first, last)
        self._refilter()

    def _on_choice(self, choice: FacetChoice) -> None:
        self._choice = choice
        self._refilter()

    def _refilter(self) -> None:
        if self.search.query:
            self.search.run_now()  # the search combines with the facets; it calls apply
        else:
            self.apply_filter()

    def _on_search(self, uuids: list[str] | None, _total: int) -> None:
        self._search_uuids = uuids
        if uuids is None:
            self._sort_chosen = False
        self.apply_filter()

    def _load_facets(self, f: EventFilter) -> None:
        cat = self.ctx.catalogue

        def work() -> queries.Facets:
            with cat.reader.connect() as conn:
                return queries.facets(conn, f)

        def done(result: queries.Facets) -> None:
            self.facets.set_counts(result)
            self.facets_loaded.emit()

        # 0.3-0.6 s on 100k events: only the newest filter's counts are computed and shown.
        self._facet_reads.request(work, done, self.ctx.error.emit)

    def load_vocabulary(self) -> None:
        lang = current_language()
        with self.ctx.catalogue.session() as session:
            tags = detail.list_tags(session)
            places = detail.list_places(session)
        labelled = [(k, parent, labels.get(lang) or labels.get("en") or k)
                    for k, parent, labels, _rep in tags]  # fmt: skip
        self.model.tag_labels = {k: label for k, _p, label in labelled}
        self.facets.set_vocabulary(labelled, {p.key: p.display_name for p in places})

    # -- view state -------------------------------------------------------------------------
    def view_state(self) -> ViewState:
        return ViewState(self.search.edit.text(), self._choice, self._period,
                         self.current_uuid())  # fmt: skip

    def restore_view(self, state: ViewState) -> None:
        """Show what ``state`` showed: the same query, ticks, period and selected event."""
        self._pending_select = state.selected
        self._period = state.period
        self.search.edit.setText(state.query)
        self.facets.set_choice(state.choice)  # refilters: runs the query or applies

    # -- selection --------------------------------------------------------------------------
    def current_uuid(self) -> str | None:
        index = self.table.currentIndex()
        return index.data(UuidRole) if index.isValid() else None

    def reselect(self, uuid: str | None) -> bool:
        row = self.model.row_of(uuid) if uuid else None
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)  # fmt: skip
        self.table.scrollTo(index)
        return True

    def contains(self, uuid: str) -> bool:
        """Whether ``uuid`` is in the listing (exactly: rows may not be fetched yet)."""
        f = self.model.filter
        if f.uuids is not None and uuid not in f.uuids:
            return False
        with self.ctx.catalogue.reader.connect() as conn:
            return queries.count_events(conn, replace(f, uuids=[uuid])) == 1

    def selected_uuids(self) -> list[str] | None:
        """The selected events in list order; None while a long listing's order is still
        loading (the rows are not known yet, and reading them here would block)."""
        ranges = self.table.selectionModel().selection()
        spans = (ranges.at(i) for i in range(ranges.count()))
        rows = sorted({row for r in spans for row in range(r.top(), r.bottom() + 1)})
        return self.model.uuids_at(rows)

    def clear_selection(self) -> None:
        """No row highlighted (a new event is being written, or the event is not listed)."""
        self._pending_select = None
        selection = self.table.selectionModel()
        selection.clearSelection()
        selection.clearCurrentIndex()

    def select_event(self, uuid: str) -> bool:
        """Select ``uuid``: now if its row is known, else once the listing's order has
        loaded (a deep row of a long listing). False when it is not in the listing."""
        self._pending_select = None
        if self.reselect(uuid):
            return True
        if not self.contains(uuid):
            return False
        # Near the top, fetch the rows now; deeper, wait for the listing's order (it loads
        # in the background) rather than reading pages on the GUI thread.
        if self.model.rowCount() <= SCAN_ROWS and self.select_uuid(uuid):
            return True
        self._pending_select = uuid
        return True

    def _remember_current(self) -> None:
        self._before_reset = self.current_uuid()

    def _after_reset(self) -> None:
        if self._before_reset is not None:
            self.reselect(self._before_reset)
        self.listing_changed.emit()

    def _select_pending(self) -> None:
        if self._pending_select is not None and self.reselect(self._pending_select):
            self._pending_select = None

    def select_uuid(self, uuid: str) -> bool:
        """Select ``uuid`` if it is in the current listing (fetching pages near the top)."""
        if self.reselect(uuid):
            return True
        for row in range(min(self.model.rowCount(), 2000)):
            event_row = self.model.event_row(row)
            if event_row and event_row.uuid == uuid:
                return self.reselect(uuid)
        return False

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.event_selected.emit(current.data(UuidRole) if current.isValid() else None)

    def focus_search(self) -> None:
        self.search.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.edit.selectAll()

    # -- changes ----------------------------------------------------------------------------
    def refresh(self, *, large: bool = False) -> None:
        """Re-read after a write; ``large``: many events changed (a bulk edit), whose count
        is read on the pool."""
        if self.search.query:
            self.search.run_now()
            return
        self.model.refresh(in_background=large)
        self._load_facets(self.current_filter())
        self.listing_changed.emit()

    def _on_change(self, change: Change) -> None:
        if change.vocabulary:
            self.load_vocabulary()
        if change.events or change.vocabulary:
            self.refresh(large=len(change.events) >= LARGE_CHANGE)

    def _on_catalogue(self, catalogue: Any) -> None:
        self.model.set_catalogue(catalogue)
        self.search.edit.clear()
        self._search_uuids = None
        self.facets.clear_choice()
        self.load_vocabulary()
        self.apply_filter()
