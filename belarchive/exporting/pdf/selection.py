"""Which events a dossier holds: the checked options turned into an ordered list of uuids.

Filtering is the core's (``storage.queries.EventFilter`` / ``filtered_uuids``); query text
goes through the search package (belarchive.search.api) when it is installed. The incident
log keeps only events carrying a repression tag (or a tag below one), intersected with any
tags the user chose.
"""

from __future__ import annotations

import importlib
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection

from belarchive.errors import ExportError
from belarchive.exporting.pdf.options import CheckedOptions
from belarchive.storage.queries import EventFilter, count_events, filtered_uuids

SEARCH_UNAVAILABLE = (
    "Full-text search is not available in this installation, so the query text cannot be "
    "used; leave it out and select by tag, place, status or dates instead."
)


def search_uuids(cat: Any, conn: Connection, query: str) -> list[str]:
    """Every event matching ``query`` (belarchive.search.api.search), in rank order.

    The search package is optional; without it the dossier refuses with a clear message
    rather than silently ignoring the query. A malformed query raises SearchQueryError.
    """
    try:
        api = importlib.import_module("belarchive.search.api")
    except ImportError as exc:
        raise ExportError(SEARCH_UNAVAILABLE, detail=str(exc)) from exc
    # A dossier wants every match, not the first page: the limit is the catalogue's size.
    everything = count_events(conn, EventFilter(include_deleted=True))
    return list(api.search(cat, query, limit=max(1, everything)).uuids)


def select_uuids(cat: Any, conn: Connection, checked: CheckedOptions) -> list[str]:
    """The dossier's events in date order (undated last)."""
    query = checked.options.query.strip()
    base = EventFilter(
        date_from=checked.date_from,
        date_to=checked.date_to,
        tags=checked.tag_keys,
        places=checked.place_keys,
        statuses=checked.statuses,
        uuids=search_uuids(cat, conn, query) if query else None,
    )
    uuids = filtered_uuids(conn, base, sort="date")
    if checked.options.template != "incident_log":
        return uuids
    repression = set(filtered_uuids(conn, replace(base, tags=checked.repression_keys)))
    return [u for u in uuids if u in repression]
