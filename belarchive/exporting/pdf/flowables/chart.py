"""Bar chart of people detained per week (reportlab.graphics), sized to the frame width."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String

from belarchive.exporting.pdf.styles import ACCENT, MUTED, RULE, SANS

MAX_LABELS = 14  # more week labels than this overlap; show every n-th


def _nice_max(value: int) -> int:
    """A round axis maximum a little above ``value`` (10, 20, 50, 100, 200, 500...)."""
    step = 1
    while True:
        for mult in (1, 2, 5):
            if step * mult * 10 >= value * 1.05:
                return max(10, step * mult * 10)
        step *= 10


def weekly_chart(
    series: list[tuple[date, int]],
    width: float,
    label: str,
    day_label: Callable[[date], str] | None = None,
) -> Drawing:
    """One bar per week; ``day_label(date)`` formats the category labels (short dates)."""
    height = 190
    drawing = Drawing(width, height)
    # The renderer starts from Helvetica unless told otherwise: keep every font DejaVu.
    drawing.initialFontName = SANS
    chart = VerticalBarChart()
    chart.x, chart.y = 42, 40
    # A few weeks would give absurdly wide bars: at most ~36 pt per week.
    chart.width = min(width - 56, 36 * max(len(series), 4))
    chart.height = height - 62
    chart.data = [[v for _, v in series]]
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    chart.barSpacing = 1
    chart.groupSpacing = 2 if len(series) < 60 else 0.5
    top = _nice_max(max((v for _, v in series), default=0))
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, top
    chart.valueAxis.valueStep = top // 5
    chart.valueAxis.labels.fontName = SANS
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.gridStrokeColor = RULE
    chart.valueAxis.gridStrokeWidth = 0.3
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.strokeColor = MUTED
    chart.categoryAxis.strokeColor = MUTED
    every = max(1, -(-len(series) // MAX_LABELS))
    fmt = day_label or (lambda d: d.strftime("%d.%m.%y"))
    chart.categoryAxis.categoryNames = [
        fmt(d) if i % every == 0 else "" for i, (d, _) in enumerate(series)
    ]
    chart.categoryAxis.labels.fontName = SANS
    chart.categoryAxis.labels.fontSize = 6.5
    chart.categoryAxis.labels.angle = 35
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.categoryAxis.labels.dy = -2
    drawing.add(chart)
    drawing.add(String(42, height - 12, label, fontName=SANS, fontSize=8, fillColor=MUTED))
    return drawing
