"""Saved searches in the sidebar: the team's named queries with their filters.

A click (or Enter) puts a saved search back: its words, its ticked facets, its period
and its search options. "Save…" names what the list shows now. Renaming and removing are
in the item's context menu, for its author or an admin (the service decides; a refusal is
shown). Writes go through the writer thread; the list follows every change, whoever made
it, through the context's change signal.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from belarchive.gui.errors import show_error
from belarchive.gui.i18n import tr
from belarchive.services import saved_searches
from belarchive.storage import queries

if TYPE_CHECKING:
    from belarchive.gui.views.browser import EventBrowser
    from belarchive.services.changes import Change
    from belarchive.services.saved_searches import SavedSearchView

UuidRole = Qt.ItemDataRole.UserRole + 1


def months_of(periods: tuple[tuple[date, date], ...]) -> tuple[str, ...]:
    """The facet keys ("2020-11") of the whole months a saved filter's periods cover."""
    keys: list[str] = []
    for first, last in periods:
        day = first.replace(day=1)
        while day <= last:
            keys.append(f"{day.year}-{day.month:02d}")
            day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return tuple(dict.fromkeys(keys))


class SavedSearches(QWidget):
    def __init__(self, browser: EventBrowser) -> None:
        super().__init__(browser)
        self.browser = browser
        self.setObjectName("savedSearches")
        title = QLabel(tr("Saved searches"), self)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        # An icon, not a word: the sidebar is narrow, and "Захаваць…" did not fit beside
        # its title at 1366 px.
        self.save_button = QToolButton(self)
        self.save_button.setObjectName("saveSearch")
        self.save_button.setIcon(self.style().standardIcon(
            QStyle.StandardPixmap.SP_DialogSaveButton))  # fmt: skip
        self.save_button.setToolTip(tr("Save the search and filters the list shows now"))
        self.save_button.setAccessibleName(tr("Save…"))
        self.save_button.clicked.connect(self.save_current)
        self.list = QListWidget(self)
        self.list.setObjectName("savedSearchList")
        self.list.setAccessibleName(tr("Saved searches"))
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._menu)
        self.list.itemActivated.connect(self._open)
        self.list.itemClicked.connect(self._open)
        head = QHBoxLayout()
        head.setContentsMargins(4, 2, 2, 0)
        head.addWidget(title, 1)
        head.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(head)
        layout.addWidget(self.list)
        self.searches: dict[str, SavedSearchView] = {}
        browser.ctx.changed.connect(self._on_change)
        browser.ctx.catalogue_changed.connect(lambda _cat: self.reload())  # another catalogue
        self.reload()

    # -- the list -----------------------------------------------------------------------------
    def reload(self) -> None:
        found = saved_searches.list_searches(self.browser.ctx.catalogue)
        self.searches = {s.uuid: s for s in found}
        self.list.clear()
        for s in found:
            item = QListWidgetItem(s.name, self.list)
            item.setData(UuidRole, s.uuid)
            item.setToolTip(
                tr("“{query}”, saved by {author}").format(query=s.query, author=s.created_by)
            )
        self.list.setVisible(bool(found))
        # As tall as its names (five at most, then it scrolls): the facets keep the room.
        rows = max(1, min(len(found), 5))
        self.list.setFixedHeight(self.list.sizeHintForRow(0) * rows + 2 * self.list.frameWidth()
                                 if found else 0)  # fmt: skip

    def _on_change(self, change: Change) -> None:
        if change.searches:
            self.reload()

    def _open(self, item: QListWidgetItem) -> None:
        saved = self.searches.get(item.data(UuidRole))
        if saved is not None:
            self.apply(saved)

    def apply(self, saved: SavedSearchView) -> None:
        """Put a saved search back: its options, words, facets and period, then list."""
        from belarchive.gui.views.browser import ViewState
        from belarchive.gui.views.facets import FacetChoice

        box, f = self.browser.search, saved.filters
        for action, key in ((box.families_action, "word_families"),
                            (box.scripts_action, "cross_script")):  # fmt: skip
            action.blockSignals(True)
            action.setChecked(bool(saved.options.get(key, True)))
            action.blockSignals(False)
        choice = FacetChoice(tags=f.tags, statuses=statuses_of(f), places=f.places,
                             months=months_of(f.periods))  # fmt: skip
        self.browser.restore_view(ViewState(saved.query, choice, (f.date_from, f.date_to),
                                            self.browser.current_uuid()))  # fmt: skip

    # -- writes -------------------------------------------------------------------------------
    def save_current(self) -> None:
        query, filters, options = self.browser.saved_state()
        name, ok = QInputDialog.getText(self, tr("Save search"),
                                        tr("Name of the saved search:"),
                                        text=query[:60])  # fmt: skip
        if not ok:
            return
        ctx = self.browser.ctx
        ctx.write(lambda: saved_searches.save_search(ctx.catalogue, ctx.user, name, query,
                                                     filters, options),
                  None, self._failed(tr("The search was not saved")),
                  label="saved search")  # fmt: skip

    def _menu(self, pos: QPoint) -> None:
        item = self.list.itemAt(pos)
        if item is None:
            return
        menu = QMenu(self)
        menu.addAction(tr("&Rename…"), lambda: self._rename(item))
        menu.addAction(tr("Re&move"), lambda: self._remove(item))
        menu.popup(self.list.mapToGlobal(pos))

    def _rename(self, item: QListWidgetItem) -> None:
        name, ok = QInputDialog.getText(self, tr("Rename saved search"), tr("New name:"),
                                        text=item.text())  # fmt: skip
        if ok:
            ctx, uuid = self.browser.ctx, item.data(UuidRole)
            ctx.write(lambda: saved_searches.rename_search(ctx.catalogue, ctx.user, uuid, name),
                      None, self._failed(tr("The search was not renamed")),
                      label="saved search")  # fmt: skip

    def _remove(self, item: QListWidgetItem) -> None:
        ctx, uuid = self.browser.ctx, item.data(UuidRole)
        ctx.write(lambda: saved_searches.remove_search(ctx.catalogue, ctx.user, uuid),
                  None, self._failed(tr("The search was not removed")),
                  label="saved search")  # fmt: skip

    def _failed(self, title: str) -> Any:
        return lambda exc: show_error(self, exc, title)


def statuses_of(f: queries.EventFilter) -> tuple[str, ...]:
    """The verification facet's ticks for a saved filter (withdrawn is one of them)."""
    return tuple(f.statuses) + ((queries.WITHDRAWN,) if f.withdrawn else ())
