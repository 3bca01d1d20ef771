"""What the map shows for a selection: per place with coordinates, how many of the selected
events happened there and how many people they report detained.

Detained counts only figures of an incident itself (scope "incident", not a part of another
figure), the largest per event when sources differ, as the dossier's totals do; running
totals never. An event at two places counts at both. Countries and regions are areas, not
points (``map_data.AREA_KINDS``): they get no marker.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text

from belarchive.storage.queries import EventFilter, _matching_ids


@dataclass(frozen=True, slots=True)
class PlaceTotal:
    key: str
    name: str
    lat: float
    lon: float
    events: int
    detained: int


def place_totals(conn: Connection, f: EventFilter) -> list[PlaceTotal]:
    ids, params = _matching_ids(conn, f)
    sql = f"""
        SELECT p.key, p.display_name, p.lat, p.lon, count(*),
               coalesce(sum((SELECT max(f.value_min) FROM figure f
                             WHERE f.event_id = ep.event_id AND f.kind = 'detained'
                               AND f.scope = 'incident' AND f.part_of IS NULL)), 0)
        FROM eventplace ep
        JOIN place p ON p.id = ep.place_id
        WHERE ep.event_id IN ({ids}) AND p.lat IS NOT NULL AND p.lon IS NOT NULL
          AND p.kind NOT IN ('country', 'region')
        GROUP BY p.id
        ORDER BY count(*) DESC
    """  # the ids query comes from queries.py, its values bound as parameters
    rows = conn.execute(text(sql), params).all()
    return [PlaceTotal(str(r[0]), str(r[1]), float(r[2]), float(r[3]), int(r[4]), int(r[5]))
            for r in rows]  # fmt: skip
