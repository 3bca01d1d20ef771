"""The list's columns (hidden, moved, kept for the next session) and copying the selected
rows as CSV or as citations, over a real catalogue and the real clipboard."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import csv
import io
from pathlib import Path

import pytest
from gui_conftest_helpers import close_window, make_event, open_window
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from belarchive.gui.main_window import MainWindow
from belarchive.gui.models.event_table import COLUMNS
from belarchive.gui.views.columns import column_menu, layout_state
from belarchive.services.catalogue import Catalogue

pytestmark = pytest.mark.gui
WAIT = 10_000


def _window(qtbot: QtBot, catalogue: Catalogue, tmp_path: Path) -> MainWindow:
    w = open_window(qtbot, catalogue, "anna", tmp_path)
    assert w.browser is not None
    qtbot.waitUntil(lambda: w.browser.model.rowCount() == 2, timeout=WAIT)  # type: ignore[union-attr]
    return w


@pytest.fixture
def two(catalogue: Catalogue) -> list[str]:
    return [make_event(catalogue, "anna", "=HYPERLINK(\"http://x\")", date="2020-11-15",
                       places=("Minsk",)),
            make_event(catalogue, "anna", "Chain of solidarity", date="2020-11-08",
                       places=("Grodno",))]  # fmt: skip


def test_columns_hidden_and_moved_come_back_next_session(
    qtbot: QtBot, catalogue: Catalogue, tmp_path: Path, two: list[str]
) -> None:
    w = _window(qtbot, catalogue, tmp_path)
    header = w.browser.table.horizontalHeader()  # type: ignore[union-attr]
    menu = column_menu(header)
    choosable = [c for c in COLUMNS if c != "match"]  # "match" is there while searching
    names = dict(zip(choosable, menu.actions(), strict=True))
    assert not names["title"].isEnabled()  # the titles cannot be hidden
    names["tags"].setChecked(False)
    header.moveSection(header.visualIndex(COLUMNS.index("status")), 0)
    assert layout_state(header)["order"][0] == "status"
    w.save_state()
    close_window(w)
    again = _window(qtbot, catalogue, tmp_path)
    try:
        state = layout_state(again.browser.table.horizontalHeader())  # type: ignore[union-attr]
        assert state["order"][0] == "status" and state["hidden"] == ["tags"]
    finally:
        close_window(again)


def test_copy_rows_as_csv_and_as_citations(qtbot: QtBot, catalogue: Catalogue, tmp_path: Path,
                                           two: list[str]) -> None:  # fmt: skip
    w = _window(qtbot, catalogue, tmp_path)
    try:
        browser = w.browser
        assert browser is not None
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for row in (0, 1):
            browser.table.selectionModel().select(browser.model.index(row, 0), flags)
        clipboard = QGuiApplication.clipboard()
        clipboard.clear()
        w.actions_.copy_csv.trigger()
        qtbot.waitUntil(lambda: "Copied 2 events" in w.statusBar().currentMessage(), timeout=WAIT)
        table = list(csv.reader(io.StringIO(clipboard.text())))
        assert table[0][:3] == ["Date", "Title", "Places"] and len(table) == 3
        titles = {r[1] for r in table[1:]}
        # A title that is a formula stays text in a spreadsheet.
        assert titles == {'\'=HYPERLINK("http://x")', "Chain of solidarity"}
        assert bytes(clipboard.mimeData().data("text/csv")).decode() == clipboard.text()
        w.statusBar().clearMessage()
        w.actions_.copy_citation.trigger()
        qtbot.waitUntil(lambda: "Copied 2 events" in w.statusBar().currentMessage(), timeout=WAIT)
        lines = clipboard.text().splitlines()
        assert len(lines) == 2 and all("belarchive catalogue “Test”" in line for line in lines)
        assert any(f"event {two[1]}" in line and "8 November 2020; Grodno" in line
                   for line in lines)  # fmt: skip
    finally:
        close_window(w)
