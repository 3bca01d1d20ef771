-- Schema version 2: remember imported documents so a re-import creates no duplicates.

CREATE TABLE importrecord (
	id INTEGER NOT NULL,
	sha256 VARCHAR NOT NULL,
	kind VARCHAR NOT NULL,
	original_name VARCHAR NOT NULL,
	imported_at DATETIME NOT NULL,
	imported_by VARCHAR NOT NULL,
	event_count INTEGER NOT NULL,
	source_uuid VARCHAR,
	PRIMARY KEY (id)
);

CREATE INDEX ix_importrecord_sha256 ON importrecord (sha256);
