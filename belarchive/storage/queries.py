"""Read-only queries for listings, facets and timelines: SQL with column tuples, no ORM objects.

Filtering and sorting happen here, in SQLite, so a view over 100,000 events only ever holds
the window it shows. Search results arrive as an ordered list of UUIDs and are joined via
json_each, which keeps the rank order and has no parameter-count limit.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, text

SORT_KEYS = {
    "date": "e.date_earliest {dir} NULLS LAST, e.date_latest {dir}, e.id {dir}",
    "title": "e.title COLLATE NOCASE {dir}, e.id",
    "status": "e.status {dir}, e.date_earliest, e.id",
    "detained": "detained {dir} NULLS LAST, e.date_earliest, e.id",
    "sources": "n_sources {dir}, e.date_earliest, e.id",
    "rank": "j.key {dir}",
}


@dataclass(frozen=True, slots=True)
class EventFilter:
    date_from: date | None = None
    date_to: date | None = None
    tags: tuple[str, ...] = ()  # any of these tags or their descendants
    places: tuple[str, ...] = ()  # any of these place keys
    statuses: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    uuids: Sequence[str] | None = None  # from a search, in rank order
    include_deleted: bool = False
    dated_only: bool = False


@dataclass(frozen=True, slots=True)
class EventRow:
    uuid: str
    date_edtf: str | None
    date_earliest: date | None
    title: str
    places: str
    tags: str
    detained: int | None
    detained_qualifier: str | None
    killed: int | None
    status: str
    n_sources: int
    version: int


@dataclass(slots=True)
class _Sql:
    joins: list[str] = field(default_factory=list)
    where: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)


def _build(f: EventFilter) -> _Sql:
    q = _Sql()
    if not f.include_deleted:
        q.where.append("e.deleted = 0")
    if f.date_from:
        q.where.append("e.date_latest >= :date_from")
        q.params["date_from"] = f.date_from.isoformat()
    if f.date_to:
        q.where.append("e.date_earliest <= :date_to")
        q.params["date_to"] = f.date_to.isoformat()
    if f.dated_only:
        q.where.append("e.date_earliest IS NOT NULL")
    if f.tags:
        q.params["tags"] = json.dumps(list(f.tags))
        q.where.append(
            "e.id IN (SELECT et.event_id FROM eventtag et WHERE et.tag_id IN ("
            "WITH RECURSIVE sub(id) AS (SELECT id FROM tag WHERE key IN "
            "(SELECT value FROM json_each(:tags)) UNION SELECT t.id FROM tag t JOIN sub "
            "ON t.parent_id = sub.id) SELECT id FROM sub))"
        )
    if f.places:
        q.params["places"] = json.dumps(list(f.places))
        q.where.append(
            "e.id IN (SELECT ep.event_id FROM eventplace ep JOIN place p ON p.id = ep.place_id "
            "WHERE p.key IN (SELECT value FROM json_each(:places)))"
        )
    if f.statuses:
        q.params["statuses"] = json.dumps(list(f.statuses))
        q.where.append("e.status IN (SELECT value FROM json_each(:statuses))")
    if f.languages:
        q.params["languages"] = json.dumps(list(f.languages))
        q.where.append("e.language IN (SELECT value FROM json_each(:languages))")
    if f.uuids is not None:
        q.params["uuids"] = json.dumps(list(f.uuids))
        q.joins.append("JOIN json_each(:uuids) j ON j.value = e.uuid")
    return q


def _where(q: _Sql) -> str:
    return ("WHERE " + " AND ".join(q.where)) if q.where else ""


_ROW_COLUMNS = """
    e.uuid, e.date_edtf, e.date_earliest, e.title,
    (SELECT group_concat(p.display_name, ', ') FROM eventplace ep JOIN place p
        ON p.id = ep.place_id WHERE ep.event_id = e.id) AS places,
    (SELECT group_concat(t.key, ', ') FROM eventtag et JOIN tag t ON t.id = et.tag_id
        WHERE et.event_id = e.id) AS tags,
    (SELECT max(f.value_min) FROM figure f WHERE f.event_id = e.id AND f.kind = 'detained')
        AS detained,
    (SELECT f.qualifier FROM figure f WHERE f.event_id = e.id AND f.kind = 'detained'
        ORDER BY f.value_min DESC LIMIT 1) AS detained_q,
    (SELECT max(f.value_min) FROM figure f WHERE f.event_id = e.id AND f.kind = 'killed')
        AS killed,
    e.status,
    (SELECT count(DISTINCT c.source_id) FROM citation c WHERE c.event_id = e.id) AS n_sources,
    e.version
"""


def list_events(
    conn: Connection,
    f: EventFilter,
    *,
    sort: str = "date",
    descending: bool = False,
    offset: int = 0,
    limit: int = 200,
) -> list[EventRow]:
    if sort == "rank" and f.uuids is None:
        sort = "date"
    order = SORT_KEYS.get(sort, SORT_KEYS["date"]).format(dir="DESC" if descending else "ASC")
    q = _build(f)
    sql = (
        f"SELECT {_ROW_COLUMNS} FROM event e {' '.join(q.joins)} {_where(q)} "
        f"ORDER BY {order} LIMIT :limit OFFSET :offset"
    )
    rows = conn.execute(text(sql), {**q.params, "limit": limit, "offset": offset}).all()
    return [
        EventRow(
            r[0],
            r[1],
            date.fromisoformat(r[2]) if r[2] else None,
            r[3],
            r[4] or "",
            r[5] or "",
            r[6],
            r[7],
            r[8],
            r[9],
            int(r[10]),
            int(r[11]),
        )
        for r in rows
    ]


def count_events(conn: Connection, f: EventFilter) -> int:
    q = _build(f)
    sql = f"SELECT count(*) FROM event e {' '.join(q.joins)} {_where(q)}"
    return int(conn.execute(text(sql), q.params).scalar_one())


def filtered_uuids(conn: Connection, f: EventFilter, *, sort: str = "date") -> list[str]:
    """All matching UUIDs in order (for exports and dossiers)."""
    order = SORT_KEYS.get(sort, SORT_KEYS["date"]).format(dir="ASC")
    if sort in ("detained", "sources"):
        order = SORT_KEYS["date"].format(dir="ASC")
    q = _build(f)
    sql = f"SELECT e.uuid FROM event e {' '.join(q.joins)} {_where(q)} ORDER BY {order}"
    return [r[0] for r in conn.execute(text(sql), q.params).all()]


@dataclass(frozen=True, slots=True)
class Facets:
    tags: dict[str, int]
    statuses: dict[str, int]
    places: dict[str, int]
    months: dict[str, int]


def facets(conn: Connection, f: EventFilter) -> Facets:
    """Counts per tag, status, place and month over the filtered set."""
    q = _build(f)
    base = f"SELECT e.id FROM event e {' '.join(q.joins)} {_where(q)}"
    p = q.params

    def pairs(sql: str) -> dict[str, int]:
        return {str(k): int(n) for k, n in conn.execute(text(sql), p).all() if k is not None}

    return Facets(
        tags=pairs(
            f"SELECT t.key, count(*) FROM eventtag et JOIN tag t ON t.id = et.tag_id "
            f"WHERE et.event_id IN ({base}) GROUP BY t.key"
        ),
        statuses=pairs(
            f"SELECT e.status, count(*) FROM event e WHERE e.id IN ({base}) GROUP BY e.status"
        ),
        places=pairs(
            f"SELECT p.key, count(*) FROM eventplace ep JOIN place p ON p.id = "
            f"ep.place_id WHERE ep.event_id IN ({base}) GROUP BY p.key"
        ),
        months=pairs(
            f"SELECT substr(e.date_earliest, 1, 7), count(*) FROM event e WHERE e.id "
            f"IN ({base}) GROUP BY 1"
        ),
    )


BUCKETS = {
    "day": "e.date_earliest",
    "week": "date(e.date_earliest, '-' || ((strftime('%w', e.date_earliest) + 6) % 7) || ' days')",
    "month": "substr(e.date_earliest, 1, 7) || '-01'",
}


@dataclass(frozen=True, slots=True)
class Bucket:
    start: date
    events: int
    detained: int


def timeline(conn: Connection, f: EventFilter, bucket: str = "week") -> list[Bucket]:
    """Events and detained (highest reported lower bound per event) per day/week/month."""
    expr = BUCKETS[bucket]
    q = _build(f)
    extra = " AND ".join([*q.where, "e.date_earliest IS NOT NULL"])
    sql = (
        f"SELECT {expr} AS b, count(*), sum(coalesce((SELECT max(fg.value_min) FROM figure fg "
        f"WHERE fg.event_id = e.id AND fg.kind = 'detained'), 0)) FROM event e "
        f"{' '.join(q.joins)} WHERE {extra} GROUP BY b ORDER BY b"
    )
    return [
        Bucket(date.fromisoformat(b), int(n), int(d or 0))
        for b, n, d in conn.execute(text(sql), q.params).all()
    ]
