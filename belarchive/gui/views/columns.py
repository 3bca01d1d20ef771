"""The list's columns: shown or hidden from the header's right-click menu, dragged into any
order, and the choice kept between sessions (``MainWindow`` stores ``layout_state``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHeaderView, QMenu

from belarchive.gui.models.event_table import COLUMNS, column_titles

ALWAYS = "title"  # a list without titles says nothing: this column cannot be hidden
# Shown exactly while a search lists the events (search_view.py), so not the user's choice.
SEARCH_ONLY = "match"


def enable_choice(header: QHeaderView) -> None:
    header.setSectionsMovable(True)
    header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    header.customContextMenuRequested.connect(lambda pos: column_menu(header).popup(
        header.mapToGlobal(QPoint(pos))))  # fmt: skip


def column_menu(header: QHeaderView) -> QMenu:
    menu = QMenu(header)
    menu.setObjectName("columnMenu")
    for logical, (name, title) in enumerate(zip(COLUMNS, column_titles(), strict=True)):
        if name == SEARCH_ONLY:
            continue
        action = QAction(title, menu)
        action.setCheckable(True)
        action.setChecked(not header.isSectionHidden(logical))
        action.setEnabled(name != ALWAYS)
        action.toggled.connect(lambda shown, i=logical: header.setSectionHidden(i, not shown))
        menu.addAction(action)
    return menu


def layout_state(header: QHeaderView) -> dict[str, list[str]]:
    """The columns in the order shown, and those hidden, by name (stable across versions
    that add columns, unlike Qt's saved header state)."""
    order = [COLUMNS[header.logicalIndex(v)] for v in range(header.count())]
    hidden = [
        COLUMNS[i]
        for i in range(header.count())
        if header.isSectionHidden(i) and COLUMNS[i] != SEARCH_ONLY
    ]
    return {"order": order, "hidden": hidden}


def apply_layout(header: QHeaderView, state: Any) -> None:
    """Put back a saved ``layout_state``; names it does not know are ignored."""
    if not isinstance(state, dict):
        return
    order = [n for n in state.get("order", []) if n in COLUMNS]
    for visual, name in enumerate(order):
        header.moveSection(header.visualIndex(COLUMNS.index(name)), visual)
    for i, name in enumerate(COLUMNS):
        if name != SEARCH_ONLY:
            header.setSectionHidden(i, name in state.get("hidden", []) and name != ALWAYS)
