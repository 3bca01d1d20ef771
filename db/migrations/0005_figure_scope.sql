-- Schema version 5: what a figure counts over, and near-duplicate documents.
-- scope: 'incident' (the event itself; every existing figure) or 'period' (a reported running
-- total or a period's figure, never summed); period_edtf: the period as EDTF
-- ("2020-08-09/2020-11-03", "../2020-11-03"); part_of: the UUID of the figure this one is
-- part of (journalists among the detained), never added to totals on its own.

ALTER TABLE figure ADD COLUMN scope VARCHAR NOT NULL DEFAULT 'incident';

ALTER TABLE figure ADD COLUMN period_edtf VARCHAR;

ALTER TABLE figure ADD COLUMN part_of VARCHAR;

CREATE INDEX ix_figure_scope ON figure (event_id, kind, scope);

-- The SHA-256 of a document's normalised text (decoded, NFC, line ends and spaces folded):
-- a re-saved or re-encoded copy of an imported chronicle is recognised.
ALTER TABLE importrecord ADD COLUMN fingerprint VARCHAR;

CREATE INDEX ix_importrecord_fingerprint ON importrecord (fingerprint);
