"""Facets as people expect them: values within a facet are alternatives (two months),
a click on a value's name ticks it, one button clears every filter and a line says what
filters the list, and the timeline's sums follow the list."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from gui_conftest_helpers import WAIT_MS, close_window, make_event, open_window
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from belarchive.gui.main_window import MainWindow
from belarchive.gui.models.event_table import UuidRole
from belarchive.gui.views.facets import FacetChoice
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import FigureInput
from belarchive.storage import queries
from belarchive.storage.queries import EventFilter

pytestmark = pytest.mark.gui


@pytest.fixture
def made(catalogue: Catalogue) -> dict[str, str]:
    def event(title: str, day: str, detained: int, **kw: object) -> str:
        return make_event(catalogue, "olga", title, date=day, language="en",
                          figures=(FigureInput("detained", detained),), **kw)  # fmt: skip

    return {
        "september": event("Women's march", "2020-09-19", 30, tags=("protest",),
                           places=("Minsk",)),
        "october": event("Students detained", "2020-10-12", 50, tags=("detention",),
                         places=("Minsk",)),
        "november": event("Sunday march", "2020-11-08", 340, tags=("protest",),
                          places=("Grodno",)),
        "late_november": event("Pensioners' march", "2020-11-30", 12, tags=("protest",)),
    }  # fmt: skip


@pytest.fixture
def window(
    qtbot: QtBot, catalogue: Catalogue, made: dict[str, str], tmp_path: Path
) -> Iterator[MainWindow]:
    w = open_window(qtbot, catalogue, "olga", tmp_path, search=True)
    assert w.browser is not None
    qtbot.waitUntil(lambda: ("months", "2020-11") in w.browser.facets._items, timeout=WAIT_MS)  # type: ignore[union-attr]
    yield w
    close_window(w)


def listed(w: MainWindow) -> set[str]:
    assert w.browser is not None
    model = w.browser.model
    return {model.index(r, 0).data(UuidRole) for r in range(model.rowCount())}


def test_two_months_of_a_facet_are_alternatives_not_a_span(
    window: MainWindow, made: dict[str, str]
) -> None:
    browser = window.browser
    assert browser is not None
    browser.facets.tick("months", "2020-09")
    browser.facets.tick("months", "2020-11")
    assert listed(window) == {made["september"], made["november"], made["late_november"]}
    browser.facets.tick("tags", "protest")
    browser.facets.tick("tags", "detention")  # either tag
    assert made["october"] not in listed(window)  # October is not between the months
    browser.facets.tick("months", "2020-10")
    assert listed(window) == set(made.values())


def test_the_query_layer_reads_periods_as_alternatives(
    catalogue: Catalogue, made: dict[str, str]
) -> None:
    choice = FacetChoice(months=("2020-09", "2020-11", "2020-12"))
    assert choice.periods() == ((date(2020, 9, 1), date(2020, 9, 30)),
                                (date(2020, 11, 1), date(2020, 12, 31)))  # fmt: skip
    with catalogue.reader.connect() as conn:
        rows = queries.list_events(conn, EventFilter(periods=choice.periods()), limit=50)
    assert {r.uuid for r in rows} == {made["september"], made["november"], made["late_november"]}


def _click_label(qtbot: QtBot, window: MainWindow, section: str, key: str) -> None:
    facets = window.browser.facets  # type: ignore[union-attr]
    item = facets._items[(section, key)]
    facets.scrollToItem(item)
    rect = facets.visualItemRect(item)
    # On the words, well to the right of the box.
    where = QPoint(rect.left() + min(rect.width() - 5, 70), rect.center().y())
    QTest.mouseClick(facets.viewport(), Qt.MouseButton.LeftButton, pos=where)


def test_clicking_a_values_name_ticks_and_unticks_it(
    qtbot: QtBot, window: MainWindow, made: dict[str, str]
) -> None:
    facets = window.browser.facets  # type: ignore[union-attr]
    _click_label(qtbot, window, "tags", "detention")
    assert facets.choice().tags == ("detention",)
    assert listed(window) == {made["october"]}
    _click_label(qtbot, window, "tags", "detention")
    assert facets.choice().tags == ()
    assert listed(window) == set(made.values())


def test_one_button_clears_facets_period_and_search_and_a_line_says_what_filters(
    qtbot: QtBot, window: MainWindow, made: dict[str, str]
) -> None:
    browser = window.browser
    assert browser is not None
    assert not browser.filter_bar.isVisible()
    browser.facets.tick("places", "minsk")
    window.set_period(date(2020, 9, 1), date(2020, 9, 30))
    with qtbot.waitSignal(browser.search.results, timeout=WAIT_MS):
        browser.search.set_query("march")
    assert listed(window) == {made["september"]}
    summary = browser.filter_summary.text()
    assert browser.filter_bar.isVisible()
    assert "Places: Minsk" in summary and "2020-09-01 – 2020-09-30" in summary
    assert "“march”" in summary
    with qtbot.waitSignal(browser.search.results, timeout=WAIT_MS):
        browser.clear_button.click()
    assert listed(window) == set(made.values())
    assert browser.facets.choice().empty and browser.search.query == ""
    assert browser._period == (None, None) and not window.period_button.isVisible()
    assert not browser.filter_bar.isVisible()


def test_the_timeline_sums_what_the_list_shows(
    qtbot: QtBot, window: MainWindow, made: dict[str, str]
) -> None:
    timeline = window.timeline
    browser = window.browser
    assert timeline is not None and browser is not None
    qtbot.waitUntil(lambda: "4 dated events, 432 detained" in timeline.summary.text(),  # type: ignore[attr-defined]
                    timeout=WAIT_MS)  # fmt: skip
    with qtbot.waitSignal(timeline.loaded, timeout=WAIT_MS):  # type: ignore[attr-defined]
        browser.facets.tick("months", "2020-11")
    assert "2 dated events, 352 detained" in timeline.summary.text()  # type: ignore[attr-defined]
    with qtbot.waitSignal(timeline.loaded, timeout=WAIT_MS):  # type: ignore[attr-defined]
        timeline.refresh()  # type: ignore[attr-defined]
        # While it sums again, the last sums are not shown as the selection's.
        assert timeline.summary.text() == "Counting…"  # type: ignore[attr-defined]
    assert "2 dated events, 352 detained" in timeline.summary.text()  # type: ignore[attr-defined]
    # The chart still spans every month around, so another period can be picked.
    assert len(timeline.slots) > 2  # type: ignore[attr-defined]
    with qtbot.waitSignal(browser.search.results, timeout=WAIT_MS):
        browser.search.set_query("Sunday")
    qtbot.waitUntil(lambda: "1 dated events, 340 detained" in timeline.summary.text(),  # type: ignore[attr-defined]
                    timeout=WAIT_MS)  # fmt: skip


def test_a_search_keeps_to_the_ticked_months(
    qtbot: QtBot, window: MainWindow, made: dict[str, str]
) -> None:
    browser = window.browser
    assert browser is not None
    browser.facets.tick("months", "2020-09")
    browser.facets.tick("months", "2020-11")
    with qtbot.waitSignal(browser.search.results, timeout=WAIT_MS):
        browser.search.set_query("march OR detained")
    assert listed(window) == {made["september"], made["november"], made["late_november"]}
