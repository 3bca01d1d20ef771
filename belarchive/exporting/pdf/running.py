"""The summary's "reported running totals": cumulative figures shown as what they are.

A source that says "more than 25,000 detained since 9 August" restates many incidents at
once. Such figures (scope 'period') never enter a total or the weekly chart; this section
lists them with their period and source, and draws the detained ones as a reported
cumulative line, one point per report.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from xml.sax.saxutils import escape

from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer

from belarchive.exporting.pdf.context import Ctx
from belarchive.exporting.pdf.layout import FRAME_W
from belarchive.exporting.pdf.styles import ACCENT, MUTED, RULE, SANS
from belarchive.exporting.pdf.tables import grid
from belarchive.storage.detail import EventDetail, FigureInfo

MAX_ROWS = 200  # a long campaign reports hundreds; the table shows the latest ones


def _source(d: EventDetail, f: FigureInfo) -> str:
    for c in d.citations:
        if c.uuid == f.citation_uuid:
            return c.source.publisher or c.source.title
    return ""


def _reported_on(d: EventDetail) -> date | None:
    return d.date_latest or d.date_earliest


_SAME_START_DAYS = 7


def _start(f: FigureInfo) -> date | None:
    """The first day of a figure's period; date.min for an open start ("../2020-11-03")."""
    start = (f.period or "").partition("/")[0]
    if start == "..":
        return date.min
    try:
        return date.fromisoformat(start)
    except ValueError:
        return None


def _line_points(rows: list[tuple[EventDetail, FigureInfo]]) -> list[tuple[date, int]]:
    """Country-wide running totals of detentions "since the start": an open start, or the
    campaign's earliest stated start. A month's or a week's count, a day summary or a
    region's own total would make a cumulative line jump, so they stay in the table only."""
    usable = [
        (d, f, _start(f))
        for d, f in rows
        if f.kind == "detained"
        and f.period
        and "/" in f.period
        and _reported_on(d) is not None
        and all(p.key == "belarus" for p in d.places)
    ]
    stated = [s for _, _, s in usable if s is not None and s != date.min]
    base = min(stated, default=None)
    return [
        (_reported_on(d), f.value_min)  # type: ignore[misc]
        for d, f, s in usable
        if s == date.min
        or (s is not None and base is not None and (s - base).days <= _SAME_START_DAYS)
    ]


def running_totals(ctx: Ctx) -> Iterator[Flowable]:
    rows = sorted(
        ctx.summary.running_totals,
        key=lambda r: (_reported_on(r[0]) or date.min, r[1].kind, r[1].value_min),
    )
    if not rows:
        return
    L, S = ctx.L, ctx.S
    yield CondPageBreak(60 * mm)
    yield Paragraph(escape(L["running_title"]), S.h2)
    yield Paragraph(escape(L["running_intro"]), S.muted)
    yield Spacer(1, 2 * mm)
    points = _line_points(rows)
    if len(points) >= 2:
        yield cumulative_chart(points, FRAME_W, L["running_chart"])  # type: ignore[arg-type]
    table = [
        [
            Paragraph(escape(h), S.cell_head)
            for h in (L["col_reported"], L["col_figure"], L["col_period"], L["col_source"])
        ]
    ]
    for d, f in rows[-MAX_ROWS:]:
        reported = _reported_on(d)
        value = f"{L.qualifier(f.qualifier)}{L.number(f.value_min)} {L[f'kind_{f.kind}']}"
        table.append(
            [
                Paragraph(escape(L.day(reported)) if reported else "", S.cell),
                Paragraph(escape(value), S.cell),
                Paragraph(escape(L.period(f.period)), S.cell),
                Paragraph(ctx.esc(_source(d, f)), S.cell),
            ]
        )
    widths = [30 * mm, 40 * mm, 50 * mm, FRAME_W - 120 * mm]
    yield grid(table, widths)  # type: ignore[arg-type]


def cumulative_chart(points: list[tuple[date, int]], width: float, label: str) -> Drawing:
    """A line through the reported cumulative figures, in the order they were reported."""
    height = 150
    drawing = Drawing(width, height)
    drawing.initialFontName = SANS  # never Helvetica: it has no Greek or Cyrillic
    origin = points[0][0].toordinal()
    plot = LinePlot()
    plot.x, plot.y = 48, 30
    plot.width, plot.height = width - 64, height - 52
    plot.data = [[(d.toordinal() - origin, v) for d, v in points]]
    plot.lines[0].strokeColor = ACCENT
    plot.lines[0].strokeWidth = 1.2
    plot.lines[0].symbol = makeMarker("FilledCircle", size=3, fillColor=ACCENT)
    top = max(v for _, v in points)
    plot.yValueAxis.valueMin, plot.yValueAxis.valueMax = 0, top * 1.1 or 10
    for axis in (plot.xValueAxis, plot.yValueAxis):
        axis.labels.fontName = SANS
        axis.labels.fontSize = 7
        axis.strokeColor = MUTED
    plot.yValueAxis.gridStrokeColor = RULE
    plot.yValueAxis.visibleGrid = True
    span = max(1, points[-1][0].toordinal() - origin)
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = 0, span
    plot.xValueAxis.labelTextFormat = lambda x: date.fromordinal(int(x) + origin).strftime(
        "%d.%m.%y"
    )
    drawing.add(plot)
    drawing.add(String(48, height - 12, label, fontName=SANS, fontSize=8, fillColor=MUTED))
    return drawing
