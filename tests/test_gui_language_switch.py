"""A new interface language applies at once: the window is rebuilt in that language and
takes over the open catalogue, its writer and its search index, showing the same facets,
query and event; unsaved edits are asked about first and never lost."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from gui_conftest_helpers import WAIT_MS, close_window, make_event, open_window, wait_idle
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from belarchive.gui import i18n
from belarchive.gui.app import Controller
from belarchive.gui.models.event_table import COLUMNS, UuidRole
from belarchive.services.catalogue import Catalogue

pytestmark = pytest.mark.gui


@pytest.fixture
def controller(qtbot: QtBot, catalogue: Catalogue, tmp_path: Path) -> Iterator[Controller]:
    make_event(catalogue, "olga", "Protest march in Minsk", date="2020-11-08",
               tags=("protest",), places=("Minsk",), language="en")  # fmt: skip
    make_event(catalogue, "olga", "Detentions in Minsk", date="2020-11-15",
               tags=("detention",), places=("Минск",), language="en")  # fmt: skip
    make_event(catalogue, "olga", "Statement in Grodno", date="2020-10-02",
               tags=("statement",), places=("Grodno",), language="en")  # fmt: skip
    window = open_window(qtbot, catalogue, "olga", tmp_path, search=True)
    made = Controller(window, window.settings, "olga", search=False)
    yield made
    close_window(made.window)
    app = QCoreApplication.instance()
    assert app is not None
    i18n.uninstall(app)


def _titles(controller: Controller) -> list[str]:
    browser = controller.window.browser
    assert browser is not None
    column = COLUMNS.index("title")
    return [browser.model.index(r, column).data() for r in range(browser.model.rowCount())]


def _menu_titles(controller: Controller) -> list[str]:
    return [a.text() for a in controller.window.menuBar().actions()]


def test_the_window_is_rebuilt_in_the_new_language_on_the_same_catalogue(
    qtbot: QtBot, controller: Controller, catalogue: Catalogue
) -> None:
    old = controller.window
    browser, ctx = old.browser, old.ctx
    assert browser is not None and ctx is not None
    qtbot.waitUntil(lambda: browser.facets._items[("places", "minsk")].text(1) == "2",
                    timeout=WAIT_MS)  # fmt: skip
    browser.facets.tick("places", "minsk")
    with qtbot.waitSignal(browser.search.results, timeout=WAIT_MS):
        browser.search.set_query("Minsk")
    assert sorted(_titles(controller)) == ["Detentions in Minsk", "Protest march in Minsk"]
    row = _titles(controller).index("Protest march in Minsk")
    browser.table.selectRow(row)
    chosen = browser.model.index(row, 0).data(UuidRole)
    assert "&File" in _menu_titles(controller)

    controller.settings.language = "ru"
    assert controller.apply_language("ru")

    new = controller.window
    assert new is not old and new.isVisible() and not old.isVisible()
    assert new.ctx is ctx and ctx.catalogue is catalogue  # no reopening, no signing in again
    assert "&Файл" in _menu_titles(controller) and "&File" not in _menu_titles(controller)
    assert new.browser is not None and new.editor is not None
    assert new.browser.facets.choice().places == ("minsk",)
    assert new.browser.search.edit.text() == "Minsk"
    qtbot.waitUntil(lambda: new.editor.uuid == chosen, timeout=WAIT_MS)  # type: ignore[union-attr]
    assert new.editor.details.title.text() == "Protest march in Minsk"
    assert sorted(_titles(controller)) == ["Detentions in Minsk", "Protest march in Minsk"]
    assert new.count_label.text() == i18n.tr("{n} events match").format(n="2") != "2 events match"

    # The writer and the change signal now serve the new window's views, and only them.
    before = new.browser.model.rowCount()
    new.browser.facets.tick("places", "minsk", on=False)
    with qtbot.waitSignal(new.browser.search.results, timeout=WAIT_MS):
        new.browser.search.set_query("")
    assert new.browser.model.rowCount() == 3 > before
    with qtbot.waitSignal(ctx.changed, timeout=WAIT_MS):
        make_event(catalogue, "olga", "Vigil in Brest", date="2020-11-20", language="en")
    qtbot.waitUntil(lambda: "Vigil in Brest" in _titles(controller), timeout=WAIT_MS)

    assert controller.apply_language("en")
    assert "&File" in _menu_titles(controller) and controller.window.ctx is ctx


def test_unsaved_edits_are_asked_about_and_kept_when_the_user_cancels(
    qtbot: QtBot, controller: Controller
) -> None:
    window = controller.window
    editor = window.editor
    assert editor is not None and window.browser is not None
    window.browser.table.selectRow(0)
    qtbot.keyClicks(editor.details.title, " (edited)")
    assert editor.dirty
    asked: list[str] = []

    def cancel() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        box.button(QMessageBox.StandardButton.Cancel).click()

    QTimer.singleShot(50, cancel)
    controller.settings.language = "be"
    assert not controller.apply_language("be")
    assert asked and controller.window is window and i18n.current_language() == "en"
    assert editor.dirty and " (edited)" in editor.details.title.text()
    assert "starts again" in window.statusBar().currentMessage()
    wait_idle(qtbot, window)


def test_choosing_greek_in_preferences_applies_it_at_once(
    qtbot: QtBot, controller: Controller
) -> None:
    from belarchive.gui.dialogs.preferences import PreferencesDialog

    def choose_greek() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PreferencesDialog)
        dialog.language.setCurrentIndex(dialog.language.findData("el"))
        dialog.accept()

    old = controller.window
    QTimer.singleShot(50, choose_greek)
    old.actions_.preferences.trigger()
    assert controller.window is not old and i18n.current_language() == "el"
    assert controller.settings.language == "el"
    assert i18n.tr("&File") in _menu_titles(controller) and i18n.tr("&File") != "&File"
    # The new window's own Preferences action reaches the controller too.
    QTimer.singleShot(50, lambda: QApplication.activeModalWidget().reject())  # type: ignore[union-attr]
    controller.window.actions_.preferences.trigger()
    assert i18n.current_language() == "el"
