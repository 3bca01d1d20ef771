"""The list while searching: snippets, relevance as a sort, options, "nothing matches"."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from gui_conftest_helpers import WAIT_MS, close_window, make_event, open_window
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from belarchive.gui.main_window import MainWindow
from belarchive.gui.models.event_table import COLUMNS, SnippetRole
from belarchive.search import searching
from belarchive.services.catalogue import Catalogue

MATCH = COLUMNS.index("match")


@pytest.fixture
def window(qtbot: QtBot, catalogue: Catalogue, tmp_path: Path) -> Iterator[MainWindow]:
    make_event(catalogue, "olga", "Πορεία στο Μινσκ", date="2020-11-08", language="el",
               description="Η αστυνομία προχώρησε σε 340 συλλήψεις.",
               tags=("protest",))  # fmt: skip
    make_event(catalogue, "olga", "Συνταξιούχοι στους δρόμους", date="2020-12-14",
               language="el", description="Οι συλληφθέντες έφτασαν τους 80.")  # fmt: skip
    make_event(catalogue, "olga", "Πορείες στις γειτονιές", date="2020-11-29", language="el",
               description="Περισσότεροι από 170 προσήχθησαν από τις αρχές.")  # fmt: skip
    make_event(catalogue, "olga", "Δήλωση της ΕΕ", date="2020-12-01", language="el",
               description="Η ΕΕ καταδίκασε τη βία.", tags=("statement",))  # fmt: skip
    w = open_window(qtbot, catalogue, "olga", tmp_path, search=True)
    yield w
    close_window(w)


def _search(qtbot: QtBot, w: MainWindow, text: str) -> None:
    box = w.browser.search  # type: ignore[union-attr]
    with qtbot.waitSignal(box.searching, timeout=WAIT_MS, check_params_cb=lambda busy: not busy):
        box.set_query(text)
    qtbot.waitUntil(lambda: w.browser.model.exact, timeout=WAIT_MS)  # type: ignore[union-attr]


def _titles(w: MainWindow) -> list[str]:
    model = w.browser.model  # type: ignore[union-attr]
    return [model.index(r, COLUMNS.index("title")).data() for r in range(model.rowCount())]


def test_a_word_finds_its_family_and_shows_where(qtbot: QtBot, window: MainWindow) -> None:
    _search(qtbot, window, "συλληψη")
    assert sorted(_titles(window)) == ["Πορεία στο Μινσκ", "Πορείες στις γειτονιές",
                                       "Συνταξιούχοι στους δρόμους"]  # fmt: skip
    header = window.browser.table.horizontalHeader()  # type: ignore[union-attr]
    assert not header.isSectionHidden(MATCH) and header.sortIndicatorSection() == MATCH
    model = window.browser.model  # type: ignore[union-attr]
    marked = {model.index(r, MATCH).data(SnippetRole).marked() for r in range(3)}
    assert any("[προσήχθησαν]" in m for m in marked) and any("[συλληφθέντες]" in m for m in marked)
    # Only the words as typed: the family members are no longer found.
    box = window.browser.search  # type: ignore[union-attr]
    with qtbot.waitSignal(box.searching, timeout=WAIT_MS, check_params_cb=lambda busy: not busy):
        box.families_action.setChecked(False)
    qtbot.waitUntil(lambda: _titles(window) == ["Πορεία στο Μινσκ"], timeout=WAIT_MS)
    with qtbot.waitSignal(box.results, timeout=WAIT_MS):
        box.set_query("")
    assert header.isSectionHidden(MATCH)
    assert header.sortIndicatorSection() == COLUMNS.index("date")


def test_relevance_is_a_sort_like_the_others(qtbot: QtBot, window: MainWindow) -> None:
    _search(qtbot, window, "πορεία")
    ranked = _titles(window)
    header = window.browser.table.horizontalHeader()  # type: ignore[union-attr]
    header.setSortIndicator(COLUMNS.index("date"), Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: window.browser.model.sort_key == "date", timeout=WAIT_MS)  # type: ignore[union-attr]
    by_date = _titles(window)
    assert by_date[0] == "Πορεία στο Μινσκ" and sorted(by_date) == sorted(ranked)
    _search(qtbot, window, "πορεία OR δήλωση")  # the chosen order stays with a new query
    assert window.browser.model.sort_key == "date"  # type: ignore[union-attr]
    header.setSortIndicator(MATCH, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: window.browser.model.sort_key == "rank", timeout=WAIT_MS)  # type: ignore[union-attr]


def test_snippets_come_for_rows_scrolled_into_view(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(searching, "SNIPPET_HITS", 1)  # only the best hit comes with text
    _search(qtbot, window, "συλληψη")
    model = window.browser.model  # type: ignore[union-attr]
    window.browser.table.viewport().update()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: all(model.index(r, MATCH).data(SnippetRole) is not None
                                for r in range(model.rowCount())), timeout=WAIT_MS)  # fmt: skip


def test_nothing_matches_says_so_and_what_to_try(qtbot: QtBot, window: MainWindow) -> None:
    browser = window.browser
    assert browser is not None
    browser.facets.tick("tags", "statement")
    _search(qtbot, window, "πορεια")
    note = browser.search_view.empty
    qtbot.waitUntil(note.isVisible, timeout=WAIT_MS)
    assert "No events match" in note.text() and "unfilter" in note.text()
    note.linkActivated.emit("unfilter")  # the facets go, the search stays
    qtbot.waitUntil(lambda: len(_titles(window)) == 2, timeout=WAIT_MS)
    assert not note.isVisible() and browser.search.query == "πορεια"
    _search(qtbot, window, '"συλλήψεις στο Μινσκ"')
    qtbot.waitUntil(note.isVisible, timeout=WAIT_MS)
    assert "unquote" in note.text()
    note.linkActivated.emit("unquote")
    qtbot.waitUntil(lambda: _titles(window) == ["Πορεία στο Μινσκ"], timeout=WAIT_MS)


def test_a_refused_completion_keeps_the_quick_answer(
    qtbot: QtBot, window: MainWindow, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    from belarchive.gui.views import search_box
    from belarchive.search import ranking

    for day in (20, 21, 22):
        make_event(catalogue, "olga", f"Νέα {day}", date=f"2020-12-{day}", language="el",
                   description="Η αστυνομία συνέλαβε φοιτητές.")  # fmt: skip
    monkeypatch.setattr(search_box, "QUICK_LIMIT", 2)  # the quick answer: 2 of 3 matches
    monkeypatch.setattr(ranking, "PHRASE_WORK_LIMIT", 1)  # and the complete one refused
    box = window.browser.search  # type: ignore[union-attr]
    with qtbot.waitSignal(box.searching, timeout=WAIT_MS, check_params_cb=lambda busy: not busy):
        box.set_query('"αστυνομία συνέλαβε"')
    assert "without the quotes" in box.message.text() and box.message.isVisible()
    assert window.browser.model.rowCount() == 2  # type: ignore[union-attr]


def test_a_batch_still_indexed_apart_is_said_and_listed_once_searchable(
    qtbot: QtBot, window: MainWindow, catalogue: Catalogue
) -> None:
    """A large bulk edit returns at its commit and its process indexes the batch after:
    meanwhile a search says so, and lists the batch on its own once it is searchable."""
    from belarchive.search import api
    from belarchive.services.bulk_apart import BulkOp, perform
    from belarchive.storage.queries import EventFilter, filtered_uuids

    index = api.index_for(catalogue)
    with catalogue.reader.connect() as conn:
        statement = filtered_uuids(conn, EventFilter(tags=("statement",)))
    index.pause_for_outside()  # an earlier batch's process still indexing
    perform(catalogue, "olga", statement, op=BulkOp("tag_events", {"add": ["detention"]}),
            apart=True)  # fmt: skip
    _search(qtbot, window, "tag:detention")
    box = window.browser.search  # type: ignore[union-attr]
    assert _titles(window) == []
    assert "1 event changed by a bulk edit is still being indexed" in box.message.text()
    index.resume_after_outside()
    qtbot.waitUntil(lambda: _titles(window) == ["Δήλωση της ΕΕ"], timeout=WAIT_MS)
    assert "bulk edit" not in box.message.text()
