-- Schema version 7: saved searches, a named query with the list's filters and the search's
-- options, shared by everyone who opens the catalogue. Never deleted: removing one sets
-- "deleted" (the audit log keeps who saved, renamed and removed it, and when).

CREATE TABLE savedsearch (
	id INTEGER NOT NULL,
	uuid VARCHAR NOT NULL,
	name VARCHAR NOT NULL,
	query VARCHAR NOT NULL,
	filters_json VARCHAR NOT NULL,
	options_json VARCHAR NOT NULL,
	created_by VARCHAR NOT NULL,
	created_at DATETIME NOT NULL,
	deleted BOOLEAN NOT NULL,
	PRIMARY KEY (id)
);

CREATE UNIQUE INDEX ix_savedsearch_uuid ON savedsearch (uuid);

CREATE INDEX ix_savedsearch_name ON savedsearch (deleted, name);
