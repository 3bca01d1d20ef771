"""What the map shows for a selection: per place with coordinates, how many of the selected
events happened there and how many people they report detained.

Detained counts only figures of an incident itself (scope "incident", not a part of another
figure), the largest per event when sources differ, as the dossier's totals do; running
totals never. An event at two places counts at both. Countries and regions are areas, not
points (``map_data.AREA_KINDS``): they get no marker.

Why an index read once and not one grouping query per selection: at 100k events the query
cost 60–180 ms (a figure look-up per selected event), beside the listing and the facet counts
of the same filter change on two cores. With what the map needs of every event in memory,
a selection costs one read of its ids and a count made in C (``Counter``): 5–60 ms, most of
it the selection's own SQL. The window keeps one and drops it on any change.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import Connection, text

from belarchive.domain.map_data import AREA_KINDS
from belarchive.storage import dialect, one_row
from belarchive.storage.map_selection import FacetSets
from belarchive.storage.queries import COUNTED, EventFilter, _matching_ids


@dataclass(frozen=True, slots=True)
class PlaceTotal:
    key: str
    name: str
    lat: float
    lon: float
    events: int
    detained: int


# Per event with a mappable place: (its mappable place ids, its incident detained). Events
# share one tuple per distinct value, so counting them is hashing a few thousand keys.
_Where = tuple[tuple[int, ...], int]

_PLACES = """SELECT p.id, p.key, p.display_name, p.lat, p.lon FROM place p
             WHERE p.lat IS NOT NULL AND p.lon IS NOT NULL AND p.kind NOT IN ({areas})"""
# Per event with a mappable place: its place ids joined, and its incident detained; then
# events grouped by those two. A few thousand rows for 100k events, each turned into
# dictionary entries by C code (dict.fromkeys): the read holds the interpreter lock for a
# few milliseconds, not for the ~150 ms a row per event took, which the window felt.
_WHERE = """SELECT s.places, s.detained, {event_ids} FROM (
                SELECT ep.event_id AS id, {place_ids} AS places, coalesce(max(d.v), 0) AS detained
                FROM eventplace ep
                LEFT JOIN (SELECT f.event_id, max(f.value_min) AS v FROM figure f
                           WHERE f.kind = 'detained' AND {counted} GROUP BY f.event_id) AS d
                       ON d.event_id = ep.event_id
                WHERE ep.place_id IN ({mappable})
                GROUP BY ep.event_id) AS s
            GROUP BY s.places, s.detained"""


# Selections whose totals a map keeps (ticking a facet and unticking it again, the
# unfiltered view): they hold as long as the map itself, until the catalogue changes.
_KEPT = 32


@dataclass(frozen=True, slots=True)
class PlaceMap:
    """Every event's mappable places and detained figure, read in one go; and the totals
    of the selections asked for since."""

    places: dict[int, tuple[str, str, float, float]]  # id -> key, name, lat, lon
    where: dict[int, _Where]  # event id -> its places and detained
    facets: FacetSets | None = None  # the shown events per tag and place
    kept: dict[EventFilter, list[PlaceTotal]] = field(default_factory=dict)

    @classmethod
    def read(cls, conn: Connection) -> PlaceMap:
        areas = ", ".join(f"'{kind}'" for kind in sorted(AREA_KINDS))
        rows = conn.execute(text(_PLACES.format(areas=areas)))
        places = {int(r[0]): (str(r[1]), str(r[2]), float(r[3]), float(r[4])) for r in rows}
        where: dict[int, _Where] = {}
        if not places:
            return cls(places, where)
        sql = _WHERE.format(
            event_ids=dialect.joined(conn, "CAST(s.id AS TEXT)", ","),
            place_ids=dialect.joined(conn, "CAST(ep.place_id AS TEXT)", ",", ordered=True),
            counted=COUNTED,
            mappable=", ".join(str(p) for p in places),
        )
        shared: dict[_Where, _Where] = {}  # one tuple per value, whatever order SQL joined
        for place_ids, detained, event_ids in conn.execute(text(sql)):
            value = (tuple(sorted(map(int, str(place_ids).split(",")))), int(str(detained)))
            value = shared.setdefault(value, value)
            where.update(dict.fromkeys(map(int, str(event_ids).split(",")), value))
        return cls(places, where, FacetSets.read(conn, frozenset(where)))

    def totals(self, conn: Connection, f: EventFilter) -> list[PlaceTotal]:
        if f.uuids is not None:  # a search's answer: not kept (a list, and rarely asked twice)
            return self._count(conn, f)
        found = self.kept.get(f)
        if found is None:
            if len(self.kept) >= _KEPT:
                self.kept.pop(next(iter(self.kept)))
            found = self.kept[f] = self._count(conn, f)
        return found

    def _count(self, conn: Connection, f: EventFilter) -> list[PlaceTotal]:
        held = self.facets.select(f) if self.facets else None
        chosen = held if held is not None else selected_ids(conn, f)
        per_value = Counter(map(self.where.get, chosen))
        events: Counter[int] = Counter()
        detained: Counter[int] = Counter()
        for value, n in per_value.items():
            if value is None:  # selected events without a mappable place
                continue
            ids, each = value
            for place_id in ids:
                events[place_id] += n
                detained[place_id] += n * each
        found = [PlaceTotal(*self.places[p], events=n, detained=detained[p])
                 for p, n in events.items()]  # fmt: skip
        return sorted(found, key=lambda t: (-t.events, t.key))


def place_totals(conn: Connection, f: EventFilter) -> list[PlaceTotal]:
    """One selection's totals, most events first (the map's index read for it alone)."""
    return PlaceMap.read(conn).totals(conn, f)


def selected_ids(conn: Connection, f: EventFilter) -> list[int]:
    """The ids of the events ``f`` selects, in no order."""
    sql, params = _matching_ids(conn, f)
    return list(map(int, one_row.values(conn, "CAST(s.id AS TEXT)", sql, params)))
