"""Saved searches in the sidebar: save what the list shows, put it back, rename, remove."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from gui_conftest_helpers import WAIT_MS, close_window, make_event, open_window, wait_idle
from pytestqt.qtbot import QtBot

from belarchive.gui.main_window import MainWindow
from belarchive.gui.models.event_table import COLUMNS
from belarchive.gui.views import saved_list
from belarchive.services import saved_searches
from belarchive.services.catalogue import Catalogue


@pytest.fixture
def window(qtbot: QtBot, catalogue: Catalogue, tmp_path: Path) -> Iterator[MainWindow]:
    make_event(catalogue, "olga", "Συλλήψεις στο Μινσκ", date="2020-11-08", language="el",
               tags=("detention",), places=("minsk",))  # fmt: skip
    make_event(catalogue, "olga", "Συλλήψεις στο Γκρόντνο", date="2020-11-15", language="el",
               tags=("detention",), places=("grodno",))  # fmt: skip
    make_event(catalogue, "olga", "Δήλωση", date="2020-12-01", language="el",
               tags=("statement",))  # fmt: skip
    w = open_window(qtbot, catalogue, "olga", tmp_path, search=True)
    yield w
    close_window(w)


def _titles(w: MainWindow) -> list[str]:
    model = w.browser.model  # type: ignore[union-attr]
    return sorted(model.index(r, COLUMNS.index("title")).data() for r in range(model.rowCount()))


def _answer(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(saved_list.QInputDialog, "getText", lambda *a, **k: (text, True))


def test_save_put_back_rename_remove(
    qtbot: QtBot, window: MainWindow, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    browser = window.browser
    assert browser is not None
    saved = browser.saved
    assert not saved.list.isVisible()  # nothing saved yet: only the title and Save…
    browser.facets.tick("places", "minsk")
    box = browser.search
    with qtbot.waitSignal(box.searching, timeout=WAIT_MS, check_params_cb=lambda busy: not busy):
        box.set_query("συλληψη")
    qtbot.waitUntil(lambda: _titles(window) == ["Συλλήψεις στο Μινσκ"], timeout=WAIT_MS)
    _answer(monkeypatch, "Minsk arrests")
    saved.save_current()
    qtbot.waitUntil(lambda: saved.list.count() == 1, timeout=WAIT_MS)
    [stored] = saved_searches.list_searches(catalogue)
    assert stored.query == "συλληψη" and stored.filters.places == ("minsk",)

    browser.clear_filters()
    qtbot.waitUntil(lambda: len(_titles(window)) == 3, timeout=WAIT_MS)
    saved.list.itemClicked.emit(saved.list.item(0))
    qtbot.waitUntil(lambda: _titles(window) == ["Συλλήψεις στο Μινσκ"], timeout=WAIT_MS)
    assert box.query == "συλληψη" and browser.facets.choice().places == ("minsk",)

    _answer(monkeypatch, "Minsk, all arrests")
    saved._rename(saved.list.item(0))
    qtbot.waitUntil(lambda: saved.list.item(0).text() == "Minsk, all arrests", timeout=WAIT_MS)
    saved._remove(saved.list.item(0))
    qtbot.waitUntil(lambda: saved.list.count() == 0, timeout=WAIT_MS)
    assert not saved.list.isVisible()


def test_a_refused_save_says_why(
    qtbot: QtBot, window: MainWindow, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved_searches.save_search(catalogue, "anna", "Minsk", "place:minsk")
    saved = window.browser.saved  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: saved.list.count() == 1, timeout=WAIT_MS)  # another's save shows
    shown: list[str] = []
    monkeypatch.setattr(saved_list, "show_error", lambda _w, exc, title: shown.append(str(exc)))
    _answer(monkeypatch, "Minsk")
    saved.save_current()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS)
    assert "already" in shown[0] and saved.list.count() == 1
    saved._remove(saved.list.item(0))  # anna's: olga may not
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=WAIT_MS)
    assert "anna" in shown[1] and saved.list.count() == 1


def test_another_catalogue_brings_its_own_saved_searches(
    qtbot: QtBot, window: MainWindow, catalogue: Catalogue, tmp_path: Path
) -> None:
    from support import PASSPHRASE

    saved_searches.save_search(catalogue, "anna", "Minsk", "place:minsk")
    saved = window.browser.saved  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: saved.list.count() == 1, timeout=WAIT_MS)
    other = Catalogue.create(tmp_path / "Other.belarchive", admin="olga", passphrase=PASSPHRASE)
    saved_searches.save_search(other, "olga", "Grodno", "place:grodno")
    saved_searches.save_search(other, "olga", "Brest", "place:brest")
    window.ctx.set_catalogue(other)  # type: ignore[union-attr]
    assert sorted(saved.list.item(i).text() for i in range(saved.list.count())) == [
        "Brest", "Grodno"]  # fmt: skip
