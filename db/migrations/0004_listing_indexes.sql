-- Schema version 4: indexes for the event listing (measured at 100k events, bench/bench_core.py).
-- An event row is ~1 KB (the description is inline), so listings must not scan the table:
-- ix_event_filter covers date-window and status filters and the date order; with
-- ix_citation_event_source the "sources" column and sort count distinct sources without
-- reading citation rows.

CREATE INDEX ix_event_filter ON event (deleted, date_earliest, date_latest, status);

CREATE INDEX ix_citation_event_source ON citation (event_id, source_id);

-- Sorting by title walks this index instead of sorting 100k rows (230 ms -> 2 ms).
CREATE INDEX ix_event_title ON event (deleted, title COLLATE NOCASE);

-- "The longest event span" in O(log n): with it a date window bounds date_earliest on both
-- sides (storage/queries.py, _MAX_SPAN uses this expression verbatim).
CREATE INDEX ix_event_span ON event ((julianday(date_latest) - julianday(date_earliest)));
