"""Timeline, sources and annotations panels over a real temporary catalogue."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import hashlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from belarchive.gui.context import AppContext
from belarchive.gui.widgets.annotations_panel import AnnotationsPanel
from belarchive.gui.widgets.sources_panel import SourcesPanel
from belarchive.gui.widgets.timeline import TimelineWidget
from belarchive.services import events
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventInput, FigureInput
from belarchive.storage.detail import EventDetail, load_event_detail
from belarchive.storage.queries import EventFilter

pytestmark = pytest.mark.gui

# Three Sunday marches with arrests and two quiet weekdays (dates from the sample chronicle).
EVENTS = [("2020-11-05", 0), ("2020-11-08", 340), ("2020-11-13", 0), ("2020-11-15", 390),
          ("2020-11-29", 170)]  # fmt: skip


@pytest.fixture
def ctx(catalogue: Catalogue) -> Iterator[AppContext]:
    context = AppContext(catalogue, "anna", "admin")
    yield context
    context.shutdown()


def _add_events(cat: Catalogue) -> list[str]:
    out = []
    for day, detained in EVENTS:
        figures = (FigureInput("detained", detained, qualifier="at_least"),) if detained else ()
        data = EventInput(title=f"Event of {day}", date=day, tags=("protest",), figures=figures)
        out.append(events.create_event(cat, "anna", data).uuid)
    return out


def _detail(cat: Catalogue, uuid: str) -> EventDetail:
    with cat.session() as session:
        return load_event_detail(session, uuid)


def test_timeline_buckets_match_data_and_click_emits_period(qtbot: QtBot, ctx: AppContext) -> None:
    _add_events(ctx.catalogue)
    widget = TimelineWidget(ctx)
    qtbot.addWidget(widget)
    widget.resize(800, 200)
    widget.show()
    with qtbot.waitSignal(widget.loaded, timeout=5000):
        widget.set_bucket("week")
    assert widget.bucket == "week"
    by_week = {s.start: (s.events, s.detained) for s in widget.slots}
    assert by_week == {date(2020, 11, 2): (2, 340), date(2020, 11, 9): (2, 390),
                       date(2020, 11, 16): (0, 0), date(2020, 11, 23): (1, 170)}  # fmt: skip
    with qtbot.waitSignal(widget.loaded, timeout=5000):
        widget.set_bucket("auto")
    assert widget.bucket == "day"  # 25 days of data
    assert len(widget.slots) == 25
    peaks = sorted(widget.slots, key=lambda s: s.detained)[-3:]
    assert all(s.start.weekday() == 6 for s in peaks)  # the Sunday marches

    sunday = next(i for i, s in enumerate(widget.slots) if s.start == date(2020, 11, 15))
    centre = widget.chart.slot_centre(sunday).toPoint()
    with qtbot.waitSignal(widget.period_selected, timeout=2000) as blocker:
        qtbot.mouseClick(widget.chart, Qt.MouseButton.LeftButton, pos=centre)
    assert blocker.args == [date(2020, 11, 15), date(2020, 11, 15)]
    assert "390" in widget.chart.tooltip(sunday)

    with qtbot.waitSignal(widget.loaded, timeout=5000):
        widget.set_filter(EventFilter(date_from=date(2020, 11, 10)))
    assert sum(s.events for s in widget.slots) == 3
    # A committed write elsewhere refreshes the strip.
    with qtbot.waitSignal(widget.loaded, timeout=5000):
        ctx.write(
            lambda: events.create_event(
                ctx.catalogue, "anna", EventInput(title="Late", date="2020-12-06")
            )
        )
    assert sum(s.events for s in widget.slots) == 4
    assert widget.chart.slot_at(QPoint(-5, 0).x()) == -1


def test_cite_new_source_attach_and_recheck(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    uuid = _add_events(ctx.catalogue)[1]
    panel = SourcesPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.set_event(_detail(ctx.catalogue, uuid))
    panel.open_cite_dialog()
    qtbot.waitUntil(lambda: panel.cite_dialog is not None and panel.cite_dialog.isVisible(),
                    timeout=5000)  # fmt: skip
    dialog = panel.cite_dialog
    assert dialog is not None
    dialog.tabs.setCurrentIndex(1)
    form = dialog.new_form
    form.title.setText("Viasna: detentions on 8 November")
    form.publisher.setText("Viasna")
    form.url.setText("https://spring96.org/en/news/100000")
    form.published.setText("2020-11-3x")
    assert "EDTF" in form.published_hint.text()
    form.published.setText("2020-11-09")
    assert "✓" in form.published_hint.text()
    form.reliability.setCurrentIndex(1)
    dialog.locator.setText("para 2")
    dialog.credibility.setCurrentIndex(1)
    with qtbot.waitSignal(panel.cited, timeout=5000):
        dialog._try_accept()
    citation = panel.current_citation()
    assert citation is not None and citation.source.reliability == "B"
    assert citation.credibility == 2 and citation.locator == "para 2"

    copy = tmp_path / "viasna-page.html"
    copy.write_bytes("<html>Задержаны 340 человек</html>".encode())
    with qtbot.waitSignal(panel.attached, timeout=5000) as attached:
        panel.attach_path(copy)
    expected = hashlib.sha256(copy.read_bytes()).hexdigest()
    assert attached.args == [expected]
    qtbot.waitUntil(lambda: panel.sha.text() == expected, timeout=5000)
    assert panel.sha.isReadOnly()

    with qtbot.waitSignal(panel.hash_checked, timeout=5000) as checked:
        panel.recheck_hash()
    assert checked.args == [expected, "ok"]
    from belarchive.storage.filestore import blob_path

    blob_path(ctx.catalogue.files_dir, expected).write_bytes(b"tampered")
    with qtbot.waitSignal(panel.hash_checked, timeout=5000) as checked:
        panel.recheck_hash()
    assert checked.args == [expected, "changed"]


def test_cite_existing_source_with_search(qtbot: QtBot, ctx: AppContext) -> None:
    from belarchive.services import sources
    from belarchive.services.inputs import SourceInput

    uuid = _add_events(ctx.catalogue)[0]
    for title in ("Nasha Niva report", "Μέση Ανατολή νέα", "Reuters wire"):
        sources.add_source(ctx.catalogue, "anna", SourceInput(title=title))
    panel = SourcesPanel(ctx)
    qtbot.addWidget(panel)
    panel.set_event(_detail(ctx.catalogue, uuid))
    panel.open_cite_dialog()
    qtbot.waitUntil(lambda: panel.cite_dialog is not None, timeout=5000)
    dialog = panel.cite_dialog
    assert dialog is not None and dialog.list.count() == 3
    dialog.search.setText("μεση")  # accent- and case-insensitive
    assert dialog.list.count() == 1
    with qtbot.waitSignal(panel.cited, timeout=5000):
        dialog._try_accept()
    assert [c.source.title for c in panel.detail.citations] == ["Μέση Ανατολή νέα"]


def test_annotate(qtbot: QtBot, ctx: AppContext) -> None:
    uuid = _add_events(ctx.catalogue)[3]
    panel = AnnotationsPanel(ctx)
    qtbot.addWidget(panel)
    panel.set_event(_detail(ctx.catalogue, uuid))
    assert not panel.add_button.isEnabled()
    panel.passage.setText("συνέλαβε περίπου 390 άτομα")
    panel.text.setPlainText("Viasna counts 393; check the list.")
    assert panel.add_button.isEnabled()
    with qtbot.waitSignal(panel.annotated, timeout=5000):
        qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "393" in panel.notes_view.toPlainText(), timeout=5000)
    assert "anna" in panel.notes_view.toPlainText()
    assert "390" in panel.notes_view.toPlainText()
    notes = _detail(ctx.catalogue, uuid).annotations
    assert [(n.author, n.passage) for n in notes] == [("anna", "συνέλαβε περίπου 390 άτομα")]
    assert panel.text.toPlainText() == ""


def test_axis_arithmetic() -> None:
    from belarchive.gui.widgets.timeline_axis import auto_bucket, nice_top, period_end, ticks

    assert [nice_top(v) for v in (0, 1, 4, 5, 390, 1682)] == [2, 2, 4, 10, 400, 2000]
    assert ticks(400) == [0, 200, 400]
    assert auto_bucket(date(2020, 11, 1), date(2020, 12, 28)) == "day"
    assert auto_bucket(date(2020, 8, 1), date(2020, 12, 28)) == "week"
    assert auto_bucket(date(2019, 1, 1), date(2021, 12, 1)) == "month"
    assert period_end(date(2020, 2, 1), "month") == date(2020, 2, 29)
    assert period_end(date(2020, 11, 9), "week") == date(2020, 11, 15)
