-- Schema version 6: signed-in users and signed history.
-- user: an Argon2id hash of the passphrase, the Ed25519 public key (hex) and the private key
-- wrapped under the passphrase (services.accounts). Users from older catalogues have none
-- until their first sign-in.
-- auditentry / importedhistory: the author's Ed25519 signature of the entry's hash (hex);
-- NULL for entries written before signing began and for the program's own data migrations.
-- importedkey: the public keys another catalogue exported with its records, so their
-- signatures can still be checked here.

ALTER TABLE user ADD COLUMN passphrase_hash VARCHAR;

ALTER TABLE user ADD COLUMN public_key VARCHAR;

ALTER TABLE user ADD COLUMN private_key_wrapped VARCHAR;

ALTER TABLE auditentry ADD COLUMN signature VARCHAR;

ALTER TABLE importedhistory ADD COLUMN signature VARCHAR;

CREATE TABLE importedkey (
	origin_catalogue VARCHAR NOT NULL,
	user VARCHAR NOT NULL,
	public_key VARCHAR NOT NULL,
	from_seq INTEGER NOT NULL,
	PRIMARY KEY (origin_catalogue, public_key)
);
