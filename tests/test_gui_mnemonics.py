"""Alt+letter reaches one thing: no two menus, editor tabs or editor fields share a
mnemonic, in any interface language (Alt+F once meant both the File menu and the Figures
tab, Alt+D both the Details tab and the Date field)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re
from pathlib import Path

import pytest
from gui_conftest_helpers import close_window, make_event, open_window
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from belarchive.gui import i18n
from belarchive.gui.main_window import MainWindow
from belarchive.services.catalogue import Catalogue

pytestmark = pytest.mark.gui
_MNEMONIC = re.compile(r"&(\w)")


def mnemonics(w: MainWindow) -> dict[str, list[str]]:
    """Letter -> the texts that claim it: menus, editor tabs, labelled editor fields."""
    assert w.editor is not None
    texts = [a.text() for a in w.menuBar().actions()]
    texts += [w.editor.tabs.tabText(i) for i in range(w.editor.tabs.count())]
    texts += [label.text() for label in w.editor.details.findChildren(QLabel)
              if label.buddy() is not None]  # fmt: skip
    claimed: dict[str, list[str]] = {}
    for text in texts:
        found = _MNEMONIC.search(text.replace("&&", ""))
        if found:
            claimed.setdefault(found.group(1).lower(), []).append(text)
    return claimed


@pytest.mark.parametrize("lang", ["en", "el", "ru", "be"])
def test_no_two_places_share_an_alt_letter(
    qtbot: QtBot, catalogue: Catalogue, tmp_path: Path, lang: str
) -> None:
    make_event(catalogue, "olga", "Protest march in Minsk", date="2020-11-08", language="en")
    app = QCoreApplication.instance()
    assert app is not None
    i18n.install(app, lang)
    try:
        w = open_window(qtbot, catalogue, "olga", tmp_path)
        try:
            claimed = mnemonics(w)
            assert len(claimed) >= 15, claimed  # menus, six tabs, the fields: all have one
            shared = {k: v for k, v in claimed.items() if len(v) > 1}
            assert shared == {}, shared
            for top in w.menuBar().actions():  # and within each menu, its items
                items = [a.text() for a in top.menu().actions() if a.text()]  # type: ignore[union-attr]
                letters = [m.group(1).lower() for t in items
                           if (m := _MNEMONIC.search(t.replace("&&", "")))]  # fmt: skip
                assert len(letters) == len(set(letters)), (top.text(), items)
        finally:
            close_window(w)
    finally:
        i18n.uninstall(app)


def _letters(texts: list[str]) -> list[str]:
    return [m.group(1).lower() for t in texts if (m := _MNEMONIC.search(t.replace("&&", "")))]


@pytest.mark.parametrize("lang", ["en", "el", "ru", "be"])
def test_the_review_queue_and_the_verification_tab_have_one_letter_each(
    qtbot: QtBot, catalogue: Catalogue, tmp_path: Path, lang: str
) -> None:
    from PySide6.QtWidgets import QPushButton

    from belarchive.gui.editor.verification_tab import VerificationTab
    from belarchive.services import verification

    uuid = make_event(catalogue, "olga", "Protest march in Minsk", date="2020-11-08", cited=True)
    verification.set_status(catalogue, "olga", uuid, "in_review")
    app = QCoreApplication.instance()
    assert app is not None
    i18n.install(app, lang)
    try:
        w = open_window(qtbot, catalogue, "viktor", tmp_path)
        try:
            tab = VerificationTab()  # the editor's: every action a reviewer has
            tab.set_user("viktor", w.ctx.role)  # type: ignore[union-attr]
            texts = [b.text() for b in tab.buttons.values()]
            texts += [label.text() for label in tab.findChildren(QLabel) if label.buddy()]
            letters = _letters(texts)
            assert len(letters) == len(set(letters)) == 7, texts
            w.open_review_queue()
            queue = w.review_queue
            qtbot.waitUntil(lambda: queue.detail is not None, timeout=10_000)
            shown = [b.text() for b in queue.findChildren(QPushButton) if b.isVisibleTo(queue)]
            shown += [label.text() for label in queue.findChildren(QLabel) if label.buddy()]
            letters = _letters(shown)
            assert len(letters) == len(set(letters)) >= 7, shown
            queue.close()
        finally:
            close_window(w)
    finally:
        i18n.uninstall(app)
