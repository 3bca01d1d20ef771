"""Listing queries against an oracle computed in Python from the same events.

The SQL is tuned for 100k events (index-driven date windows, tag-driven plans); this checks
it still means what the filter says, for many filter combinations, sorts and pages.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import text
from support import PASSPHRASE

from belarchive.services import bulk, events, sources
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventInput, FigureInput, SourceInput
from belarchive.storage import dialect, queries
from belarchive.storage.queries import EventFilter

TAGS = ("protest", "detention", "death", "statement", "sanction", "torture")
PLACES = ("minsk", "brest", "grodno", "gomel")
PARENT = {"detention": "repression", "death": "repression", "torture": "repression",
          "sanction": "international_reaction"}  # fmt: skip


def _date(rng: random.Random) -> str | None:
    start = date(2020, 8, 1) + timedelta(days=rng.randrange(150))
    shape = rng.random()
    if shape < 0.1:
        return None
    if shape < 0.2:
        return f"{start:%Y-%m}"
    if shape < 0.3:
        return f"{start}/{start + timedelta(days=rng.randrange(1, 40))}"
    return start.isoformat()


def _new_catalogue(backend: str, request: pytest.FixtureRequest) -> Catalogue:
    """The same catalogue in a folder (SQLite) or on the test run's PostgreSQL server."""
    if backend == "team":
        import team_support

        from belarchive.services.team import create_team

        address = team_support.new_database(request.getfixturevalue("pg_server"))
        return create_team(address, passphrase=PASSPHRASE)
    folder = request.getfixturevalue("tmp_path_factory").mktemp("q")
    return Catalogue.create(folder / "Q.belarchive", admin="anna", passphrase=PASSPHRASE)


@pytest.fixture(scope="module", params=["folder", "team"])
def world(request: pytest.FixtureRequest) -> Iterator[tuple[Catalogue, list[dict]]]:
    rng = random.Random(7)
    cat = _new_catalogue(request.param, request)
    inputs = [
        EventInput(
            title=f"{rng.choice(['Марш', 'Πορεία', 'arrests', 'Zebra', 'alpha'])} {i}",
            date=_date(rng), language=rng.choice(["el", "ru", "en"]),
            tags=tuple(rng.sample(TAGS, rng.randrange(0, 3))),
            places=tuple(rng.sample(PLACES, rng.randrange(0, 2))),
            figures=tuple(FigureInput("detained", rng.randrange(500))
                          for _ in range(rng.randrange(0, 2))),
        )
        for i in range(300)
    ]  # fmt: skip
    uuids = sorted(bulk.create_events_bulk(cat, "anna", inputs).created)
    src = sources.add_source(cat, "anna", SourceInput(title="S")).uuid
    for u in uuids[:40]:
        sources.cite(cat, "anna", u, src)
    for u in uuids[40:50]:
        events.delete_event(cat, "anna", u, 1, "test")
    details = [events.event_detail(cat, u) for u in uuids]
    with cat.session() as s:
        from belarchive.storage.detail import load_event_detail

        for d in details:
            full = load_event_detail(s, d["uuid"])
            d["earliest"], d["latest"] = full.date_earliest, full.date_latest
    yield cat, details
    cat.close()


def _expected(details: list[dict], f: EventFilter) -> set[str]:
    out = set()
    for d in details:
        tags = set(d["tags"]) | {PARENT[t] for t in d["tags"] if t in PARENT}
        if d["deleted"] and not f.include_deleted:
            continue
        if f.date_from and (d["latest"] is None or d["latest"] < f.date_from):
            continue
        if f.date_to and (d["earliest"] is None or d["earliest"] > f.date_to):
            continue
        if f.tags and not tags & set(f.tags):
            continue
        if f.places and not set(d["places"]) & set(f.places):
            continue
        if f.statuses and d["status"] not in f.statuses:
            continue
        if f.languages and d["language"] not in f.languages:
            continue
        if f.uuids is not None and d["uuid"] not in f.uuids:
            continue
        out.add(d["uuid"])
    return out


def _filters() -> list[EventFilter]:
    rng = random.Random(3)
    found = [EventFilter(), EventFilter(include_deleted=True)]
    for _ in range(60):
        lo = date(2020, 8, 1) + timedelta(days=rng.randrange(160))
        found.append(EventFilter(
            date_from=lo if rng.random() < 0.6 else None,
            date_to=lo + timedelta(days=rng.randrange(60)) if rng.random() < 0.5 else None,
            tags=tuple(rng.sample([*TAGS, "repression", "international_reaction"],
                                  rng.randrange(0, 2))),
            places=tuple(rng.sample(PLACES, rng.randrange(0, 2))),
            languages=tuple(rng.sample(["el", "ru", "en"], rng.randrange(0, 2))),
            include_deleted=rng.random() < 0.2,
            # A search's answer (drawn from the world's own UUIDs in the test).
            uuids=(SEARCHED,) if rng.random() < 0.4 else None,
        ))  # fmt: skip
    return found


# Stands for a search's answer in _filters: every other event of the world, in reverse.
SEARCHED = "searched"


def _searched(details: list[dict], f: EventFilter) -> EventFilter:
    if f.uuids is None:
        return f
    return replace(f, uuids=[d["uuid"] for d in details][::-2])


@pytest.mark.parametrize("f", _filters())
def test_filters_mean_what_they_say(world: tuple[Catalogue, list[dict]], f: EventFilter) -> None:
    _check_filter(world, f)


@pytest.mark.parametrize("f", [f for f in _filters() if f.tags or f.places][:16])
def test_common_tags_and_places_are_probed_event_by_event(
    world: tuple[Catalogue, list[dict]], f: EventFilter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other way to a tag's or a place's events: every one is rare in this small world
    (walked from its links, above); as if common, each event is probed for it."""
    monkeypatch.setattr(queries, "RARE_LINKED_EVENTS", 0)
    _check_filter(world, f)


def _check_filter(world: tuple[Catalogue, list[dict]], f: EventFilter) -> None:
    cat, details = world
    f = _searched(details, f)
    expected = _expected(details, f)
    with cat.reader.connect() as conn:
        assert queries.count_events(conn, f) == len(expected)
        listed = [r.uuid for r in queries.list_events(conn, f, limit=1000)]
        assert set(listed) == expected and len(listed) == len(expected)
        assert set(queries.filtered_uuids(conn, f)) == expected
        assert [r.uuid for r in queries.iter_events(conn, f)] == listed


@pytest.mark.parametrize("sort", ["date", "title", "detained", "status", "sources"])
@pytest.mark.parametrize("descending", [False, True])
def test_pages_concatenate_to_the_full_ordered_listing(
    world: tuple[Catalogue, list[dict]], sort: str, descending: bool
) -> None:
    cat, _ = world
    with cat.reader.connect() as conn:
        whole = queries.list_events(conn, EventFilter(), sort=sort, descending=descending,
                                    limit=1000)  # fmt: skip
        pages = [
            r
            for off in range(0, len(whole), 37)
            for r in queries.list_events(
                conn, EventFilter(), sort=sort, descending=descending, offset=off, limit=37
            )
        ]
    assert pages == whole
    with cat.reader.connect() as conn:
        ids = queries.filtered_uuids(conn, EventFilter(), sort=sort, descending=descending)
    assert ids == [r.uuid for r in whole]
    if sort == "title":
        titles = [r.title.casefold() for r in whole]
        assert titles == sorted(titles, reverse=descending)
    if sort == "detained":
        values = [r.detained for r in whole if r.detained is not None]
        assert values == sorted(values, reverse=descending)


def test_rank_order_follows_the_search_results(world: tuple[Catalogue, list[dict]]) -> None:
    cat, details = world
    ranked = [d["uuid"] for d in details if not d["deleted"]][::-3]
    with cat.reader.connect() as conn:
        rows = queries.list_events(conn, EventFilter(uuids=ranked), sort="rank", limit=500)
    assert [r.uuid for r in rows] == ranked


def test_facets_and_timeline_agree_with_the_listing(world: tuple[Catalogue, list[dict]]) -> None:
    cat, details = world
    f = EventFilter(tags=("repression",))
    expected = _expected(details, f)
    with cat.reader.connect() as conn:
        facets = queries.facets(conn, f)
        buckets = queries.timeline(conn, f, "month")
    assert sum(n for s, n in facets.statuses.items() if s != "withdrawn") == len(expected)
    dated = [d for d in details if d["uuid"] in expected and d["earliest"]]
    assert sum(b.events for b in buckets) == len(dated)


def test_a_search_answer_is_read_key_by_key(world: tuple[Catalogue, list[dict]]) -> None:
    """SQLite reads a search's UUIDs first and finds each event by its uuid index; it had
    walked the events and scanned the whole list for each (minutes for 47,000 answers at
    100k events). Held by the plans of the count, the page and the whole selection."""
    cat, details = world
    f = EventFilter(uuids=[d["uuid"] for d in details][::2], statuses=("draft",))
    with cat.reader.connect() as conn:
        if dialect.is_server(conn):
            pytest.skip("PostgreSQL's planner knows the list's length")
        source, where, params = queries._source_and_where(conn, f, whole=True)
        page, page_params = queries._page_sql(conn, f, "date", False)
        for sql, bound in ((f"SELECT count(*) FROM {source} {where}", params),
                           (page, {**page_params, "limit": 50, "offset": 0})):  # fmt: skip
            plan = [str(r[3]) for r in conn.execute(text(f"EXPLAIN QUERY PLAN {sql}"), bound)]
            keys = next(i for i, step in enumerate(plan) if "SCAN j" in step)
            by_uuid = next(i for i, step in enumerate(plan) if "ix_event_uuid" in step)
            assert keys < by_uuid, plan


def test_a_rare_place_is_walked_from_its_links(world: tuple[Catalogue, list[dict]]) -> None:
    """A place of few events (or none) is found from its own events: probing every event
    for it cost 64-68 ms for the first page at 100k, a facet click on a small town."""
    cat, details = world
    f = EventFilter(places=(PLACES[0],))
    with cat.reader.connect() as conn:
        if dialect.is_server(conn):
            pytest.skip("PostgreSQL plans by its statistics")
        page, params = queries._page_sql(conn, f, "date", False)
        plan = [str(r[3]) for r in conn.execute(text(f"EXPLAIN QUERY PLAN {page}"),
                                                {**params, "limit": 50, "offset": 0})]  # fmt: skip
        assert any("ix_eventplace_place" in step for step in plan), plan
        assert not any("ix_event_filter" in step or step == "SCAN e" for step in plan), plan
        assert len(queries.list_events(conn, f)) == len(_expected(details, f)) > 0
