-- A team catalogue's archived copies, in the database itself, so that one pg_dump holds the
-- whole archive: content-addressed by SHA-256, in chunks of 1 MiB, only ever added to.
-- Installed by `belarchive init postgresql://...` after rules.sql, in the same transaction.
-- Which source a copy belongs to, and under which name, is the attachment row's (sealed
-- into the audit log like every evidence row); these tables hold the bytes alone.

CREATE TABLE archivedcopy (
    sha256 VARCHAR(64) PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size BIGINT NOT NULL CHECK (size >= 0),
    chunks INTEGER NOT NULL CHECK (chunks >= 0),
    stored_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
);

CREATE TABLE archivedchunk (
    sha256 VARCHAR(64) NOT NULL REFERENCES archivedcopy (sha256),
    n INTEGER NOT NULL CHECK (n >= 0),
    data BYTEA NOT NULL,
    PRIMARY KEY (sha256, n)
);

GRANT SELECT, INSERT ON archivedcopy, archivedchunk TO belarchive_archivist;

CREATE TRIGGER archivedcopy_append_only BEFORE UPDATE OR DELETE ON archivedcopy FOR EACH ROW
    EXECUTE FUNCTION belarchive_append_only();
CREATE TRIGGER archivedcopy_no_truncate BEFORE TRUNCATE ON archivedcopy FOR EACH STATEMENT
    EXECUTE FUNCTION belarchive_append_only();
CREATE TRIGGER archivedchunk_append_only BEFORE UPDATE OR DELETE ON archivedchunk FOR EACH ROW
    EXECUTE FUNCTION belarchive_append_only();
CREATE TRIGGER archivedchunk_no_truncate BEFORE TRUNCATE ON archivedchunk FOR EACH STATEMENT
    EXECUTE FUNCTION belarchive_append_only();
