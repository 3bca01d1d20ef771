"""Tab follows the screen and the focus can be seen: the main window's focus chain walked
with a real window, an event open in the editor."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from gui_conftest_helpers import close_window, make_event, open_window
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from belarchive.gui.main_window import MainWindow
from belarchive.services.catalogue import Catalogue

pytestmark = pytest.mark.gui


def focus_chain(window: MainWindow, start: QWidget) -> list[QWidget]:
    """The widgets Tab visits from ``start`` until it comes back to it."""
    start.setFocus()
    QApplication.processEvents()
    seen = [start]
    for _ in range(80):
        window.focusNextChild()
        QApplication.processEvents()
        current = QApplication.focusWidget()
        assert current is not None
        if current is start:
            return seen
        assert current not in seen, "Tab went round a loop that never comes back"
        seen.append(current)
    raise AssertionError("Tab never came back to where it started")


def test_tab_follows_the_screen(qtbot: QtBot, catalogue: Catalogue, tmp_path: Path) -> None:
    uuid = make_event(catalogue, "anna", "March", date="2020-11-15", tags=("protest",),
                      places=("Minsk",))  # fmt: skip
    window = open_window(qtbot, catalogue, "anna", tmp_path)
    try:
        browser, editor = window.browser, window.editor
        assert browser is not None and editor is not None
        qtbot.waitUntil(lambda: browser.select_event(uuid), timeout=10_000)
        qtbot.waitUntil(lambda: editor.uuid == uuid, timeout=10_000)
        chain = focus_chain(window, browser.search.edit)
        d = editor.details
        expected = [browser.search.edit, browser.table, editor.tabs.tabBar(), d.title, d.date,
                    d.language, d.places.entry, d.actors.entry, d.actor_role, d.tags.entry,
                    d.description, window.timeline.bucket_box,  # type: ignore[union-attr]
                    window.actions_.user_combo, browser.facets]  # fmt: skip
        positions = [chain.index(w) for w in expected]
        assert positions == sorted(positions), [type(w).__name__ for w in chain]
    finally:
        close_window(window)


def test_lists_show_the_focus_and_backspace_removes_a_chip(
    qtbot: QtBot, catalogue: Catalogue, tmp_path: Path
) -> None:
    window = open_window(qtbot, catalogue, "anna", tmp_path)
    try:
        browser, editor = window.browser, window.editor
        assert browser is not None and editor is not None
        for view in (browser.table, browser.facets):
            assert "QAbstractItemView:focus" in view.styleSheet()
        window.new_event()  # the fields take keys once an event is being written
        tags = editor.details.tags
        tags.set_values(["protest", "detention"])
        qtbot.keyClick(tags.entry, Qt.Key.Key_Backspace)
        assert tags.values() == ["protest"]
        tags.entry.setText("abc")
        qtbot.keyClick(tags.entry, Qt.Key.Key_Backspace)  # text first: the chip stays
        assert tags.values() == ["protest"] and tags.entry.text() == "ab"
    finally:
        close_window(window)


def test_custom_widgets_have_accessible_names(qtbot: QtBot, catalogue: Catalogue,
                                              tmp_path: Path) -> None:  # fmt: skip
    window = open_window(qtbot, catalogue, "anna", tmp_path)
    try:
        browser, editor = window.browser, window.editor
        assert browser is not None and editor is not None and window.timeline is not None
        d = editor.details
        named = [browser.table, browser.facets, browser.search.edit, d.places, d.actors,
                 d.tags, d.places.entry, window.timeline.chart]  # type: ignore[attr-defined]  # fmt: skip
        assert all(w.accessibleName().strip() for w in named), [
            type(w).__name__ for w in named if not w.accessibleName()]  # fmt: skip
        qtbot.waitUntil(lambda: bool(window.timeline.chart.accessibleDescription()),  # type: ignore[union-attr]
                        timeout=10_000)  # the chart says what it shows  # fmt: skip
    finally:
        close_window(window)
