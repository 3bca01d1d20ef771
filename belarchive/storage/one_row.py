"""Long lists read as one row, so a background read does not stall the window.

Python's sqlite3 lets go of the interpreter lock around every step of a query, once a row,
and takes it back a few microseconds later. CPython asks a holder to let go only when
nobody else took the lock during the last switch interval, and each of those retakings
counts: a thread waiting for the lock, the window's, lost nearly every time. Read by rows,
the listing's 100k ids stalled the window for 60–100 ms after each change; 100k ids took
22 s with a busy Python thread beside them instead of 24 ms. Joined into one text inside
SQLite, the whole read is one step with the lock let go.

A team server's rows arrive through psycopg, which converts a whole result at once: there
the rows are read as they are.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, text

from belarchive.storage import dialect

_SEPARATOR = "\x1f"  # the unit separator: in no uuid, number or key


def values(conn: Connection, value: str, sql: str, params: dict[str, Any]) -> list[str]:
    """``value`` (an SQL expression over ``s``, the rows of ``sql``) of every row, as text,
    in the order ``sql`` gives them. ``value`` must never be NULL."""
    if dialect.is_server(conn):
        rows = conn.execute(text(f"SELECT {value} FROM ({sql}) AS s"), params)
        return [str(v) for (v,) in rows]
    joined = conn.execute(
        text(f"SELECT group_concat({value}, '{_SEPARATOR}') FROM ({sql}) AS s"), params
    ).scalar()
    return str(joined).split(_SEPARATOR) if joined is not None else []
