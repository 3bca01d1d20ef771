"""The map's geography, without Qt: the borders shipped in resources/map/belarus.json
(Natural Earth, see packaging/make_map.py) and the projection that puts degrees on a page
or a widget. The window's map and any other drawing share this one projection."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from belarchive.config import read_resource


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    name: str
    rings: tuple[tuple[tuple[float, float], ...], ...]  # (lon, lat) points


@dataclass(frozen=True, slots=True)
class Outline:
    bbox: tuple[float, float, float, float]  # lon min, lat min, lon max, lat max
    countries: tuple[Country, ...]
    source: str


@lru_cache(maxsize=1)
def outline() -> Outline:
    """ResourceMissing (one clear line) when an installation lacks the file."""
    data = json.loads(read_resource("map", "belarus.json"))
    countries = tuple(
        Country(code, item["name"], tuple(tuple((x, y) for x, y in ring) for ring in item["rings"]))
        for code, item in data["countries"].items()
    )
    return Outline(tuple(data["bbox"]), countries, data["source"])  # type: ignore[arg-type]


# Places that are areas: a marker at their middle would say an event happened there.
AREA_KINDS = frozenset({"country", "region"})

# Belarus with a margin: what every map shows whole, whatever its shape; the neighbours'
# borders fill the rest of a wide or tall map.
FOCUS = (22.6, 50.9, 33.3, 56.5)


@dataclass(frozen=True, slots=True)
class Projection:
    """Equirectangular, with longitude shrunk by cos(latitude of Belarus) so the country
    keeps its shape; ``focus`` fits ``width`` × ``height`` and is centred."""

    width: float
    height: float
    focus: tuple[float, float, float, float] = FOCUS

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        lon0, lat0, lon1, lat1 = self.focus
        squeeze = math.cos(math.radians((lat0 + lat1) / 2))
        scale = min(self.width / ((lon1 - lon0) * squeeze), self.height / (lat1 - lat0))
        x0 = (self.width - (lon1 - lon0) * squeeze * scale) / 2
        y0 = (self.height - (lat1 - lat0) * scale) / 2
        return x0 + (lon - lon0) * squeeze * scale, y0 + (lat1 - lat) * scale


Point = tuple[float, float]


def clip_ring(ring: list[Point], width: float, height: float) -> list[Point]:
    """A projected ring cut to the rectangle (0, 0)–(width, height) (Sutherland–Hodgman):
    a drawing that cannot clip (a PDF figure) must not spill countries over the page."""
    keep: list[tuple[Callable[[Point], bool], Callable[[Point, Point], Point]]] = [
        (lambda p: p[0] >= 0, lambda a, b: _cross_x(a, b, 0.0)),
        (lambda p: p[0] <= width, lambda a, b: _cross_x(a, b, width)),
        (lambda p: p[1] >= 0, lambda a, b: _cross_y(a, b, 0.0)),
        (lambda p: p[1] <= height, lambda a, b: _cross_y(a, b, height)),
    ]
    out = ring
    for inside, cross in keep:
        points, out = out, []
        for i, current in enumerate(points):
            previous = points[i - 1]
            if inside(current):
                if not inside(previous):
                    out.append(cross(previous, current))
                out.append(current)
            elif inside(previous):
                out.append(cross(previous, current))
        if not out:
            break
    return out


def _cross_x(a: Point, b: Point, x: float) -> Point:
    t = (x - a[0]) / (b[0] - a[0])
    return x, a[1] + t * (b[1] - a[1])


def _cross_y(a: Point, b: Point, y: float) -> Point:
    t = (y - a[1]) / (b[1] - a[1])
    return a[0] + t * (b[0] - a[0]), y
