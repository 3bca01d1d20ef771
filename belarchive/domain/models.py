"""The catalogue's tables (SQLModel). Data only: the rules live in rules.py, writes in services/.

Integer primary keys keep joins small and fast; every record people refer to also has a
stable UUID, which is what exports, citations in dossiers and the audit log name.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    role: str
    active: bool = True
    created_at: datetime
    # Schema v6 (services.accounts): None until the user's first sign-in in older catalogues.
    passphrase_hash: str | None = None
    public_key: str | None = None
    private_key_wrapped: str | None = None


class Event(SQLModel, table=True):
    __table_args__ = (
        Index("ix_event_listing", "deleted", "date_earliest"),
        Index("ix_event_status_date", "status", "date_earliest"),
        # Schema v4 (0004_listing_indexes.sql): filters and sorts without reading event rows.
        Index("ix_event_filter", "deleted", "date_earliest", "date_latest", "status"),
        Index("ix_event_title", "deleted", text("title COLLATE NOCASE")),
        Index("ix_event_span", text("(julianday(date_latest) - julianday(date_earliest))")),
    )
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(unique=True, index=True)
    title: str
    description: str = ""
    language: str = "und"
    date_edtf: str | None = None
    date_earliest: date | None = None
    date_latest: date | None = None
    status: str = "unverified"
    version: int = 1
    created_by: str
    created_at: datetime
    updated_by: str
    updated_at: datetime
    # Who last changed what the event asserts (not tags-only or annotations): four-eyes rule.
    substance_by: str
    deleted: bool = False
    merged_into: str | None = None


class SavedSearch(SQLModel, table=True):
    """A named query with the list's filters and the search's options (schema v7)."""

    __table_args__ = (Index("ix_savedsearch_name", "deleted", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(unique=True, index=True)
    name: str
    query: str
    filters_json: str = "{}"  # tags, places, statuses, periods, date range (saved_searches.py)
    options_json: str = "{}"  # word_families, cross_script
    created_by: str
    created_at: datetime
    deleted: bool = False


class Tag(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    parent_id: int | None = Field(default=None, foreign_key="tag.id")
    labels_json: str = "{}"
    repression: bool = False
    seeded: bool = False


class EventTag(SQLModel, table=True):
    __table_args__ = (Index("ix_eventtag_tag", "tag_id", "event_id"),)
    event_id: int = Field(foreign_key="event.id", primary_key=True)
    tag_id: int = Field(foreign_key="tag.id", primary_key=True)


class Place(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    kind: str = "city"
    parent_key: str | None = None
    lat: float | None = None
    lon: float | None = None
    names_json: str = "{}"
    display_name: str


class PlaceName(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("place_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    place_id: int = Field(foreign_key="place.id", index=True)
    name: str
    language: str
    folded: str = Field(index=True)


class EventPlace(SQLModel, table=True):
    __table_args__ = (Index("ix_eventplace_place", "place_id", "event_id"),)
    event_id: int = Field(foreign_key="event.id", primary_key=True)
    place_id: int = Field(foreign_key="place.id", primary_key=True)


class Actor(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(unique=True, index=True)
    name: str = Field(index=True)
    kind: str = "person"
    variants_json: str = "[]"
    # Victims and witnesses may be pseudonymised in shared dossiers.
    protected: bool = False


class EventActor(SQLModel, table=True):
    event_id: int = Field(foreign_key="event.id", primary_key=True)
    actor_id: int = Field(foreign_key="actor.id", primary_key=True, index=True)
    role: str = Field(primary_key=True)


class Source(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(unique=True, index=True)
    kind: str = "other"
    title: str
    author: str = ""
    publisher: str = ""
    url: str = ""
    published: str | None = None
    accessed: date | None = None
    language: str = "und"
    reliability: str = "F"
    created_by: str
    created_at: datetime


class Citation(SQLModel, table=True):
    __table_args__ = (Index("ix_citation_event_source", "event_id", "source_id"),)
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(unique=True, index=True)
    event_id: int = Field(foreign_key="event.id", index=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    locator: str = ""
    quote: str = ""
    credibility: int = 6
    created_by: str
    created_at: datetime


class Figure(SQLModel, table=True):
    __table_args__ = (
        Index("ix_figure_event_kind", "event_id", "kind"),
        Index("ix_figure_scope", "event_id", "kind", "scope"),
    )
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(unique=True, index=True)
    event_id: int = Field(foreign_key="event.id")
    kind: str
    value_min: int
    value_max: int | None = None
    qualifier: str = "exact"
    citation_id: int | None = Field(default=None, foreign_key="citation.id")
    note: str = ""
    # Schema v5: what the figure counts over (values.FigureScope); a period figure is a
    # reported running total, shown with its period and never summed.
    scope: str = Field(default="incident", sa_column_kwargs={"server_default": "incident"})
    period_edtf: str | None = None
    part_of: str | None = None  # UUID of the figure this one is part of


class Attachment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(unique=True, index=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    sha256: str = Field(index=True)
    size: int
    media_type: str
    original_name: str
    captured_at: datetime
    created_by: str


class Annotation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(unique=True, index=True)
    event_id: int = Field(foreign_key="event.id", index=True)
    author: str
    created_at: datetime
    text: str
    passage: str = ""


class VerificationEntry(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True)
    from_status: str
    to_status: str
    reviewer: str
    at: datetime
    note: str = ""


class AuditEntry(SQLModel, table=True):
    seq: int = Field(primary_key=True)
    ts: str
    user: str
    action: str
    entity_type: str
    entity_id: str = Field(index=True)
    before_json: str | None = None
    after_json: str | None = None
    prev_hash: str
    hash: str
    # Schema v6: the author's Ed25519 signature of ``hash`` (services.signed_audit).
    signature: str | None = None


class Meta(SQLModel, table=True):
    key: str = Field(primary_key=True)
    value: str


class ImportRecord(SQLModel, table=True):
    """One imported document (schema v2): re-importing the same bytes creates no duplicates."""

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(index=True)
    kind: str
    original_name: str
    imported_at: datetime
    imported_by: str
    event_count: int = 0
    source_uuid: str | None = None
    # Schema v5: SHA-256 of the normalised text, so a re-encoded copy is recognised.
    fingerprint: str | None = Field(default=None, index=True)


class ImportedHistory(SQLModel, table=True):
    """Audit entries of another catalogue that arrived with imported records (schema v3).

    They are kept verbatim (sequence number, hashes, JSON text) so that each entry's hash can
    still be re-checked, but apart from this catalogue's own chain: our chain stays linear and
    records the import itself as ``import.json`` entries.
    """

    __table_args__ = (UniqueConstraint("origin_catalogue", "seq"),)
    id: int | None = Field(default=None, primary_key=True)
    origin_catalogue: str
    seq: int
    ts: str
    user: str
    action: str
    entity_type: str
    entity_id: str = Field(index=True)
    before_json: str | None = None
    after_json: str | None = None
    prev_hash: str
    hash: str
    imported_at: datetime
    imported_by: str
    # Schema v6: the author's signature, checked against ImportedKey.
    signature: str | None = None


class ImportedKey(SQLModel, table=True):
    """A public key another catalogue exported with its records (schema v6): which of its
    users signed with it, from which of its audit entries on."""

    origin_catalogue: str = Field(primary_key=True)
    public_key: str = Field(primary_key=True)
    user: str
    from_seq: int


def row_id(row: SQLModel) -> int:
    """The database id of a row that was flushed (SQLModel types ids as ``int | None``,
    since a new row has none until the database gives it one)."""
    value = getattr(row, "id", None)
    if value is None:
        raise ValueError(f"{type(row).__name__} has no id yet: flush the session first")
    return int(value)
