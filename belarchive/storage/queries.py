"""Read-only queries for listings, facets and timelines: SQL with column tuples, no ORM objects.

Filtering and sorting happen here, in SQLite, so a view over 100,000 events only ever holds
the window it shows. Measured at 100k events (bench/bench_core.py): an event row is ~1 KB, so
a listing must never walk the table. Three things keep it on indexes: a date window bounds
``date_earliest`` on both sides (using the longest event span, itself indexed); a rare tag
drives the query from its short list of events while a common one is an EXISTS probe; and the
page is ordered and cut on ids first, with the display columns computed for its rows only.
Search results arrive as an ordered list of UUIDs and are joined via json_each, which keeps
the rank order and has no parameter-count limit; the list is read first, each UUID a look-up
on its index (``dialect.keys_then``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, cast

from sqlalchemy import Connection, text

from belarchive.storage import dialect, one_row

SORT_KEYS = {
    "date": "e.date_earliest {dir} NULLS LAST, e.date_latest {dir}, e.id {dir}",
    "title": "{nocase_title} {dir}, e.id",
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
    # Any of these spans (first day, last day), each overlapping the event's date: the
    # months ticked in the window's facets (September and November, not October).
    periods: tuple[tuple[date, date], ...] = ()
    include_deleted: bool = False
    withdrawn: bool = False  # only withdrawn (deleted) events: the window's undelete view
    dated_only: bool = False


# The facet value that lists withdrawn events (beside the verification statuses).
WITHDRAWN = "withdrawn"


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
    where: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)


def _build(conn: Connection, f: EventFilter) -> _Sql:
    """The simple conditions; dates from, tags and places are in _source_and_where."""
    q = _Sql()
    if f.withdrawn:
        q.where.append("e.deleted = true")
    elif not f.include_deleted:
        q.where.append("e.deleted = false")
    if f.date_to:
        q.where.append("e.date_earliest <= :date_to")
        q.params["date_to"] = f.date_to.isoformat()
    if f.dated_only:
        q.where.append("e.date_earliest IS NOT NULL")
    if f.periods:
        overlaps = []
        for n, (first, last) in enumerate(f.periods):
            q.params[f"period_from_{n}"], q.params[f"period_to_{n}"] = (
                first.isoformat(),
                last.isoformat(),
            )
            overlaps.append(
                f"(e.date_latest >= :period_from_{n} AND e.date_earliest <= :period_to_{n})"
            )
        q.where.append("(" + " OR ".join(overlaps) + ")")
    if f.statuses:
        q.params["statuses"] = dialect.keys(conn, f.statuses)
        q.where.append(f"e.status {dialect.keys_in(conn, 'statuses')}")
    if f.languages:
        q.params["languages"] = dialect.keys(conn, f.languages)
        q.where.append(f"e.language {dialect.keys_in(conn, 'languages')}")
    if f.uuids is not None:
        q.params["uuids"] = dialect.keys(conn, f.uuids)  # joined in _source_and_where
    return q


# The counting rule in SQL: only a figure of the incident itself counts, never a reported
# running total (scope 'period') nor a part of another figure (journalists among the detained).
COUNTED = "f.scope = 'incident' AND f.part_of IS NULL"

_ROW_COLUMNS = f"""
    e.uuid, e.date_edtf, e.date_earliest, e.title,
    (SELECT {{places}} FROM eventplace ep JOIN place p
        ON p.id = ep.place_id WHERE ep.event_id = e.id) AS places,
    (SELECT {{tags}} FROM eventtag et JOIN tag t ON t.id = et.tag_id
        WHERE et.event_id = e.id) AS tags,
    (SELECT max(f.value_min) FROM figure f WHERE f.event_id = e.id AND f.kind = 'detained'
        AND {COUNTED}) AS detained,
    (SELECT f.qualifier FROM figure f WHERE f.event_id = e.id AND f.kind = 'detained'
        AND {COUNTED} ORDER BY f.value_min DESC LIMIT 1) AS detained_q,
    (SELECT max(f.value_min) FROM figure f WHERE f.event_id = e.id AND f.kind = 'killed'
        AND {COUNTED}) AS killed,
    e.status,
    (SELECT count(DISTINCT c.source_id) FROM citation c WHERE c.event_id = e.id) AS n_sources,
    e.version
"""


def _row_columns(conn: Connection) -> str:
    return _ROW_COLUMNS.format(
        places=dialect.joined(conn, "p.display_name", ", "),
        tags=dialect.joined(conn, "t.key", ", "),
    )


def _max_span(conn: Connection) -> str:
    """The longest event span: with it, "ends after FROM" also bounds the start, so a date
    window is one index range. Must be ix_event_span's expression verbatim to use it."""
    span = dialect.span_days(conn, "date_latest", "date_earliest")
    return f"(SELECT coalesce(max({span}), 0) FROM event)"


def _tag_ids(conn: Connection) -> str:
    return (
        f"WITH RECURSIVE sub(id) AS (SELECT id FROM tag WHERE key {dialect.keys_in(conn, 'tags')} "
        "UNION SELECT t.id FROM tag t JOIN sub ON t.parent_id = sub.id) SELECT id FROM sub"
    )


# Below this many tagged (or placed) events, walking the tag's events beats probing each
# candidate of the date window (a rare tag over six months: 0.5 ms against 9–20 ms at 100k;
# a place of no events, the first page: 0.5 ms against 64–68 ms probing all 100k).
RARE_LINKED_EVENTS = 5000
# Sort keys that are not event columns: computed in the inner query, for ordering only.
_COMPUTED_KEYS = {
    "detained": "(SELECT max(f.value_min) FROM figure f WHERE f.event_id = e.id "
    f"AND f.kind = 'detained' AND {COUNTED}) AS detained",
    "sources": "(SELECT count(DISTINCT c.source_id) FROM citation c WHERE c.event_id = e.id) "
    "AS n_sources",
}


def _tag_condition(conn: Connection, tags: tuple[str, ...], always_drive: bool
                   ) -> tuple[str, dict[str, Any], bool]:  # fmt: skip
    """(condition, params, drive_from_tag) with the tags and their descendants resolved."""
    found = conn.execute(text(_tag_ids(conn)), {"tags": dialect.keys(conn, tags)})
    return _linked(conn, "eventtag", "tag", [int(r[0]) for r in found], always_drive)


def _place_condition(conn: Connection, places: tuple[str, ...]
                     ) -> tuple[str, dict[str, Any], bool]:  # fmt: skip
    """(condition, params, drive_from_place) for events at any of these places (keys)."""
    found = conn.execute(
        text(f"SELECT id FROM place WHERE key {dialect.keys_in(conn, 'places')}"),
        {"places": dialect.keys(conn, places)},
    )
    return _linked(conn, "eventplace", "place", [int(r[0]) for r in found], False)


def _linked(conn: Connection, table: str, kind: str, ids: list[int], always_drive: bool
            ) -> tuple[str, dict[str, Any], bool]:  # fmt: skip
    """Events linked through ``table`` (eventtag, eventplace) to one of ``ids`` (of ``kind``):
    walked from the links when they are few (or ``always_drive``), else probed per event."""
    params = {f"{kind}{i}": v for i, v in enumerate(ids or [-1])}
    in_list = ", ".join(f":{k}" for k in params)
    column = f"{kind}_id"
    linked: int = conn.execute(
        text(
            f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {column} IN ({in_list}) "
            f"LIMIT {RARE_LINKED_EVENTS + 1}) AS linked"
        ),
        params,
    ).scalar_one()
    if always_drive or int(linked) <= RARE_LINKED_EVENTS:
        sql = f"e.id IN (SELECT l.event_id FROM {table} l WHERE l.{column} IN ({in_list}))"
        return sql, params, True
    sql = f"EXISTS (SELECT 1 FROM {table} l WHERE l.event_id = e.id AND l.{column} IN ({in_list}))"
    return sql, params, False


def _source_and_where(conn: Connection, f: EventFilter, *, whole: bool = False
                      ) -> tuple[str, str, dict[str, Any]]:  # fmt: skip
    """(FROM clause with joins, WHERE clause, params) for a filter; ``whole`` when the whole
    selection is wanted (counts, facets, the map), not a first page in date order."""
    q = _build(conn, f)
    where, params = list(q.where), dict(q.params)
    if f.date_from:
        params["date_from"] = f.date_from.isoformat()
        where.append("e.date_latest >= :date_from")
        # An open or very wide range (…/.., /9999) makes the span longer than the calendar:
        # date() is then NULL, which would hide every event; the bound falls back to day one.
        where.append(
            f"e.date_earliest >= {dialect.days_before(conn, 'date_from', _max_span(conn))}"
        )
    drive = False
    if f.places:
        cond, place_params, drive = _place_condition(conn, f.places)
        where.append(cond)
        params.update(place_params)
    if f.tags:
        cond, tag_params, by_tag = _tag_condition(conn, f.tags, whole and not _narrowed(f))
        where.append(cond)
        params.update(tag_params)
        drive = drive or by_tag
    table = "event e"
    if drive and f.uuids is None:
        # NOT INDEXED keeps SQLite off the date index (rowid look-ups remain): it walks the
        # short list of tagged (placed) events instead of the whole date range.
        table = dialect.not_indexed(conn, "event e")
    if f.uuids is not None:
        # A search's answer drives: each of its keys is a look-up on the uuid index. Left to
        # itself, SQLite walked the events and scanned the whole key list for each: ~100,000
        # x 47,000 for a common word at 100k, minutes for one count (performance.md).
        table = dialect.keys_then(conn, "uuids", "j", table, "e.uuid")
    clause = ("WHERE " + " AND ".join(where)) if where else ""
    return table, clause, params


def _narrowed(f: EventFilter) -> bool:
    """Whether a condition besides the tags narrows the selection through an index. If none
    does, a whole selection is cheapest walked from the tags' own events, however many
    (a common tag at 100k: 16–39 ms against 53–64 ms probing every event); a first page in
    date order is not, as the date index finds it after a few hundred probes."""
    return bool(f.date_from or f.date_to or f.periods or f.statuses or f.places
                or f.uuids is not None)  # fmt: skip


def _order(conn: Connection, sort: str, descending: bool, f: EventFilter) -> str:
    if sort == "rank" and f.uuids is None:
        sort = "date"
    return SORT_KEYS.get(sort, SORT_KEYS["date"]).format(
        dir="DESC" if descending else "ASC", nocase_title=dialect.nocase(conn, "e.title")
    )


def _page_sql(conn: Connection, f: EventFilter, sort: str, descending: bool
              ) -> tuple[str, dict[str, Any]]:  # fmt: skip
    """Filter, order and cut on ids (and the sort key) only; then compute the display columns
    for the page's rows alone."""
    source, where, params = _source_and_where(conn, f)
    order = _order(conn, sort, descending, f)
    keys = ["e.id"]
    if sort in _COMPUTED_KEYS:
        keys.append(_COMPUTED_KEYS[sort])
    outer_order = order
    if sort == "rank" and f.uuids is not None:
        keys.append("j.key")
        outer_order = order.replace("j.key", "page.key")
    inner = (
        f"SELECT {', '.join(keys)} FROM {source} {where} ORDER BY {order} "
        "LIMIT :limit OFFSET :offset"
    )
    sql = (
        f"SELECT {_row_columns(conn)} FROM ({inner}) AS page JOIN event e ON e.id = page.id "
        f"ORDER BY {outer_order}"
    )
    return sql, params


def page_statement(
    conn: Connection, f: EventFilter, *, sort: str = "date", descending: bool = False
) -> tuple[str, dict[str, Any]]:
    """The SQL and parameters of one listing page (``:limit``/``:offset`` still to bind):
    for benchmarks and query plans."""
    return _page_sql(conn, f, sort, descending)


def as_day(value: Any) -> date | None:
    """A date column's value as a date: SQLite gives its ISO text, PostgreSQL a date."""
    if value is None or value == "":
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _row(r: Any) -> EventRow:
    return EventRow(
        r[0], r[1], as_day(r[2]), r[3], r[4] or "", r[5] or "",
        r[6], r[7], r[8], r[9], int(r[10]), int(r[11]),
    )  # fmt: skip


def list_events(
    conn: Connection,
    f: EventFilter,
    *,
    sort: str = "date",
    descending: bool = False,
    offset: int = 0,
    limit: int = 200,
) -> list[EventRow]:
    sql, params = _page_sql(conn, f, sort, descending)
    rows = conn.execute(text(sql), {**params, "limit": limit, "offset": offset})
    return [_row(r) for r in rows]


def iter_events(
    conn: Connection, f: EventFilter, *, sort: str = "date", descending: bool = False
) -> Iterator[EventRow]:
    """Every matching row from ONE statement, streamed (OFFSET pages re-walk earlier pages:
    listing 100k in pages of 2,000 took 35 s; streaming takes 3–4 s)."""
    sql, params = _page_sql(conn, f, sort, descending)
    for r in conn.execute(text(sql), {**params, "limit": dialect.no_limit(conn), "offset": 0}):
        yield _row(r)


def count_events(conn: Connection, f: EventFilter) -> int:
    source, where, params = _source_and_where(conn, f, whole=True)
    return int(conn.execute(text(f"SELECT count(*) FROM {source} {where}"), params).scalar_one())


def filtered_uuids(
    conn: Connection, f: EventFilter, *, sort: str = "date", descending: bool = False
) -> list[str]:
    """All matching UUIDs in listing order: exports, dossiers, and views that fetch deep
    pages by id."""
    source, where, params = _source_and_where(conn, f)
    order = _order(conn, sort, descending, f)
    computed = f", {_COMPUTED_KEYS[sort]}" if sort in _COMPUTED_KEYS else ""
    sql = f"SELECT e.uuid AS uuid{computed} FROM {source} {where} ORDER BY {order}"
    return one_row.values(conn, "s.uuid", sql, params)


def _matching_ids(conn: Connection, f: EventFilter) -> tuple[str, dict[str, Any]]:
    source, where, params = _source_and_where(conn, f, whole=True)
    return f"SELECT e.id FROM {source} {where}", params


@dataclass(frozen=True, slots=True)
class Facets:
    tags: dict[str, int]
    statuses: dict[str, int]
    places: dict[str, int]
    months: dict[str, int]


def facets(conn: Connection, f: EventFilter) -> Facets:
    """Counts per tag, status, place and month over the filtered set, in one statement."""
    base, params = _matching_ids(conn, f)
    # A narrowed selection is worked out once and kept (its tag or date look-ups then cost
    # once, not four times: 160–175 ms against 260–340 ms for a tag at 100k events). The
    # whole catalogue is cheaper read where it lies.
    kept = "NOT MATERIALIZED" if f == EventFilter() else "MATERIALIZED"
    month = dialect.month_of(conn, "e.date_earliest")
    sql = f"""WITH sel(id) AS {kept} ({base})
        SELECT 's', e.status, count(*) FROM sel JOIN event e ON e.id = sel.id GROUP BY e.status
        UNION ALL
        SELECT 't', t.key, count(*) FROM sel JOIN eventtag et ON et.event_id = sel.id
            JOIN tag t ON t.id = et.tag_id GROUP BY t.key
        UNION ALL
        SELECT 'p', p.key, count(*) FROM sel JOIN eventplace ep ON ep.event_id = sel.id
            JOIN place p ON p.id = ep.place_id GROUP BY p.key
        UNION ALL
        SELECT 'm', {month}, count(*) FROM sel JOIN event e ON e.id = sel.id GROUP BY 2"""
    found: dict[str, dict[str, int]] = {"s": {}, "t": {}, "p": {}, "m": {}}
    for kind, key, n in conn.execute(text(sql), params):
        if key is not None:
            found[str(kind)][str(key)] = int(cast(Any, n))
    statuses = found["s"]
    if not f.withdrawn:  # how many the same filters find among the withdrawn events
        statuses[WITHDRAWN] = count_events(conn, replace(f, withdrawn=True))
    return Facets(tags=found["t"], statuses=statuses, places=found["p"], months=found["m"])


BUCKETS = {
    "day": lambda conn, col: col,
    "week": dialect.week_start,
    "month": dialect.month_start,
}


@dataclass(frozen=True, slots=True)
class Bucket:
    start: date
    events: int
    detained: int


def timeline(conn: Connection, f: EventFilter, bucket: str = "week") -> list[Bucket]:
    """Events and detained (highest reported lower bound per event) per day/week/month."""
    expr = BUCKETS[bucket](conn, "e.date_earliest")
    base, params = _matching_ids(conn, f)
    sql = (
        f"SELECT {expr} AS b, count(*), sum(coalesce((SELECT max(f.value_min) FROM figure f "
        f"WHERE f.event_id = e.id AND f.kind = 'detained' AND {COUNTED}), 0)) FROM event e "
        # An event with no known start ("../2020-11-03") has no place on a time axis.
        f"WHERE e.id IN ({base}) AND e.date_earliest > '0001-01-01' GROUP BY b ORDER BY b"
    )
    return [
        Bucket(cast(date, as_day(b)), int(cast(Any, n)), int(cast(Any, d) or 0))
        for b, n, d in conn.execute(text(sql), params).all()
    ]


@dataclass(frozen=True, slots=True)
class RunningTotal:
    value: int
    qualifier: str
    period: str | None
    reported: date | None  # the day of the event that reports it


# A running total "since the start": an open start, or a period of four weeks or more that
# crosses a month boundary (a day's or a week's count is not one, and neither is "over the
# month", which is that month's own count).
def _long_period(conn: Connection) -> str:
    slash = dialect.position(conn, "'/'", "f.period_edtf")
    start = f"substr(f.period_edtf, 1, {slash} - 1)"
    end = f"substr(f.period_edtf, {slash} + 1)"
    return (
        f"(f.period_edtf LIKE '../%' OR ({dialect.text_span_days(conn, end, start)} >= 28 "
        f"AND substr({start}, 1, 7) != substr({end}, 1, 7)))"
    )


# An event about one region or town (not the whole country).
_LOCAL = (
    "EXISTS (SELECT 1 FROM eventplace ep JOIN place p ON p.id = ep.place_id "
    "WHERE ep.event_id = e.id AND p.key != 'belarus')"
)


def latest_running_total(conn: Connection, f: EventFilter) -> RunningTotal | None:
    """The most recently reported running total of detentions among the filtered events —
    shown beside the totals as what it is, never added to them. Without a place filter a
    country-wide total is preferred to a town's own."""
    base, params = _matching_ids(conn, f)
    local_last = f"{_LOCAL}, " if not f.places else ""
    row = conn.execute(
        text(
            "SELECT f.value_min, f.qualifier, f.period_edtf, e.date_latest FROM figure f "
            f"JOIN event e ON e.id = f.event_id WHERE e.id IN ({base}) "
            "AND f.kind = 'detained' AND f.scope = 'period' AND f.part_of IS NULL "
            f"AND {_long_period(conn)} ORDER BY {local_last}e.date_latest DESC, f.value_min DESC "
            "LIMIT 1"
        ),
        params,
    ).first()
    if row is None:
        return None
    value, qualifier, period, reported = row
    when = as_day(reported)
    return RunningTotal(
        int(cast(Any, value)), str(qualifier), str(period) if period else None, when
    )
