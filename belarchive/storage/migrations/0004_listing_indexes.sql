-- Schema version 4: indexes for the event listing (measured at 100k events, bench/bench_core.py).
-- An event row is ~1 KB (the description is inline), so listings must not scan the table:
-- ix_event_filter covers date-window and status filters and the date order; ix_event_title
-- serves the title sort in the listing's collation; ix_citation_event_source lets the
-- "sources" column and sort count distinct sources without reading citation rows.

CREATE INDEX ix_event_filter ON event (deleted, date_earliest, date_latest, status);

CREATE INDEX ix_event_title ON event (deleted, title COLLATE NOCASE);

CREATE INDEX ix_citation_event_source ON citation (event_id, source_id);
