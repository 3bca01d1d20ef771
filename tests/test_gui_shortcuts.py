"""Every action has keys, no two share them, and Help → Keyboard shortcuts lists them all."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from gui_conftest_helpers import close_window, make_event, open_window
from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from belarchive.gui.actions import widget_keys
from belarchive.gui.dialogs.shortcuts import ShortcutsDialog
from belarchive.services.catalogue import Catalogue

pytestmark = pytest.mark.gui


def test_every_menu_action_has_its_own_keys_and_the_page_lists_them(
    qtbot: QtBot, catalogue: Catalogue, tmp_path: Path
) -> None:
    make_event(catalogue, "olga", "Protest march in Minsk", date="2020-11-08", language="en")
    w = open_window(qtbot, catalogue, "olga", tmp_path)
    try:
        keys: dict[str, str] = {}
        for top in w.menuBar().actions():
            menu = top.menu()
            assert isinstance(menu, QMenu)
            for action in menu.actions():
                if action.isSeparator() or action.menu() is not None:
                    continue  # the recent catalogues list
                shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.PortableText)
                assert shortcut, f"{action.text()} has no shortcut"
                assert shortcut not in keys, (shortcut, keys.get(shortcut), action.text())
                keys[shortcut] = action.text()
        assert len(keys) >= 20

        shown: list[ShortcutsDialog] = []

        def look() -> None:
            dialog = QApplication.activeModalWidget()
            assert isinstance(dialog, ShortcutsDialog)
            shown.append(dialog)
            dialog.reject()

        QTimer.singleShot(50, look)
        w.actions_.shortcuts.trigger()
        table = shown[0].table
        listed = {table.item(r, 1).text() for r in range(table.rowCount())}  # type: ignore[union-attr]
        assert "Edit → Save" in listed and "View → Clear filters" in listed
        assert table.rowCount() == len(keys) + len(widget_keys())  # and keys inside one widget
    finally:
        close_window(w)


def test_clear_filters_has_a_key(qtbot: QtBot, catalogue: Catalogue, tmp_path: Path) -> None:
    make_event(catalogue, "olga", "Protest march in Minsk", date="2020-11-08",
               tags=("protest",), language="en")  # fmt: skip
    w = open_window(qtbot, catalogue, "olga", tmp_path)
    try:
        assert w.browser is not None
        qtbot.waitUntil(lambda: w.browser.facets._items[("tags", "protest")].text(1) == "1")  # type: ignore[union-attr]
        w.browser.facets.tick("tags", "protest")
        assert w.browser.filter_bar.isVisible()
        w.actions_.clear_filters.trigger()
        assert w.browser.facets.choice().empty and not w.browser.filter_bar.isVisible()
    finally:
        close_window(w)
