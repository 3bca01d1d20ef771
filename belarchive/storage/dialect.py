"""The few SQL phrases SQLite and PostgreSQL spell differently, in one place.

The read queries (storage.queries and its neighbours) are written once, with these phrases
where the two differ. SQLite's spellings are the ones the listing indexes were built for and
must stay verbatim (``julianday`` span, ``COLLATE NOCASE``); PostgreSQL's match the indexes
of ``db/postgresql/schema.sql``. Driver SQL elsewhere needs no phrase of its own: storage.
server rewrites its placeholders and JSON key lists.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection

# A full ISO date, the only text PostgreSQL may cast to a date without failing.
_ISO_DAY = r"'^[0-9]{4}-[0-9]{2}-[0-9]{2}$'"


def is_server(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def keys_in(conn: Connection, param: str, kind: str = "text") -> str:
    """``IN`` a list of keys bound as ``:param`` (see ``keys``): one statement and no limit
    on how many keys, on both."""
    if is_server(conn):
        return f"= ANY(CAST(:{param} AS {kind}[]))"
    return f"IN (SELECT value FROM json_each(:{param}))"


def keys(conn: Connection, values: Iterable[Any]) -> Any:
    """The value to bind for ``keys_in``: a JSON array for SQLite, the list itself for psycopg."""
    listed = list(values)
    return listed if is_server(conn) else json.dumps(listed)


def keys_then(conn: Connection, param: str, alias: str, table: str, column: str) -> str:
    """``table`` joined to the keys bound as ``:param`` on ``column``, the keys (in their
    given order, ``alias.key``) read first. SQLite keeps the order of a CROSS JOIN; it has no
    estimate of json_each's rows and otherwise may scan the keys once per row of ``table``.
    PostgreSQL's planner knows the list's length."""
    if is_server(conn):
        return (
            f"{table} JOIN unnest(CAST(:{param} AS text[])) WITH ORDINALITY AS {alias}(value, key) "
            f"ON {alias}.value = {column}"
        )
    return f"json_each(:{param}) {alias} CROSS JOIN {table} ON {column} = {alias}.value"


def joined(conn: Connection, expr: str, separator: str, ordered: bool = False) -> str:
    """The aggregate that joins ``expr`` of a group's rows with ``separator`` (``ordered``:
    by ``expr``; SQLite keeps the order its subquery gives, PostgreSQL is told)."""
    if is_server(conn):
        order = f" ORDER BY {expr}" if ordered else ""
        return f"string_agg({expr}, '{separator}'{order})"
    return f"group_concat({expr}, '{separator}')"


def nocase(conn: Connection, expr: str) -> str:
    return f"lower({expr})" if is_server(conn) else f"{expr} COLLATE NOCASE"


def span_days(conn: Connection, later: str, earlier: str) -> str:
    """Days from ``earlier`` to ``later`` (date columns), as each schema's span index has it."""
    if is_server(conn):
        return f"({later} - {earlier})"
    return f"julianday({later}) - julianday({earlier})"


def text_span_days(conn: Connection, later: str, earlier: str) -> str:
    """Days between two texts that may or may not be full ISO dates (NULL when not)."""
    if is_server(conn):
        return f"({_as_day(later)} - {_as_day(earlier)})"
    return f"(julianday({later}) - julianday({earlier}))"


def _as_day(expr: str) -> str:
    return f"(CASE WHEN {expr} ~ {_ISO_DAY} THEN CAST({expr} AS date) END)"


def days_before(conn: Connection, param: str, days: str) -> str:
    """The day ``days`` before the ISO date bound as ``:param``; day one where that falls
    before the calendar (an open range makes ``days`` longer than the calendar)."""
    if is_server(conn):
        day = f"CAST(:{param} AS date)"
        return (
            f"(CASE WHEN {days} < {day} - DATE '0001-01-01' "
            f"THEN {day} - CAST({days} AS integer) ELSE DATE '0001-01-01' END)"
        )
    return f"coalesce(date(:{param}, '-' || {days} || ' days'), '0001-01-01')"


def position(conn: Connection, needle: str, haystack: str) -> str:
    return f"strpos({haystack}, {needle})" if is_server(conn) else f"instr({haystack}, {needle})"


def month_of(conn: Connection, expr: str) -> str:
    """'YYYY-MM' of a date column."""
    return f"to_char({expr}, 'YYYY-MM')" if is_server(conn) else f"substr({expr}, 1, 7)"


def week_start(conn: Connection, expr: str) -> str:
    """The Monday of a date column's week."""
    if is_server(conn):
        return f"CAST(date_trunc('week', {expr}) AS date)"
    return f"date({expr}, '-' || ((strftime('%w', {expr}) + 6) % 7) || ' days')"


def month_start(conn: Connection, expr: str) -> str:
    if is_server(conn):
        return f"CAST(date_trunc('month', {expr}) AS date)"
    return f"substr({expr}, 1, 7) || '-01'"


def not_indexed(conn: Connection, table: str) -> str:
    """``table`` kept off its indexes where SQLite would otherwise pick the wrong one
    (PostgreSQL's planner weighs the tag's short list itself)."""
    return table if is_server(conn) else f"{table} NOT INDEXED"


def no_limit(conn: Connection) -> int | None:
    """The ``:limit`` that means "all rows"."""
    return None if is_server(conn) else -1


def as_stored(value: Any) -> Any:
    """A column value as SQLite holds it, whichever database it came from: PostgreSQL's
    booleans, dates and timestamps in SQLite's spelling (1/0, ISO day, SQLAlchemy's naive UTC
    text). What is exported, hashed or sealed must not depend on where it was stored."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def stored_row(row: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(as_stored(v) for v in row)
