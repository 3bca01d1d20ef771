-- Schema version 1: the first released catalogue format.

CREATE TABLE actor (
	id INTEGER NOT NULL,
	uuid VARCHAR NOT NULL,
	name VARCHAR NOT NULL,
	kind VARCHAR NOT NULL,
	variants_json VARCHAR NOT NULL,
	protected BOOLEAN NOT NULL,
	PRIMARY KEY (id)
);

CREATE INDEX ix_actor_name ON actor (name);

CREATE UNIQUE INDEX ix_actor_uuid ON actor (uuid);

CREATE TABLE auditentry (
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
	PRIMARY KEY (seq)
);

CREATE INDEX ix_auditentry_entity_id ON auditentry (entity_id);

CREATE TABLE event (
	id INTEGER NOT NULL,
	uuid VARCHAR NOT NULL,
	title VARCHAR NOT NULL,
	description VARCHAR NOT NULL,
	language VARCHAR NOT NULL,
	date_edtf VARCHAR,
	date_earliest DATE,
	date_latest DATE,
	status VARCHAR NOT NULL,
	version INTEGER NOT NULL,
	created_by VARCHAR NOT NULL,
	created_at DATETIME NOT NULL,
	updated_by VARCHAR NOT NULL,
	updated_at DATETIME NOT NULL,
	substance_by VARCHAR NOT NULL,
	deleted BOOLEAN NOT NULL,
	merged_into VARCHAR,
	PRIMARY KEY (id)
);

CREATE INDEX ix_event_listing ON event (deleted, date_earliest);

CREATE INDEX ix_event_status_date ON event (status, date_earliest);

CREATE UNIQUE INDEX ix_event_uuid ON event (uuid);

CREATE TABLE meta (
	"key" VARCHAR NOT NULL,
	value VARCHAR NOT NULL,
	PRIMARY KEY ("key")
);

CREATE TABLE place (
	id INTEGER NOT NULL,
	"key" VARCHAR NOT NULL,
	kind VARCHAR NOT NULL,
	parent_key VARCHAR,
	lat FLOAT,
	lon FLOAT,
	names_json VARCHAR NOT NULL,
	display_name VARCHAR NOT NULL,
	PRIMARY KEY (id)
);

CREATE UNIQUE INDEX ix_place_key ON place ("key");

CREATE TABLE source (
	id INTEGER NOT NULL,
	uuid VARCHAR NOT NULL,
	kind VARCHAR NOT NULL,
	title VARCHAR NOT NULL,
	author VARCHAR NOT NULL,
	publisher VARCHAR NOT NULL,
	url VARCHAR NOT NULL,
	published VARCHAR,
	accessed DATE,
	language VARCHAR NOT NULL,
	reliability VARCHAR NOT NULL,
	created_by VARCHAR NOT NULL,
	created_at DATETIME NOT NULL,
	PRIMARY KEY (id)
);

CREATE UNIQUE INDEX ix_source_uuid ON source (uuid);

CREATE TABLE tag (
	id INTEGER NOT NULL,
	"key" VARCHAR NOT NULL,
	parent_id INTEGER,
	labels_json VARCHAR NOT NULL,
	repression BOOLEAN NOT NULL,
	seeded BOOLEAN NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(parent_id) REFERENCES tag (id)
);

CREATE UNIQUE INDEX ix_tag_key ON tag ("key");

CREATE TABLE user (
	id INTEGER NOT NULL,
	name VARCHAR NOT NULL,
	role VARCHAR NOT NULL,
	active BOOLEAN NOT NULL,
	created_at DATETIME NOT NULL,
	PRIMARY KEY (id)
);

CREATE UNIQUE INDEX ix_user_name ON user (name);

CREATE TABLE annotation (
	id INTEGER NOT NULL,
	uuid VARCHAR NOT NULL,
	event_id INTEGER NOT NULL,
	author VARCHAR NOT NULL,
	created_at DATETIME NOT NULL,
	text VARCHAR NOT NULL,
	passage VARCHAR NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(event_id) REFERENCES event (id)
);

CREATE INDEX ix_annotation_event_id ON annotation (event_id);

CREATE UNIQUE INDEX ix_annotation_uuid ON annotation (uuid);

CREATE TABLE attachment (
	id INTEGER NOT NULL,
	uuid VARCHAR NOT NULL,
	source_id INTEGER NOT NULL,
	sha256 VARCHAR NOT NULL,
	size INTEGER NOT NULL,
	media_type VARCHAR NOT NULL,
	original_name VARCHAR NOT NULL,
	captured_at DATETIME NOT NULL,
	created_by VARCHAR NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(source_id) REFERENCES source (id)
);

CREATE INDEX ix_attachment_sha256 ON attachment (sha256);

CREATE INDEX ix_attachment_source_id ON attachment (source_id);

CREATE UNIQUE INDEX ix_attachment_uuid ON attachment (uuid);

CREATE TABLE citation (
	id INTEGER NOT NULL,
	uuid VARCHAR NOT NULL,
	event_id INTEGER NOT NULL,
	source_id INTEGER NOT NULL,
	locator VARCHAR NOT NULL,
	quote VARCHAR NOT NULL,
	credibility INTEGER NOT NULL,
	created_by VARCHAR NOT NULL,
	created_at DATETIME NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(event_id) REFERENCES event (id),
	FOREIGN KEY(source_id) REFERENCES source (id)
);

CREATE INDEX ix_citation_event_id ON citation (event_id);

CREATE INDEX ix_citation_source_id ON citation (source_id);

CREATE UNIQUE INDEX ix_citation_uuid ON citation (uuid);

CREATE TABLE eventactor (
	event_id INTEGER NOT NULL,
	actor_id INTEGER NOT NULL,
	role VARCHAR NOT NULL,
	PRIMARY KEY (event_id, actor_id, role),
	FOREIGN KEY(event_id) REFERENCES event (id),
	FOREIGN KEY(actor_id) REFERENCES actor (id)
);

CREATE INDEX ix_eventactor_actor_id ON eventactor (actor_id);

CREATE TABLE eventplace (
	event_id INTEGER NOT NULL,
	place_id INTEGER NOT NULL,
	PRIMARY KEY (event_id, place_id),
	FOREIGN KEY(event_id) REFERENCES event (id),
	FOREIGN KEY(place_id) REFERENCES place (id)
);

CREATE INDEX ix_eventplace_place ON eventplace (place_id, event_id);

CREATE TABLE eventtag (
	event_id INTEGER NOT NULL,
	tag_id INTEGER NOT NULL,
	PRIMARY KEY (event_id, tag_id),
	FOREIGN KEY(event_id) REFERENCES event (id),
	FOREIGN KEY(tag_id) REFERENCES tag (id)
);

CREATE INDEX ix_eventtag_tag ON eventtag (tag_id, event_id);

CREATE TABLE placename (
	id INTEGER NOT NULL,
	place_id INTEGER NOT NULL,
	name VARCHAR NOT NULL,
	language VARCHAR NOT NULL,
	folded VARCHAR NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (place_id, name),
	FOREIGN KEY(place_id) REFERENCES place (id)
);

CREATE INDEX ix_placename_folded ON placename (folded);

CREATE INDEX ix_placename_place_id ON placename (place_id);

CREATE TABLE verificationentry (
	id INTEGER NOT NULL,
	event_id INTEGER NOT NULL,
	from_status VARCHAR NOT NULL,
	to_status VARCHAR NOT NULL,
	reviewer VARCHAR NOT NULL,
	at DATETIME NOT NULL,
	note VARCHAR NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(event_id) REFERENCES event (id)
);

CREATE INDEX ix_verificationentry_event_id ON verificationentry (event_id);

CREATE TABLE figure (
	id INTEGER NOT NULL,
	uuid VARCHAR NOT NULL,
	event_id INTEGER NOT NULL,
	kind VARCHAR NOT NULL,
	value_min INTEGER NOT NULL,
	value_max INTEGER,
	qualifier VARCHAR NOT NULL,
	citation_id INTEGER,
	note VARCHAR NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(event_id) REFERENCES event (id),
	FOREIGN KEY(citation_id) REFERENCES citation (id)
);

CREATE INDEX ix_figure_event_kind ON figure (event_id, kind);

CREATE UNIQUE INDEX ix_figure_uuid ON figure (uuid);
