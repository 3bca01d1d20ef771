"""The map: the selected events by place, on the borders of Belarus and its neighbours.

Markers are sized by the number of events or of people reported detained (one figure per
incident: storage/map_queries.py). The map follows the list's filters; clicking a marker
ticks or unticks that place among the filters. Borders come from a shipped file (offline);
if an installation lacks it, the map says so and the rest of the window works.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from belarchive.domain.map_data import Outline, Projection, outline
from belarchive.errors import BelarchiveError
from belarchive.gui.i18n import tr
from belarchive.gui.latest import LatestOnly, WhenSeen
from belarchive.storage.map_queries import PlaceMap, PlaceTotal
from belarchive.storage.queries import EventFilter

if TYPE_CHECKING:
    from belarchive.gui.context import AppContext
    from belarchive.gui.main_window import MainWindow
    from belarchive.services.changes import Change

LAND, HOME, BORDER, WATER = QColor("#eceff1"), QColor("#ffffff"), QColor("#9aa3ab"), QColor(
    "#dfe9f3")  # fmt: skip
MARKER = {"events": QColor(66, 110, 180, 150), "detained": QColor(183, 48, 48, 150)}
MAX_RADIUS, MIN_RADIUS = 24.0, 3.5


def country_names() -> dict[str, str]:
    """The neighbours named on the map (the others are drawn, not named)."""
    return {"BY": tr("Belarus"), "PL": tr("Poland"), "LT": tr("Lithuania"), "LV": tr("Latvia"),
            "RU": tr("Russia"), "UA": tr("Ukraine")}  # fmt: skip


class MapCanvas(QWidget):
    clicked = Signal(str)  # place key

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setMinimumSize(260, 180)
        self.setAccessibleName(tr("Map of the selected events by place"))
        self.outline: Outline | None = None
        self.totals: list[PlaceTotal] = []
        self.chosen: set[str] = set()
        self.measure = "events"
        self.current = -1  # the marker the keyboard is on (index in markers()), -1: none
        # Keyboard: Tab reaches the map, arrows go from place to place (largest first),
        # Enter or Space filters by the place, as a click does.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._paths: tuple[tuple[float, float], list[tuple[str, QPainterPath]]] | None = None

    def projection(self) -> Projection:
        return Projection(float(self.width()), float(self.height()))

    def _country_paths(self) -> list[tuple[str, QPainterPath]]:
        """One path per country, made again only when the size changes."""
        size = (float(self.width()), float(self.height()))
        if self._paths is None or self._paths[0] != size:
            assert self.outline is not None
            project = self.projection().point
            paths = []
            for country in self.outline.countries:
                path = QPainterPath()
                for ring in country.rings:
                    path.moveTo(QPointF(*project(*ring[0])))
                    for lon, lat in ring[1:]:
                        path.lineTo(QPointF(*project(lon, lat)))
                    path.closeSubpath()
                paths.append((country.code, path))
            self._paths = (size, paths)
        return self._paths[1]

    def markers(self) -> list[tuple[PlaceTotal, QPointF, float]]:
        """(place, centre, radius), largest first so small markers are drawn on top."""
        if self.outline is None or not self.totals:
            return []
        project = self.projection().point
        values = [t.detained if self.measure == "detained" else t.events for t in self.totals]
        top = max(values, default=0) or 1
        out = []
        for t, value in zip(self.totals, values, strict=True):
            if value <= 0:
                continue
            radius = MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt(value / top)
            out.append((t, QPointF(*project(t.lon, t.lat)), radius))
        return sorted(out, key=lambda m: -m[2])

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), WATER)
        if self.outline is None:
            return
        names = country_names()
        for code, path in self._country_paths():
            painter.setPen(QPen(BORDER, 1.2 if code == "BY" else 0.8))
            painter.setBrush(HOME if code == "BY" else LAND)
            painter.drawPath(path)
            if code != "BY" and code in names:
                painter.setPen(BORDER)
                box = path.boundingRect().intersected(QRectF(self.rect()))
                painter.drawText(box, Qt.AlignmentFlag.AlignCenter, names[code])
        markers = self.markers()
        for total, centre, radius in markers:
            chosen = total.key in self.chosen
            painter.setPen(QPen(QColor("#202124"), 2.0 if chosen else 0.8))
            painter.setBrush(MARKER[self.measure])
            painter.drawEllipse(centre, radius, radius)
        if self.hasFocus() and 0 <= self.current < len(markers):
            total, centre, radius = markers[self.current]
            painter.setPen(QPen(self.palette().highlight().color(), 2.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(centre, radius + 4, radius + 4)
            painter.drawText(QPointF(centre.x() + radius + 7, centre.y() + 4), total.name)

    def place_at(self, point: QPointF) -> PlaceTotal | None:
        # The smallest marker under the pointer: it is the one drawn on top.
        for total, centre, radius in reversed(self.markers()):
            if math.dist((point.x(), point.y()), (centre.x(), centre.y())) <= radius + 2:
                return total
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        total = self.place_at(event.position())
        if total is None:
            QToolTip.hideText()
            self.unsetCursor()
            return
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        text = tr("{place}: {events} events, {detained} detained (click to filter)").format(
            place=total.name, events=total.events, detained=total.detained)  # fmt: skip
        QToolTip.showText(event.globalPosition().toPoint(), text, self)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        markers = self.markers()
        step = {Qt.Key.Key_Right: 1, Qt.Key.Key_Down: 1, Qt.Key.Key_Left: -1,
                Qt.Key.Key_Up: -1}.get(Qt.Key(event.key()))  # fmt: skip
        if step is not None and markers:
            self.current = (self.current + step) % len(markers)
            total = markers[self.current][0]
            self.setAccessibleDescription(
                tr("{place}: {events} events, {detained} detained (click to filter)").format(
                    place=total.name, events=total.events, detained=total.detained))  # fmt: skip
            self.update()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and (
                0 <= self.current < len(markers)):  # fmt: skip
            self.clicked.emit(markers[self.current][0].key)
        else:
            super().keyPressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        total = self.place_at(event.position())
        if total is not None and event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(total.key)


class MapView(QWidget):
    """The dock's content: the measure to size markers by, the map, a line of words."""

    place_clicked = Signal(str)
    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.filter = EventFilter()
        self.canvas = MapCanvas(self)
        self.canvas.clicked.connect(self.place_clicked)
        self.measure = QComboBox(self)
        self.measure.setObjectName("mapMeasure")
        self.measure.addItem(tr("Size: events"), "events")
        self.measure.addItem(tr("Size: detained"), "detained")
        self.measure.currentIndexChanged.connect(self._measure_changed)
        self.summary = QLabel(self)
        self.summary.setObjectName("mapSummary")
        # A thread of its own: on the shared pool the map's read waited behind the facet
        # counts of the same filter change (1.1 s instead of ~0.15 s at 100k events).
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._reads = LatestOnly(self, self._pool)
        # What the map knows of every event, read once per state of the catalogue: ((the
        # catalogue, the change count it was read at), the index). Written by the read
        # thread, only used when its key is the current one: a change's drop holds.
        self._changes = 0
        self._index: tuple[tuple[object, int], PlaceMap] | None = None
        self._reload = QTimer(self, singleShot=True, interval=150)
        self._when_seen = WhenSeen(self, self.refresh)
        self._reload.timeout.connect(self._when_seen.request)
        head = QHBoxLayout()
        head.addWidget(self.summary, 1)
        head.addWidget(self.measure)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addLayout(head)
        layout.addWidget(self.canvas, 1)
        try:
            self.canvas.outline = outline()
        except BelarchiveError as exc:  # an installation without the map's data file
            self.summary.setText(exc.message)
            self.summary.setWordWrap(True)
        ctx.changed.connect(self._on_change)

    def set_filter(self, f: EventFilter) -> None:
        self.filter = f
        self.canvas.chosen = set(f.places)
        self._when_seen.request()  # at once: LatestOnly drops overtaken answers

    def _on_change(self, change: Change) -> None:
        if change.events or change.vocabulary:
            self._changes += 1
            self._reload.start()

    def _measure_changed(self) -> None:
        self.canvas.measure = str(self.measure.currentData())
        self.canvas.update()

    def refresh(self) -> None:
        if self.canvas.outline is None:
            return
        cat, f = self.ctx.catalogue, self.filter
        key = (cat, self._changes)

        def read() -> list[PlaceTotal]:
            with cat.reader.connect() as conn:
                index = self._index
                if index is None or index[0] != key:
                    index = (key, PlaceMap.read(conn))
                    self._index = index
                return index[1].totals(conn, f)

        self._reads.request(read, self._shown, self.ctx.error.emit)

    def _shown(self, totals: list[PlaceTotal]) -> None:
        self.canvas.totals = totals
        self.canvas.update()
        events = sum(t.events for t in totals)
        none = tr("No event of this selection has a place with coordinates.")
        some = tr("{places} places on the map, {events} events there")
        self.summary.setText(some.format(places=len(totals), events=events) if totals else none)
        self.loaded.emit()


def add_map_dock(window: MainWindow, ctx: AppContext) -> QDockWidget:
    """The map as a dock beside the timeline, following the list's filters both ways."""
    browser = window.browser
    assert browser is not None
    view = MapView(ctx)
    dock = QDockWidget(tr("Map"), window)
    dock.setObjectName("mapDock")
    dock.setWidget(view)
    dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                     | QDockWidget.DockWidgetFeature.DockWidgetMovable)  # fmt: skip
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    timeline = getattr(window, "timeline_dock", None)
    if timeline is not None:
        window.tabifyDockWidget(timeline, dock)
        timeline.raise_()  # the timeline stays in front; the map is one tab away
    action = window.actions_.map
    action.toggled.connect(dock.setVisible)
    dock.visibilityChanged.connect(action.setChecked)
    browser.filter_changed.connect(view.set_filter)

    def toggle_place(key: str) -> None:
        facets = browser.facets
        if ("places", key) in facets._items:
            facets.tick("places", key, key not in facets.choice().places)

    view.place_clicked.connect(toggle_place)
    view.set_filter(browser.current_filter())
    return dock
