"""The full order of a listing as UUIDs, so deep pages are fetched by id.

The UUID order (~0.3-0.5 s on 100k events) is loaded on the thread pool; a page named by its
200 UUIDs then costs ~10 ms wherever the user scrolls. The order comes from the listing's own
query (``queries.filtered_uuids``), so both agree row for row.
"""

from __future__ import annotations

from sqlalchemy import Connection

from belarchive.storage import queries
from belarchive.storage.queries import EventFilter


def ordered_uuids(conn: Connection, f: EventFilter, sort: str, descending: bool) -> list[str]:
    return queries.filtered_uuids(conn, f, sort=sort, descending=descending)
