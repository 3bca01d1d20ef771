"""A timeline strip: events and detained counts per day/week/month over the current filter.

Painted with QPainter (no chart module: QtCharts is not in PySide6-Essentials and would add
megabytes for one strip). Each column holds two bars: events (left axis) and detained (right
axis). Clicking a column emits ``period_selected(first_day, last_day)``.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QLocale, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from belarchive.domain.values import QUALIFIER_SYMBOL, Qualifier
from belarchive.gui.context import AppContext
from belarchive.gui.latest import WhenSeen
from belarchive.gui.widgets.background import run_read
from belarchive.gui.widgets.timeline_axis import (
    GRID_STEPS,
    Slot,
    auto_bucket,
    fill_gaps,
    label_step,
    nice_top,
    ticks,
)
from belarchive.services.catalogue import Catalogue
from belarchive.storage import queries
from belarchive.storage.queries import EventFilter

EVENTS_COLOUR = QColor("#7fa7d3")
DETAINED_COLOUR = QColor("#b8423a")
HILITE = QColor(255, 200, 60, 70)


Loaded = tuple[str, list[Slot], queries.RunningTotal | None]
Summary = tuple[int, int, queries.RunningTotal | None]  # dated events, detained, running total


def load_slots(cat: Catalogue, f: EventFilter, bucket: str) -> Loaded:
    """Runs on a pool thread (read only). ``bucket`` "auto" picks one from the data's span.
    Also the latest reported running total, shown beside the sums and never added to them."""
    with cat.reader.connect() as conn:
        running = queries.latest_running_total(conn, f)
        if bucket == "auto":
            months = queries.timeline(conn, f, "month")
            if not months:
                return "day", [], running
            last = months[-1].start.replace(day=28)
            bucket = auto_bucket(months[0].start, last)
            if bucket == "month":
                return bucket, fill_gaps(months, bucket), running
        return bucket, fill_gaps(queries.timeline(conn, f, bucket), bucket), running


def load_summary(cat: Catalogue, f: EventFilter) -> Summary:
    """Runs on a pool thread: what the listing's filter selects, its dates included (the
    chart shows the whole span around them, so a period can be chosen)."""
    with cat.reader.connect() as conn:
        months = queries.timeline(conn, f, "month")
        running = queries.latest_running_total(conn, f)
    return sum(m.events for m in months), sum(m.detained for m in months), running


class _Chart(QWidget):
    """The painted area; owns no data loading."""

    clicked = Signal(int)

    MARGIN_TOP = 8
    AXIS_BOTTOM = 20

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slots: list[Slot] = []
        self.bucket = "day"
        self.hover = -1
        self.selected = -1
        self.empty_text = ""
        self.setMouseTracking(True)
        self.setMinimumHeight(120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    # -- geometry ------------------------------------------------------------------------
    def _axis_widths(self) -> tuple[int, int]:
        fm = QFontMetrics(self.font())
        top_e, top_d = self._tops()
        return (fm.horizontalAdvance(str(top_e)) + 10, fm.horizontalAdvance(str(top_d)) + 10)

    def _tops(self) -> tuple[int, int]:
        return (nice_top(max((s.events for s in self.slots), default=1)),
                nice_top(max((s.detained for s in self.slots), default=1)))  # fmt: skip

    def plot_rect(self) -> QRectF:
        left, right = self._axis_widths()
        return QRectF(left, self.MARGIN_TOP, max(10, self.width() - left - right),
                      max(10, self.height() - self.MARGIN_TOP - self.AXIS_BOTTOM))  # fmt: skip

    def slot_at(self, x: float) -> int:
        plot = self.plot_rect()
        if not self.slots or not plot.left() <= x < plot.right():
            return -1
        return min(len(self.slots) - 1, int((x - plot.left()) / (plot.width() / len(self.slots))))

    def slot_centre(self, index: int) -> QPointF:
        plot = self.plot_rect()
        width = plot.width() / max(1, len(self.slots))
        return QPointF(plot.left() + width * (index + 0.5), plot.center().y())

    # -- painting ------------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        if not self.slots:
            p.setPen(self.palette().placeholderText().color())
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
            return
        plot = self.plot_rect()
        top_e, top_d = self._tops()
        self._paint_grid(p, plot, top_e, top_d)
        self._paint_bars(p, plot, top_e, top_d)
        self._paint_labels(p, plot)
        p.end()

    def _paint_grid(self, p: QPainter, plot: QRectF, top_e: int, top_d: int) -> None:
        text = self.palette().text().color()
        grid = QColor(text)
        grid.setAlpha(40)
        fm = QFontMetrics(self.font())
        # Both axes have the same number of steps, so they share the grid lines.
        for i, (ve, vd) in enumerate(zip(ticks(top_e), ticks(top_d), strict=True)):
            frac = i / GRID_STEPS
            y = plot.bottom() - frac * plot.height()
            p.setPen(QPen(grid, 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(EVENTS_COLOUR.darker(120))
            p.drawText(
                QRectF(0, y - fm.height() / 2, plot.left() - 5, fm.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                str(ve),
            )
            p.setPen(DETAINED_COLOUR)
            p.drawText(
                QRectF(plot.right() + 5, y - fm.height() / 2, 60, fm.height()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                str(vd),
            )

    def _paint_bars(self, p: QPainter, plot: QRectF, top_e: int, top_d: int) -> None:
        width = plot.width() / len(self.slots)
        gap = 1.0 if width < 6 else max(1.0, width * 0.15)
        bar = max(1.0, (width - gap) / 2)
        p.setPen(Qt.PenStyle.NoPen)
        for i, s in enumerate(self.slots):
            x = plot.left() + i * width
            if i in (self.hover, self.selected):
                p.fillRect(QRectF(x, plot.top(), width, plot.height()), HILITE)
            for offset, value, top, colour in (
                (0, s.events, top_e, EVENTS_COLOUR),
                (bar, s.detained, top_d, DETAINED_COLOUR),
            ):
                h = plot.height() * value / top
                if value and h < 2:
                    h = 2.0  # a small non-zero count must stay visible
                p.fillRect(QRectF(x + gap / 2 + offset, plot.bottom() - h, bar, h), colour)

    def _paint_labels(self, p: QPainter, plot: QRectF) -> None:
        fm = QFontMetrics(self.font())
        width = plot.width() / len(self.slots)
        labels = [self.short_label(s.start) for s in self.slots]
        step = label_step(width, max(fm.horizontalAdvance(t) for t in labels))
        p.setPen(self.palette().text().color())
        p.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
        for i in range(0, len(self.slots), step):
            cx = plot.left() + width * (i + 0.5)
            p.drawLine(QPointF(cx, plot.bottom()), QPointF(cx, plot.bottom() + 3))
            box = QRectF(cx - 60, plot.bottom() + 3, 120, self.AXIS_BOTTOM - 3)
            p.drawText(box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, labels[i])

    def short_label(self, d: date) -> str:
        fmt = "MMM yyyy" if self.bucket == "month" else "d MMM"
        return QLocale().toString(QDate(d.year, d.month, d.day), fmt)

    # -- mouse ---------------------------------------------------------------------------
    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self.slot_at(event.position().x())
        if index != self.hover:
            self.hover = index
            self.update()
        if index >= 0:
            QToolTip.showText(event.globalPosition().toPoint(), self.tooltip(index), self)
        else:
            QToolTip.hideText()

    def leaveEvent(self, _event: object) -> None:
        self.hover = -1
        self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.slot_at(event.position().x())
        if event.button() == Qt.MouseButton.LeftButton and index >= 0:
            self.selected = index
            self.update()
            self.clicked.emit(index)

    def tooltip(self, index: int) -> str:
        s = self.slots[index]
        loc = QLocale()
        first = loc.toString(QDate(s.start.year, s.start.month, s.start.day), "d MMMM yyyy")
        last = loc.toString(QDate(s.end.year, s.end.month, s.end.day), "d MMMM yyyy")
        period = first if s.start == s.end else f"{first} – {last}"
        return self.tr("{period}\nEvents: {events}\nDetained: {detained}").format(
            period=period, events=s.events, detained=s.detained
        )


class TimelineWidget(QWidget):
    """Timeline strip for the main window. Call ``set_filter``; listen to ``period_selected``."""

    period_selected = Signal(object, object)  # first day, last day (datetime.date)
    loaded = Signal()  # after each (re)load, for tests and status bars

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._filter = EventFilter()
        self._counted: EventFilter | None = None
        self._generation = 0
        self.chart = _Chart(self)
        # Screen readers: what the chart is, and (updated with each load) what it shows.
        self.chart.setAccessibleName(self.tr("Timeline chart: events and detentions over time"))
        self.chart.empty_text = self.tr("No dated events in this selection.")
        self.chart.clicked.connect(self._on_clicked)
        self.bucket_box = QComboBox(self)
        for key, label in (("auto", self.tr("Auto")), ("day", self.tr("Day")),
                           ("week", self.tr("Week")), ("month", self.tr("Month"))):  # fmt: skip
            self.bucket_box.addItem(label, key)
        self.bucket_box.setToolTip(self.tr("Length of one bar"))
        self.bucket_box.currentIndexChanged.connect(self.refresh)
        self.summary = QLabel(self)
        self._layout()
        self._when_seen = WhenSeen(self, self.refresh)
        self._reload = QTimer(self, singleShot=True, interval=150)
        self._reload.timeout.connect(self._when_seen.request)
        # Coalesce bursts of commits (an import, a batch of edits) into one reload.
        ctx.changed.connect(lambda _change: self._reload.start())
        ctx.catalogue_changed.connect(lambda _cat: self._reload.start())
        self.refresh()

    def _layout(self) -> None:
        head = QHBoxLayout()
        head.setContentsMargins(4, 2, 4, 0)
        self.title = QLabel(self.tr("<b>Timeline</b>"), self)
        head.addWidget(self.title)
        head.addSpacing(12)
        for colour, text in ((EVENTS_COLOUR, self.tr("events")),
                             (DETAINED_COLOUR, self.tr("detained"))):  # fmt: skip
            chip = QLabel(f'<span style="color:{colour.name()}">&#9632;</span> {text}', self)
            head.addWidget(chip)
        head.addSpacing(12)
        head.addWidget(self.summary, 1)
        head.addWidget(self.bucket_box)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addLayout(head)
        box.addWidget(self.chart, 1)

    def showEvent(self, event: QShowEvent) -> None:
        # In a dock the dock's title bar already says "Timeline": do not say it twice.
        self.title.setVisible(not isinstance(self.parentWidget(), QDockWidget))
        super().showEvent(event)

    # -- API ---------------------------------------------------------------------------
    def set_filter(self, f: EventFilter, counted: EventFilter | None = None) -> None:
        """Chart ``f``; sum up ``counted`` (the listing's whole filter; default ``f``)."""
        self._filter, self._counted = f, counted
        self._when_seen.request()

    def set_bucket(self, name: str) -> None:
        self.bucket_box.setCurrentIndex(max(0, self.bucket_box.findData(name)))

    @property
    def bucket(self) -> str:
        return self.chart.bucket

    @property
    def slots(self) -> list[Slot]:
        return list(self.chart.slots)

    def refresh(self) -> None:
        self._generation += 1
        generation, cat, f = self._generation, self.ctx.catalogue, self._filter
        counted = self._counted or f
        wanted = str(self.bucket_box.currentData() or "auto")
        # Until the new selection is summed, the last sums must not pass for its own (a
        # search's complete answer can take seconds to sum on a busy machine).
        self.summary.setText(self.tr("Counting…"))
        # owner=self: an answer arriving after the widget was deleted is dropped.
        run_read(lambda: (load_slots(cat, f, wanted), load_summary(cat, counted)),
                 lambda result: self._show(generation, *result), self._failed,
                 owner=self)  # fmt: skip

    # -- internals ---------------------------------------------------------------------
    def _show(self, generation: int, result: Loaded, summary: Summary) -> None:
        if generation != self._generation:
            return  # a newer filter was asked for while this one loaded
        self.chart.bucket, self.chart.slots, _running = result
        self.chart.selected = self.chart.hover = -1
        self.chart.empty_text = self.tr("No dated events in this selection.")
        events, detained, running = summary
        text = self.tr("{events} dated events, {detained} detained").format(
            events=events, detained=detained)  # fmt: skip
        if running is not None:
            symbol = QUALIFIER_SYMBOL.get(Qualifier(running.qualifier), "")
            when = running.reported.strftime("%d.%m.%Y") if running.reported else "?"
            text += " · " + self.tr(
                "latest reported running total: {value} ({when}), not added"
            ).format(value=f"{symbol}{running.value:,}", when=when)
        self.summary.setText(text)
        self.chart.setAccessibleDescription(text)
        self.chart.update()
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self.chart.slots = []
        self.chart.empty_text = self.tr("The timeline could not be loaded: {error}").format(
            error=exc
        )
        self.chart.update()
        self.ctx.error.emit(exc)

    def _on_clicked(self, index: int) -> None:
        slot = self.chart.slots[index]
        self.period_selected.emit(slot.start, slot.end)
