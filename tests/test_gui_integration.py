"""The window's background work over real catalogues: the search index rebuilt off the writer
while people keep saving, the search text reaching the export dialog, and late background
answers for widgets that are gone."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from gui_conftest_helpers import WAIT_MS, close_window, make_event, open_window, wait_idle
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot
from support import PASSPHRASE

from belarchive.gui import indexing
from belarchive.gui.main_window import MainWindow
from belarchive.gui.models.event_table import COLUMNS
from belarchive.services import search_sync
from belarchive.services.catalogue import Catalogue

pytestmark = pytest.mark.gui


def titles(w: MainWindow) -> list[str]:
    assert w.browser is not None
    model, col = w.browser.model, COLUMNS.index("title")
    return [model.index(r, col).data() for r in range(model.rowCount())]


@pytest.fixture
def unindexed(tmp_path: Path) -> Path:
    """A closed catalogue of 40 events whose index folder was deleted."""
    path = tmp_path / "Big.belarchive"
    cat = Catalogue.create(path, admin="anna", passphrase=PASSPHRASE)
    for i in range(40):
        make_event(cat, "anna", f"Detentions in Hrodna, day {i}", date=f"2020-10-{1 + i % 28:02d}")
    search_sync.attach(cat)
    search_sync.detach(cat)
    index_dir = cat.index_dir
    cat.close()
    shutil.rmtree(index_dir)
    return path


def test_index_rebuilds_off_the_writer_and_misses_no_save(
    qtbot: QtBot, unindexed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from belarchive.gui.app import launch

    # Hold the rebuild in the middle (after its snapshot was taken) until the test lets go.
    release, reached = threading.Event(), threading.Event()
    real_open = indexing._open

    def held_open(cat: Catalogue, progress: Any, cancel: Any) -> Any:
        def hold(done: int, total: int) -> None:
            progress(done, total)
            reached.set()
            release.wait(30)

        return real_open(cat, hold, cancel)

    monkeypatch.setattr(indexing, "_open", held_open)
    window = launch(unindexed, user="anna")
    try:
        qtbot.waitUntil(lambda: window.ctx is not None and window.browser is not None,
                        timeout=WAIT_MS)  # fmt: skip
        ctx, browser, editor = window.ctx, window.browser, window.editor
        assert ctx is not None and browser is not None and editor is not None
        assert reached.wait(10)
        assert ctx.index.state == indexing.BUILDING
        qtbot.waitUntil(lambda: "Indexing 0 / 40" in window.statusBar().currentMessage(),
                        timeout=WAIT_MS)  # fmt: skip
        assert window.progress.isVisible()
        # The table answers and a save goes through while the rebuild holds.
        assert len(titles(window)) == 40
        window.actions_.new_event.trigger()
        qtbot.keyClicks(editor.details.title, "Students detained at the university of Vitebsk")
        qtbot.keyClicks(editor.details.date, "2020-10-12")
        window.actions_.save.trigger()
        qtbot.waitUntil(lambda: "Students detained at the university of Vitebsk"
                        in titles(window), timeout=WAIT_MS)  # fmt: skip
        wait_idle(qtbot, window)
        assert ctx.index.state == indexing.BUILDING  # the save did not wait for the index
        # A search waits and says why, without blocking or emptying the table.
        browser.search.set_query("Vitebsk")
        assert "being built" in browser.search.message.text()
        assert browser.search.message.isVisible() and len(titles(window)) == 41
        # Let the rebuild finish: it catches up, attaches, and the waiting search runs.
        with qtbot.waitSignal(browser.search.results, timeout=WAIT_MS):
            release.set()
        assert ctx.index.state == indexing.READY
        assert titles(window) == ["Students detained at the university of Vitebsk"]
        assert not browser.search.message.isVisible()
        assert not window.progress.isVisible()
        # From now on the listener keeps the index in step with every save.
        make_event(ctx.catalogue, "anna", "Vitebsk march", date="2020-10-20")
        with qtbot.waitSignal(browser.search.results, timeout=WAIT_MS):
            browser.search.run_now()
        assert sorted(titles(window)) == ["Students detained at the university of Vitebsk",
                                          "Vitebsk march"]  # fmt: skip
    finally:
        release.set()
        window.shutdown()
        window.close()


def test_quitting_cancels_a_rebuild(
    qtbot: QtBot, unindexed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from belarchive.gui.app import launch

    reached = threading.Event()
    real_open = indexing._open
    outcome: list[BaseException | None] = []

    def slow_open(cat: Catalogue, progress: Any, cancel: Any) -> Any:
        def hold(done: int, total: int) -> None:
            progress(done, total)
            reached.set()
            while not cancel():  # a long rebuild: only Cancel ends it early
                threading.Event().wait(0.01)

        try:
            result = real_open(cat, hold, cancel)
        except BaseException as exc:
            outcome.append(exc)
            raise
        outcome.append(None)
        return result

    monkeypatch.setattr(indexing, "_open", slow_open)
    window = launch(unindexed, user="anna")
    qtbot.waitUntil(lambda: window.ctx is not None, timeout=WAIT_MS)
    assert reached.wait(10)
    index_dir = window.ctx.catalogue.index_dir  # type: ignore[union-attr]
    window.shutdown()  # must not hang on the rebuild
    window.close()
    assert len(outcome) == 1 and type(outcome[0]).__name__ == "Cancelled"
    assert not index_dir.exists() or not any(index_dir.iterdir())  # nothing half-built kept


@pytest.fixture
def window(qtbot: QtBot, catalogue: Catalogue, tmp_path: Path) -> Iterator[MainWindow]:
    make_event(catalogue, "olga", "Protest march in Minsk", date="2020-11-08")
    make_event(catalogue, "olga", "Detentions at Pushkinskaya", date="2020-11-15")
    w = open_window(qtbot, catalogue, "olga", tmp_path, search=True)
    yield w
    close_window(w)


def test_export_dialog_gets_the_search_text(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from belarchive.gui.app import Controller
    from belarchive.gui.dialogs import export_dialog
    from belarchive.gui.dialogs.export_jobs import PdfChoices, dossier_options

    shown: list[export_dialog.ExportDialog] = []
    monkeypatch.setattr(export_dialog.ExportDialog, "exec", lambda self: shown.append(self) or 0)
    Controller(window, window.settings, None, search=False)
    browser = window.browser
    assert browser is not None
    with qtbot.waitSignal(browser.search.results, timeout=WAIT_MS):
        browser.search.set_query("Pushkinskaya")
    window.actions_.export.trigger()
    dialog = shown[0]
    assert dialog.query == "Pushkinskaya"
    assert dialog.filter.uuids is not None and len(dialog.filter.uuids) == 1
    assert "Pushkinskaya" in dialog.selection.text()
    assert dialog.status.text() == ""  # no "cannot use search results" warning any more
    options = dossier_options(dialog.filter, dialog.query, "olga", PdfChoices())
    assert options.query == "Pushkinskaya"
    dialog.deleteLater()


def test_late_timeline_answer_for_a_deleted_widget_is_dropped(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from belarchive.gui.widgets import timeline

    release = threading.Event()
    real_load = timeline.load_slots

    def slow_load(*args: Any) -> Any:
        release.wait(10)
        return real_load(*args)

    monkeypatch.setattr(timeline, "load_slots", slow_load)
    assert window.ctx is not None
    widget = timeline.TimelineWidget(window.ctx)  # its first read starts now, and waits
    answered: list[object] = []
    widget.loaded.connect(lambda: answered.append(True))
    shiboken6.delete(widget)
    release.set()
    assert QThreadPool.globalInstance().waitForDone(WAIT_MS)
    qtbot.wait(50)  # the queued answer is delivered (and must be dropped)
    assert not answered
