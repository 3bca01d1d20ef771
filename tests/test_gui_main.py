"""The main window over a real catalogue: browse, create through the editor, search, facets,
start-up on a fresh default catalogue, the single-instance lock, settings, translations."""

from __future__ import annotations

import os
import re

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gui_conftest_helpers import (
    WAIT_MS,
    close_window,
    make_event,
    open_window,
    wait_idle,
)
from PySide6.QtCore import QCoreApplication, Qt
from pytestqt.qtbot import QtBot

from belarchive.gui.main_window import MainWindow
from belarchive.gui.models.event_table import COLUMNS, UuidRole
from belarchive.gui.opening import CatalogueInUse, acquire_lock
from belarchive.gui.settings import GuiSettings
from belarchive.services.catalogue import Catalogue

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot: QtBot, catalogue: Catalogue, tmp_path: Path) -> Iterator[MainWindow]:
    make_event(catalogue, "olga", "Protest march in Minsk", date="2020-11-08",
               tags=("protest",), places=("Minsk",), language="en")  # fmt: skip
    make_event(catalogue, "olga", "Detentions at Pushkinskaya", date="2020-11-15",
               tags=("detention",), places=("Минск",), language="en")  # fmt: skip
    make_event(catalogue, "olga", "Statement of the ministry", date="2020-10",
               tags=("statement",), language="en")  # fmt: skip
    w = open_window(qtbot, catalogue, "olga", tmp_path, search=True)
    yield w
    close_window(w)


def titles(w: MainWindow) -> list[str]:
    assert w.browser is not None
    model = w.browser.model
    col = COLUMNS.index("title")
    return [model.index(r, col).data() for r in range(model.rowCount())]


def test_table_lists_events_newest_first_with_human_dates(window: MainWindow) -> None:
    assert titles(window)[:2] == ["Detentions at Pushkinskaya", "Protest march in Minsk"]
    model = window.browser.model  # type: ignore[union-attr]
    assert model.index(0, COLUMNS.index("date")).data() == "15 Nov 2020"
    assert model.index(2, COLUMNS.index("date")).data() == "Oct 2020"
    assert window.count_label.text() == "3 events match"
    assert "olga" in window.windowTitle() and "archivist" in window.user_label.text()


def test_sorting_runs_in_sql(window: MainWindow) -> None:
    table = window.browser.table  # type: ignore[union-attr]
    table.sortByColumn(COLUMNS.index("title"), Qt.SortOrder.AscendingOrder)
    assert titles(window) == sorted(titles(window), key=str.casefold)
    assert window.browser.model.sort_key == "title"  # type: ignore[union-attr]


def test_create_tag_and_save_through_editor(qtbot: QtBot, window: MainWindow) -> None:
    editor = window.editor
    assert editor is not None
    window.actions_.new_event.trigger()
    qtbot.keyClicks(editor.details.title, "Students detained at the university")
    qtbot.keyClicks(editor.details.date, "2020-10-12")
    assert editor.details.date_reading.text() == "12 October 2020"
    editor.details.tags.entry.setText("Detention")  # the English label, not the key
    editor.details.tags._commit_entry()
    editor.details.places.entry.setText("Μινσκ")  # any script finds the gazetteer entry
    editor.details.places._commit_entry()
    assert editor.details.values().tags == ("detention",)
    assert editor.details.values().places == ("minsk",)
    window.actions_.save.trigger()
    qtbot.waitUntil(lambda: "Students detained at the university" in titles(window),
                    timeout=WAIT_MS)  # fmt: skip
    wait_idle(qtbot, window)
    assert window.count_label.text() == "4 events match"
    assert editor.detail is not None and editor.detail.tags == ("detention",)
    assert window.browser.current_uuid() == editor.detail.uuid  # type: ignore[union-attr]


def test_facets_and_search_combine(qtbot: QtBot, window: MainWindow) -> None:
    browser = window.browser
    assert browser is not None
    qtbot.waitUntil(lambda: browser.facets._items[("tags", "protest")].text(1) == "1",
                    timeout=WAIT_MS)  # fmt: skip
    browser.facets.tick("places", "minsk")
    assert window.count_label.text() == "2 events match"
    browser.facets.tick("tags", "protest")
    assert titles(window) == ["Protest march in Minsk"]
    browser.facets.tick("tags", "protest", on=False)
    browser.facets.tick("places", "minsk", on=False)
    with qtbot.waitSignal(browser.search.results, timeout=WAIT_MS):
        browser.search.set_query("Pushkinskaya")
    assert titles(window) == ["Detentions at Pushkinskaya"]
    assert window.count_label.text() == "1 event matches"
    with qtbot.waitSignal(browser.search.results, timeout=WAIT_MS):
        browser.search.set_query('"unclosed')
    assert browser.search.message.isVisible() and browser.search.message.text()
    assert browser.model.rowCount() == 0
    with qtbot.waitSignal(browser.search.results, timeout=WAIT_MS):
        browser.search.set_query("")
    assert browser.model.rowCount() == 3 and not browser.search.message.isVisible()


def test_did_you_mean_is_clickable(qtbot: QtBot, window: MainWindow) -> None:
    search = window.browser.search  # type: ignore[union-attr]
    with qtbot.waitSignal(search.results, timeout=WAIT_MS):
        search.set_query("protets")
    assert search.suggestion.isVisible()
    href = re.search(r'href="([^"]+)"', search.suggestion.text()).group(1)  # type: ignore[union-attr]
    with qtbot.waitSignal(search.results, timeout=WAIT_MS):
        search.suggestion.linkActivated.emit(href)
    assert search.query == "protest"
    assert titles(window) == ["Protest march in Minsk"]


def test_selecting_a_row_opens_the_event(qtbot: QtBot, window: MainWindow) -> None:
    browser, editor = window.browser, window.editor
    assert browser is not None and editor is not None
    browser.table.selectRow(1)
    uuid = browser.model.index(1, 0).data(UuidRole)
    assert editor.uuid == uuid and editor.details.title.text() == "Protest march in Minsk"


def test_second_window_on_the_same_catalogue_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "Locked.belarchive"
    folder.mkdir()
    first = acquire_lock(folder)
    with pytest.raises(CatalogueInUse, match="already open"):
        acquire_lock(folder)
    first.unlock()
    acquire_lock(folder).unlock()


def test_settings_remember_catalogue_and_geometry(tmp_path: Path, window: MainWindow) -> None:
    window.resize(1111, 777)
    window.save_state()
    settings = GuiSettings(tmp_path / "gui-test.ini")
    settings.remember_catalogue(tmp_path / "A.belarchive")
    settings.remember_catalogue(tmp_path / "B.belarchive")
    again = GuiSettings(tmp_path / "gui-test.ini")
    assert again.last_catalogue == tmp_path / "B.belarchive"
    assert again.recent_catalogues[:2] == [tmp_path / "B.belarchive", tmp_path / "A.belarchive"]
    assert again.blob("geometry") is not None and again.blob("splitter") is not None


def test_app_starts_on_a_fresh_default_catalogue_with_the_sample(qtbot: QtBot) -> None:
    from belarchive.config import default_catalogue_path
    from belarchive.gui.app import launch

    window = launch(user="reviewer")
    qtbot.addWidget(window)
    try:
        assert window.isVisible()
        qtbot.waitUntil(lambda: window.ctx is not None, timeout=WAIT_MS)
        controller = window.controller  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: not controller.sample_running, timeout=60_000)
        wait_idle(qtbot, window)
        assert window.browser is not None
        qtbot.waitUntil(lambda: window.browser.model.rowCount() > 10, timeout=WAIT_MS)
        assert default_catalogue_path().exists()
        assert window.ctx.user == "reviewer"  # type: ignore[union-attr]
        assert window.settings.last_catalogue == default_catalogue_path()
    finally:
        window.shutdown()


def translations_tool() -> Any:
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "packaging" / "translations.py"
    spec = importlib.util.spec_from_file_location("belarchive_translations", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("lang", ["el", "ru", "be"])
def test_every_marked_string_is_translated(lang: str) -> None:
    """Every string marked in the code (tr(), _(), ngettext(), self.tr()) and every dossier
    label is in the language's catalogue, translated, without a broken placeholder."""
    assert translations_tool().problems(lang) == []


@pytest.mark.parametrize("lang", ["el", "ru", "be"])
def test_translations_keep_every_placeholder_and_markup(lang: str) -> None:
    """A broken placeholder ({nmae}) would raise or print a hole at run time: caught here."""
    from belarchive.gui.i18n import load_catalogue

    broken = []
    for source, text in load_catalogue(lang).items():
        for pattern in (r"\{[^}]*\}", r"</?\w+>", r"\n"):
            if sorted(re.findall(pattern, source)) != sorted(re.findall(pattern, text)):
                broken.append(f"{source!r} → {text!r}")
        if source.count("&") and text.count("&") != source.count("&"):
            broken.append(f"accelerator: {source!r} → {text!r}")
    assert not broken, "\n".join(broken)


def test_a_quick_answer_says_still_searching_until_the_complete_one(
    qtbot: QtBot, window: MainWindow, catalogue: Catalogue
) -> None:
    """A short prefix that stands for many words is first answered with its most common
    words, marked "still searching"; the complete answer (all of them) replaces it."""
    words = " ".join(f"zq{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(80))
    make_event(catalogue, "olga", "Many z-words", date="2020-11-20", language="en",
               description=words)  # fmt: skip
    make_event(catalogue, "olga", "A rare z-word", date="2020-11-21", language="en",
               description="zqzz")  # fmt: skip
    search = window.browser.search  # type: ignore[union-attr]
    seen: list[tuple[bool, str, int]] = []
    search.answered.connect(lambda res: seen.append(
        (search.is_complete(res), search.message.text(), len(res.uuids))))  # fmt: skip
    with qtbot.waitSignal(search.searching, timeout=WAIT_MS,
                          check_params_cb=lambda busy: not busy):  # fmt: skip
        search.set_query("zq*")
    assert seen[0][0] is False and seen[-1][0] is True
    assert window.browser.model.rowCount() == 2  # type: ignore[union-attr]
    assert not search.message.isVisible()
    assert "Still searching" in seen[0][1]  # the note shown with the quick answer


def test_a_string_missing_from_the_greek_catalogue_shows_in_english(qtbot: QtBot) -> None:
    # A blank button is worse than an English one: an unknown string (a new one of ours, or
    # Qt's own "%1"-style patterns) must fall through to its source text, never to "".
    from PySide6.QtCore import QCoreApplication

    from belarchive.gui import i18n

    app = QCoreApplication.instance()
    assert app is not None
    translator = i18n.install(app, "el")
    try:
        assert translator is not None
        assert i18n.tr("&File") == "&Αρχείο"
        assert i18n.tr("A phrase nobody translated") == "A phrase nobody translated"
        assert QCoreApplication.translate("QAbstractSpinBox", "Step &up") == "Step &up"
    finally:
        i18n.uninstall(app)


@pytest.mark.parametrize(
    ("lang", "help_menu", "qt_select_all"),
    [("ru", "&Справка", "Выделить всё"), ("be", "&Даведка", "Select All")],  # Qt has no be
)
def test_russian_and_belarusian_interfaces(
    qtbot: QtBot, lang: str, help_menu: str, qt_select_all: str
) -> None:
    from PySide6.QtCore import QCoreApplication

    from belarchive.gui import i18n

    app = QCoreApplication.instance()
    assert app is not None
    try:
        assert i18n.install(app, lang) is not None and i18n.current_language() == lang
        assert i18n.tr("&Help") == help_menu
        assert i18n.tr("A phrase nobody translated") == "A phrase nobody translated"
        # Qt's own strings (a text field's context menu) come from the translations Qt
        # ships, where it has them; otherwise English, never blank.
        assert QCoreApplication.translate("QLineEdit", "Select All") == qt_select_all
        # Dates Qt formats (the timeline's axis) follow the interface language too.
        from PySide6.QtCore import QDate, QLocale

        month = QLocale().toString(QDate(2020, 11, 8), "MMMM")
        assert month == {"ru": "ноябрь", "be": "лістапад"}[lang] or month.lower().startswith(
            {"ru": "ноя", "be": "ліс"}[lang]
        )
    finally:
        i18n.uninstall(app)
    assert i18n.tr("&Help") == "&Help"


def test_a_size_saved_on_a_bigger_screen_is_made_to_fit(qtbot: QtBot, tmp_path: Path) -> None:
    # A window saved at 2400×1500 far to the right of a desk monitor, reopened on a laptop.
    settings = GuiSettings(tmp_path / "moved.ini")
    big = MainWindow(settings)
    big.resize(2400, 1500)
    big.move(3000, 1800)
    settings.set_blob("geometry", big.saveGeometry())
    big.close()
    window = MainWindow(GuiSettings(tmp_path / "moved.ini"))
    qtbot.addWidget(window)
    free = window.screen().availableGeometry()
    assert window.width() <= free.width() and window.height() <= free.height()
    assert free.x() <= window.x() <= free.x() + free.width() - window.width()
    assert free.y() <= window.y() <= free.y() + free.height() - window.height()


def test_a_first_window_fits_the_screen(qtbot: QtBot, tmp_path: Path) -> None:
    # 1360×840 by default overflowed a 1366×768 laptop: the status bar was off-screen.
    window = MainWindow(GuiSettings(tmp_path / "fresh.ini"))
    qtbot.addWidget(window)
    free = window.screen().availableGeometry()
    assert window.width() <= free.width() and window.height() <= free.height() - 40
    assert window.x() >= free.x() and window.y() >= free.y()
    assert window.x() + window.width() <= free.x() + free.width()


def test_a_crowded_event_does_not_make_the_window_taller_than_a_laptop_screen(
    qtbot: QtBot, catalogue: Catalogue, tmp_path: Path
) -> None:
    """Selecting an event with many places, tags and a long text once grew the window to
    785 px, past a 1366×768 screen: every editor page scrolls instead."""
    places = ("Minsk", "Grodno", "Brest", "Gomel", "Vitebsk", "Mogilev", "Belarus", "Russia",
              "Lithuania", "Ukraine")  # fmt: skip
    uuid = make_event(catalogue, "olga", "Protests in every region", date="2020-12-20",
                      places=places, tags=("protest", "detention", "statement"),
                      description="Marches were dispersed. " * 200, language="en")  # fmt: skip
    w = open_window(qtbot, catalogue, "olga", tmp_path)
    try:
        assert w.browser is not None and w.editor is not None
        w.browser.select_uuid(uuid)
        assert w.editor.uuid == uuid
        QCoreApplication.processEvents()
        # A 1366×768 laptop leaves about 740 px under its panels, and the frame takes ~40.
        assert w.minimumSizeHint().height() <= 600, w.minimumSizeHint()
        for panel in (w.editor.details, w.editor.history, w.editor.verification):
            w.editor.show_tab(panel)
            assert w.minimumSizeHint().height() <= 600, (panel, w.minimumSizeHint())
    finally:
        close_window(w)
