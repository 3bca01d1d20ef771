"""The map's totals on a folder and on a team catalogue: held to a grouping query written
here as the plain definition (events per place, the largest incident detained figure per
event), for filters the map works out in memory (tags with their sub-tags, places,
withdrawn events) and for those it leaves to SQL (statuses, dates, a search)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from belarchive.services import events, verification
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventInput, FigureInput
from belarchive.storage import one_row
from belarchive.storage.map_queries import PlaceMap, PlaceTotal, place_totals, selected_ids
from belarchive.storage.queries import COUNTED, EventFilter, _matching_ids, filtered_uuids

BACKENDS = ("folder", "team")

# The definition, as the first map computed it: slow at 100k events, plain to read.
DEFINITION = f"""
    SELECT p.key, count(*), coalesce(sum((SELECT max(f.value_min) FROM figure f
                WHERE f.event_id = ep.event_id AND f.kind = 'detained' AND {COUNTED})), 0)
    FROM eventplace ep JOIN place p ON p.id = ep.place_id
    WHERE ep.event_id IN ({{ids}}) AND p.lat IS NOT NULL AND p.lon IS NOT NULL
      AND p.kind NOT IN ('country', 'region')
    GROUP BY p.key"""


def _event(cat: Catalogue, title: str, day: int, places: tuple[str, ...], tags: tuple[str, ...],
           *detained: int) -> str:  # fmt: skip
    figures = tuple(FigureInput("detained", n, qualifier="at_least") for n in detained)
    data = EventInput(title=title, date=f"2020-11-{day:02d}", places=places, tags=tags,
                      figures=figures)  # fmt: skip
    return events.create_event(cat, "anna", data).uuid


@pytest.fixture
def world(catalogue: Catalogue) -> Catalogue:
    _event(catalogue, "Minsk march", 1, ("Minsk",), ("protest", "detention"), 300, 340)
    _event(catalogue, "Brest chain", 8, ("Brest", "Minsk"), ("protest",), 12)
    _event(catalogue, "Grodno searches", 8, ("Grodno",), ("intimidation",))  # under repression
    _event(catalogue, "Region only", 9, ("Minsk Region",), ("detention",), 40)  # an area: no marker
    _event(catalogue, "Nowhere", 10, (), ("detention",), 7)
    gone = _event(catalogue, "Withdrawn march", 15, ("Minsk",), ("protest",), 1000)
    with catalogue.session() as session:
        from belarchive.storage.detail import load_event_detail

        version = load_event_detail(session, gone).version
    events.delete_event(catalogue, "anna", gone, version, "a duplicate")
    reviewed = _event(catalogue, "Vitebsk picket", 20, ("Vitebsk",), ("protest",), 5)
    verification.set_status(catalogue, "olga", reviewed, "in_review")
    return catalogue


FILTERS = [
    EventFilter(),
    EventFilter(tags=("protest",)),
    EventFilter(tags=("repression",)),  # a parent: detention and intimidation are under it
    EventFilter(tags=("protest", "intimidation")),
    EventFilter(places=("minsk",)),
    EventFilter(places=("minsk", "grodno"), tags=("detention",)),
    EventFilter(withdrawn=True),
    EventFilter(include_deleted=True, tags=("protest",)),
    EventFilter(tags=("no_such_tag",)),
    EventFilter(statuses=("in_review",)),  # left to SQL
    EventFilter(date_from=date(2020, 11, 5), date_to=date(2020, 11, 12)),  # left to SQL
]


@pytest.mark.parametrize("f", FILTERS, ids=lambda f: repr(f)[12:60])
def test_the_map_counts_what_the_definition_counts(world: Catalogue, f: EventFilter) -> None:
    with world.reader.connect() as conn:
        ids, params = _matching_ids(conn, f)
        rows = conn.execute(text(DEFINITION.format(ids=ids)), params)
        wanted = {(str(k), int(n), int(d)) for k, n, d in rows}
        index = PlaceMap.read(conn)
        got = index.totals(conn, f)
        again = index.totals(conn, f)  # kept: the same answer without reading
    assert {(t.key, t.events, t.detained) for t in got} == wanted
    assert again is got or f.uuids is not None
    assert [t.events for t in got] == sorted((t.events for t in got), reverse=True)


def test_the_totals_count_incidents_once_and_never_areas(world: Catalogue) -> None:
    with world.reader.connect() as conn:
        totals = {t.key: t for t in place_totals(conn, EventFilter())}
    assert (totals["minsk"].events, totals["minsk"].detained) == (2, 340 + 12)
    assert "minsk_region" not in totals and isinstance(totals["minsk"], PlaceTotal)


def test_a_search_answer_is_counted_and_not_kept(world: Catalogue) -> None:
    with world.reader.connect() as conn:
        found = filtered_uuids(conn, EventFilter(tags=("protest",)))[:2]
        index = PlaceMap.read(conn)
        first = index.totals(conn, EventFilter(uuids=found))
        assert sum(t.events for t in first) >= 2 and not index.kept


def test_one_row_reads_give_every_value_once(world: Catalogue) -> None:
    """The order of filtered_uuids is held to the pages in test_queries; here, the values."""
    with world.reader.connect() as conn:
        everything = filtered_uuids(conn, EventFilter(include_deleted=True))
        rows = [str(r[0]) for r in conn.execute(text("SELECT uuid FROM event"))]
        assert sorted(everything) == sorted(rows) and len(everything) == 7
        assert one_row.values(conn, "s.x", "SELECT 'a' AS x WHERE 1 = 0", {}) == []
        ids = selected_ids(conn, EventFilter(tags=("protest",)))
        assert len(ids) == len(set(ids)) == 3
