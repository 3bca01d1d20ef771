"""The dossier's map: the selection's events by place, on the same borders and projection
as the window's map (domain/map_data.py), circles sized by the number of events."""

from __future__ import annotations

import math

from reportlab.graphics.shapes import Circle, Drawing, Polygon, Rect, String
from reportlab.lib import colors

from belarchive.domain.map_data import Projection, clip_ring, outline
from belarchive.exporting.pdf.styles import ACCENT, MUTED, RULE, SANS

WATER, LAND, HOME = (colors.HexColor("#e6edf4"), colors.HexColor("#eef0f2"),
                     colors.white)  # fmt: skip
MAX_RADIUS, MIN_RADIUS, LABELLED = 16.0, 2.5, 8

# (name, lat, lon, events)
Place = tuple[str, float, float, int]


def places_map(places: list[Place], width: float) -> Drawing:
    height = width * 0.5
    drawing = Drawing(width, height)
    drawing.initialFontName = SANS
    drawing.add(Rect(0, 0, width, height, fillColor=WATER, strokeColor=RULE, strokeWidth=0.5))
    project = Projection(width, height).point
    for country in outline().countries:
        for ring in country.rings:
            points = clip_ring([project(lon, lat) for lon, lat in ring], width, height)
            if len(points) < 3:
                continue
            flat = [c for x, y in points for c in (x, height - y)]  # PDF's y goes up
            home = country.code == "BY"
            drawing.add(Polygon(flat, fillColor=HOME if home else LAND, strokeColor=RULE,
                                strokeWidth=0.8 if home else 0.4))  # fmt: skip
    shown = [(p, project(p[2], p[1])) for p in sorted(places, key=lambda p: -p[3])]
    shown = [(p, (x, y)) for p, (x, y) in shown if 0 <= x <= width and 0 <= y <= height]
    top = max((p[3] for p, _xy in shown), default=1) or 1
    labels: list[tuple[float, float, float, float]] = []
    for (name, _lat, _lon, events), (x, y) in shown:
        radius = MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt(events / top)
        drawing.add(Circle(x, height - y, radius, fillColor=ACCENT, fillOpacity=0.45,
                           strokeColor=ACCENT, strokeWidth=0.5))  # fmt: skip
        text = f"{name} ({events})"
        box = (x + radius + 2, height - y - 4, x + radius + 2 + 3.4 * len(text), height - y + 5)
        # The largest places are named; a label that would cover another's is left out.
        if len(labels) < LABELLED and not any(_overlap(box, other) for other in labels):
            labels.append(box)
            drawing.add(String(box[0], box[1] + 1, text, fontName=SANS, fontSize=6.5,
                               fillColor=MUTED))  # fmt: skip
    return drawing


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
