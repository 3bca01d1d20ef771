"""The facets sidebar: event type (tag tree), verification status, places, year/month.

Ticked items within one section are alternatives (OR); sections combine with each other and
with the search box (AND). Counts come from ``queries.facets`` on the current filter and are
computed off the GUI thread by the browser.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QMouseEvent, QPalette
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from belarchive.domain.values import Status
from belarchive.gui.i18n import tr
from belarchive.gui.models.event_table import status_label
from belarchive.storage.queries import WITHDRAWN, Facets

KeyRole = Qt.ItemDataRole.UserRole + 10
SECTIONS = ("tags", "statuses", "places", "months")


@dataclass
class FacetChoice:
    tags: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    months: tuple[str, ...] = field(default=())  # "2020" or "2020-11"

    def periods(self) -> tuple[tuple[date, date], ...]:
        """The ticked years and months as spans, any of which an event may fall in (values
        within a facet are alternatives): September and November leave October out.
        Touching or nested spans are joined."""
        spans = sorted(_span(key) for key in self.months)
        joined: list[tuple[date, date]] = []
        for first, last in spans:
            if joined and first <= joined[-1][1] + timedelta(days=1):
                joined[-1] = (joined[-1][0], max(joined[-1][1], last))
            else:
                joined.append((first, last))
        return tuple(joined)

    @property
    def empty(self) -> bool:
        return not (self.tags or self.statuses or self.places or self.months)


def _label(item: QTreeWidgetItem) -> str:
    return item.text(0)


def _span(key: str) -> tuple[date, date]:
    """ "2020" or "2020-11" as (first day, last day)."""
    year, _, month = key.partition("-")
    y = int(year)
    if not month:
        return date(y, 1, 1), date(y, 12, 31)
    m = int(month)
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


class FacetsView(QTreeWidget):
    choice_changed = Signal(object)  # FacetChoice

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("facets")
        self.setAccessibleName(tr("Filters"))
        self.setColumnCount(2)
        self.setHeaderHidden(True)
        self.header().setStretchLastSection(False)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.setUniformRowHeights(True)
        self._items: dict[tuple[str, str], QTreeWidgetItem] = {}
        self._sections: dict[str, QTreeWidgetItem] = {}
        titles = {"tags": tr("Event type"), "statuses": tr("Verification"),
                  "places": tr("Places"), "months": tr("Year and month")}  # fmt: skip
        for name in SECTIONS:
            item = QTreeWidgetItem(self, [titles[name], ""])
            font = item.font(0)
            font.setBold(True)
            item.setFont(0, font)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            item.setExpanded(name != "places")
            self._sections[name] = item
        for status in Status:
            self._add("statuses", status.value, status_label(status.value))
        # Withdrawn (deleted) events, listed only when this is ticked: the way back to one.
        self._add("statuses", WITHDRAWN, tr("withdrawn"))
        self.itemChanged.connect(self._on_item_changed)
        self.itemClicked.connect(self._on_clicked)
        self._pressed: tuple[QTreeWidgetItem, Qt.CheckState] | None = None
        self._titles = titles
        self._quiet = False

    # -- building ---------------------------------------------------------------------------
    def set_vocabulary(self, tags: list[tuple[str, str | None, str]],
                       places: dict[str, str]) -> None:  # fmt: skip
        """Tags as (key, parent key, label) parents first; places as key -> display name."""
        self._quiet = True
        for key, parent, label in tags:
            if ("tags", key) not in self._items:
                under = self._items.get(("tags", parent)) if parent else None
                self._add("tags", key, label, under)
            else:
                self._items[("tags", key)].setText(0, label)
        for key, name in sorted(places.items(), key=lambda kv: kv[1].casefold()):
            if ("places", key) not in self._items:
                self._add("places", key, name)
        self._quiet = False

    def _add(self, section: str, key: str, label: str,
             under: QTreeWidgetItem | None = None) -> QTreeWidgetItem:  # fmt: skip
        item = QTreeWidgetItem(under or self._sections[section], [label, ""])
        item.setData(0, KeyRole, key)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                      | Qt.ItemFlag.ItemIsSelectable)  # fmt: skip
        item.setCheckState(0, Qt.CheckState.Unchecked)
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
        self._items[(section, key)] = item
        return item

    def _month_item(self, key: str) -> QTreeWidgetItem:
        year = key[:4]
        if ("months", year) not in self._items:
            self._add("months", year, year)
        if len(key) > 4 and ("months", key) not in self._items:
            month_name = tr(calendar.month_name[int(key[5:7])])
            self._add("months", key, month_name, self._items[("months", year)])
        return self._items[("months", key)]

    # -- counts -----------------------------------------------------------------------------
    def set_counts(self, facets: Facets) -> None:
        self._quiet = True
        years: dict[str, int] = {}
        for month, n in facets.months.items():
            years[month[:4]] = years.get(month[:4], 0) + n
            self._month_item(month)
        for year in years:
            self._month_item(year)
        counts = {"tags": facets.tags, "statuses": facets.statuses, "places": facets.places,
                  "months": {**facets.months, **years}}  # fmt: skip
        grey = QBrush(QColor("#9aa0a6"))
        # A copy: palette().text() refers into a temporary palette (crashes PySide6 6.12).
        normal = QBrush(QColor(self.palette().color(QPalette.ColorRole.Text)))
        for (section, key), item in self._items.items():
            n = counts[section].get(key, 0)
            item.setText(1, f"{n:,}".replace(",", "\u202f") if n else "")
            ticked = item.checkState(0) == Qt.CheckState.Checked
            # A parent tag without events of its own is not empty when its children have some.
            active = n or ticked or self._has_counted_child(item, counts[section])
            item.setForeground(0, normal if active else grey)
            if section in ("places", "months"):
                # Empty places and months only clutter: hide them unless ticked.
                item.setHidden(not n and not ticked and not self._has_visible_child(item))
        self._quiet = False

    @staticmethod
    def _has_counted_child(item: QTreeWidgetItem, counts: dict[str, int]) -> bool:
        stack = [c for i in range(item.childCount()) if (c := item.child(i)) is not None]
        while stack:
            child = stack.pop()
            if counts.get(child.data(0, KeyRole), 0):
                return True
            stack.extend(g for i in range(child.childCount()) if (g := child.child(i)) is not None)
        return False

    @staticmethod
    def _has_visible_child(item: QTreeWidgetItem) -> bool:
        children = (item.child(i) for i in range(item.childCount()))
        return any(c is not None and not c.isHidden() for c in children)

    # -- choice -----------------------------------------------------------------------------
    def choice(self) -> FacetChoice:
        ticked: dict[str, list[str]] = {s: [] for s in SECTIONS}
        for (section, key), item in self._items.items():
            if item.checkState(0) == Qt.CheckState.Checked:
                ticked[section].append(key)
        return FacetChoice(*(tuple(sorted(ticked[s])) for s in SECTIONS))

    def tick(self, section: str, key: str, on: bool = True) -> None:
        """Tick or untick one item (keyboard users, tests)."""
        item = self._items[(section, key)] if section != "months" else self._month_item(key)
        item.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def set_choice(self, choice: FacetChoice) -> None:
        """Tick exactly ``choice`` (a window rebuilt in another language takes over the old
        one's); keys the vocabulary no longer has are left out. Emits the choice once."""
        self._quiet = True
        for item in self._items.values():
            item.setCheckState(0, Qt.CheckState.Unchecked)
        for section, keys in zip(SECTIONS, (choice.tags, choice.statuses, choice.places,
                                            choice.months), strict=True):  # fmt: skip
            for key in keys:
                found: QTreeWidgetItem | None = (
                    self._month_item(key)
                    if section == "months"
                    else self._items.get((section, key))
                )
                if found is not None:
                    found.setCheckState(0, Qt.CheckState.Checked)
        self._quiet = False
        self.choice_changed.emit(self.choice())

    def clear_choice(self) -> None:
        self._quiet = True
        for item in self._items.values():
            item.setCheckState(0, Qt.CheckState.Unchecked)
        self._quiet = False
        self.choice_changed.emit(self.choice())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        item = self.itemAt(event.position().toPoint())
        self._pressed = (item, item.checkState(0)) if item is not None else None
        super().mousePressEvent(event)

    def _on_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        """A click on a value's name or count ticks or unticks it, like its box: the box
        itself has already toggled by the time the click arrives, so only an unchanged
        state is toggled here."""
        pressed, self._pressed = self._pressed, None
        if item.data(0, KeyRole) is None or pressed is None or pressed[0] is not item:
            return
        if item.checkState(0) == pressed[1]:
            on = item.checkState(0) != Qt.CheckState.Checked
            item.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def summary(self) -> list[str]:
        """The ticked values by facet, as shown ("Places: Minsk, Grodno"), for the line
        above the list that says what it is filtered by."""
        parts = []
        for section in SECTIONS:
            shown = self._month_name if section == "months" else _label
            names = [shown(item) for (s, _key), item in self._items.items()
                     if s == section and item.checkState(0) == Qt.CheckState.Checked]  # fmt: skip
            if names:
                parts.append(f"{self._titles[section]}: {', '.join(names)}")
        return parts

    def _month_name(self, item: QTreeWidgetItem) -> str:
        parent = item.parent()
        if parent is None or parent.data(0, KeyRole) is None:
            return item.text(0)  # a year
        return f"{item.text(0)} {parent.text(0)}"

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if column == 0 and not self._quiet and item.data(0, KeyRole) is not None:
            self.choice_changed.emit(self.choice())
