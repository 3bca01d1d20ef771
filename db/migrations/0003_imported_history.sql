-- Schema version 3: audit history that arrived with records imported from another catalogue.
-- Kept apart from auditentry so this catalogue's own hash chain stays linear and verifiable.

CREATE TABLE importedhistory (
	id INTEGER NOT NULL,
	origin_catalogue VARCHAR NOT NULL,
	seq INTEGER NOT NULL,
	ts VARCHAR NOT NULL,
	user VARCHAR NOT NULL,
	action VARCHAR NOT NULL,
	entity_type VARCHAR NOT NULL,
	entity_id VARCHAR NOT NULL,
	before_json VARCHAR,
	after_json VARCHAR,
	prev_hash VARCHAR NOT NULL,
	hash VARCHAR NOT NULL,
	imported_at DATETIME NOT NULL,
	imported_by VARCHAR NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (origin_catalogue, seq)
);

CREATE INDEX ix_importedhistory_entity_id ON importedhistory (entity_id);
