"""The full read model of one event (editor, dossier, export): plain frozen values."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from belarchive.domain.models import (
    Actor,
    Annotation,
    Attachment,
    AuditEntry,
    Citation,
    Event,
    EventActor,
    EventPlace,
    EventTag,
    Figure,
    ImportedHistory,
    Place,
    Source,
    Tag,
    VerificationEntry,
)
from belarchive.errors import NotFoundError
from belarchive.i18n import _


@dataclass(frozen=True, slots=True)
class AttachmentInfo:
    uuid: str
    sha256: str
    size: int
    media_type: str
    original_name: str
    captured_at: datetime


@dataclass(frozen=True, slots=True)
class SourceInfo:
    uuid: str
    kind: str
    title: str
    author: str
    publisher: str
    url: str
    published: str | None
    accessed: date | None
    language: str
    reliability: str
    attachments: tuple[AttachmentInfo, ...]


@dataclass(frozen=True, slots=True)
class CitationInfo:
    uuid: str
    source: SourceInfo
    locator: str
    quote: str
    credibility: int
    created_by: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class FigureInfo:
    uuid: str
    kind: str
    value_min: int
    value_max: int | None
    qualifier: str
    citation_uuid: str | None
    note: str
    scope: str = "incident"
    period: str | None = None
    part_of: str | None = None

    @property
    def counted(self) -> bool:
        """Whether totals may add this figure: the incident's own, not a part of another."""
        return self.scope == "incident" and self.part_of is None


@dataclass(frozen=True, slots=True)
class AnnotationInfo:
    uuid: str
    author: str
    created_at: datetime
    text: str
    passage: str


@dataclass(frozen=True, slots=True)
class StatusInfo:
    from_status: str
    to_status: str
    reviewer: str
    at: datetime
    note: str


@dataclass(frozen=True, slots=True)
class PlaceInfo:
    key: str
    display_name: str
    names: dict[str, list[str]]
    lat: float | None
    lon: float | None
    kind: str = ""  # city, region, country, square, … (maps mark points, not areas)


@dataclass(frozen=True, slots=True)
class ActorInfo:
    uuid: str
    name: str
    kind: str
    role: str
    protected: bool


@dataclass(frozen=True, slots=True)
class AuditInfo:
    seq: int
    ts: str
    user: str
    action: str
    before_json: str | None
    after_json: str | None
    hash: str
    # Entries another catalogue wrote, imported with its records: that catalogue's id
    # (None: this catalogue's own chain).
    origin: str | None = None


@dataclass(frozen=True, slots=True)
class EventDetail:
    uuid: str
    title: str
    description: str
    language: str
    date_edtf: str | None
    date_earliest: date | None
    date_latest: date | None
    status: str
    version: int
    created_by: str
    created_at: datetime
    updated_by: str
    updated_at: datetime
    substance_by: str
    deleted: bool
    merged_into: str | None
    tags: tuple[str, ...]
    places: tuple[PlaceInfo, ...]
    actors: tuple[ActorInfo, ...]
    figures: tuple[FigureInfo, ...]
    citations: tuple[CitationInfo, ...]
    annotations: tuple[AnnotationInfo, ...]
    status_history: tuple[StatusInfo, ...]

    def figures_of(self, kind: str) -> tuple[FigureInfo, ...]:
        return tuple(f for f in self.figures if f.kind == kind)


def _sources(session: Session, source_ids: set[int]) -> dict[int, SourceInfo]:
    if not source_ids:
        return {}
    atts: dict[int, list[AttachmentInfo]] = {}
    for a in session.exec(select(Attachment).where(col(Attachment.source_id).in_(source_ids))):
        atts.setdefault(a.source_id, []).append(
            AttachmentInfo(a.uuid, a.sha256, a.size, a.media_type, a.original_name, a.captured_at)
        )
    return {
        int(s.id or 0): SourceInfo(
            s.uuid,
            s.kind,
            s.title,
            s.author,
            s.publisher,
            s.url,
            s.published,
            s.accessed,
            s.language,
            s.reliability,
            tuple(atts.get(int(s.id or 0), [])),
        )
        for s in session.exec(select(Source).where(Source.id.in_(source_ids)))  # type: ignore[union-attr]
    }


def load_event_detail(session: Session, event_uuid: str) -> EventDetail:
    event = session.exec(select(Event).where(Event.uuid == event_uuid)).first()
    if event is None:
        raise NotFoundError(_("No event with id {event_uuid}.").format(event_uuid=event_uuid))
    eid = event.id
    citations = list(
        session.exec(select(Citation).where(Citation.event_id == eid).order_by(col(Citation.id)))
    )  # type: ignore[arg-type]
    sources = _sources(session, {c.source_id for c in citations})
    cit_uuid = {c.id: c.uuid for c in citations}
    places = session.exec(
        select(Place)
        .join(EventPlace)
        .where(EventPlace.event_id == eid)
        .order_by(Place.display_name)
    )
    actors = session.exec(
        select(Actor, EventActor.role)
        .join(EventActor)
        .where(EventActor.event_id == eid)
        .order_by(Actor.name)
    )
    return EventDetail(
        uuid=event.uuid,
        title=event.title,
        description=event.description,
        language=event.language,
        date_edtf=event.date_edtf,
        date_earliest=event.date_earliest,
        date_latest=event.date_latest,
        status=event.status,
        version=event.version,
        created_by=event.created_by,
        created_at=event.created_at,
        updated_by=event.updated_by,
        updated_at=event.updated_at,
        substance_by=event.substance_by,
        deleted=event.deleted,
        merged_into=event.merged_into,
        tags=tuple(
            sorted(session.exec(select(Tag.key).join(EventTag).where(EventTag.event_id == eid)))
        ),
        places=tuple(
            PlaceInfo(p.key, p.display_name, json.loads(p.names_json), p.lat, p.lon, p.kind)
            for p in places
        ),
        actors=tuple(ActorInfo(a.uuid, a.name, a.kind, role, a.protected) for a, role in actors),
        figures=tuple(
            FigureInfo(
                f.uuid,
                f.kind,
                f.value_min,
                f.value_max,
                f.qualifier,
                cit_uuid.get(f.citation_id),
                f.note,
                f.scope,
                f.period_edtf,
                f.part_of,
            )
            for f in session.exec(
                select(Figure).where(Figure.event_id == eid).order_by(col(Figure.id))
            )
        ),  # type: ignore[arg-type]
        citations=tuple(
            CitationInfo(
                c.uuid,
                sources[c.source_id],
                c.locator,
                c.quote,
                c.credibility,
                c.created_by,
                c.created_at,
            )
            for c in citations
        ),
        annotations=tuple(
            AnnotationInfo(a.uuid, a.author, a.created_at, a.text, a.passage)
            for a in session.exec(
                select(Annotation).where(Annotation.event_id == eid).order_by(col(Annotation.id))
            )
        ),  # type: ignore[arg-type]
        status_history=tuple(
            StatusInfo(v.from_status, v.to_status, v.reviewer, v.at, v.note)
            for v in session.exec(
                select(VerificationEntry)
                .where(VerificationEntry.event_id == eid)
                .order_by(col(VerificationEntry.id))
            )
        ),  # type: ignore[arg-type]
    )


def event_audit(session: Session, event_uuid: str) -> list[AuditInfo]:
    """The audit entries about one event, oldest first (the editor's History tab): this
    catalogue's own, and those imported with the event from another catalogue (their
    origin named), in time order."""
    rows = session.exec(
        select(AuditEntry).where(AuditEntry.entity_id == event_uuid).order_by(col(AuditEntry.seq))
    )  # type: ignore[arg-type]
    own = [
        AuditInfo(r.seq, r.ts, r.user, r.action, r.before_json, r.after_json, r.hash) for r in rows
    ]
    foreign = select(ImportedHistory).where(ImportedHistory.entity_id == event_uuid)
    imported = [
        AuditInfo(r.seq, r.ts, r.user, r.action, r.before_json, r.after_json, r.hash,
                  r.origin_catalogue)
        for r in session.exec(foreign)
    ]  # fmt: skip
    if not imported:
        return own
    return sorted(imported + own, key=lambda e: (e.ts, e.origin is None, e.seq))


def list_sources(session: Session) -> list[SourceInfo]:
    ids = {int(i) for i in session.exec(select(Source.id)) if i is not None}
    return sorted(_sources(session, ids).values(), key=lambda s: s.title.casefold())


def tag_labels(session: Session, lang: str) -> dict[str, str]:
    """Tag key -> label in ``lang`` (falling back to English, then the key)."""
    out = {}
    for key, labels_json in session.exec(select(Tag.key, Tag.labels_json)):
        labels = json.loads(labels_json)
        out[key] = labels.get(lang) or labels.get("en") or key
    return out


def list_tags(session: Session) -> list[tuple[str, str | None, dict[str, str], bool]]:
    """(key, parent key, labels, repression) for every tag, parents first."""
    tags = list(session.exec(select(Tag).order_by(Tag.id)))  # type: ignore[arg-type]
    by_id = {t.id: t.key for t in tags}
    return [(t.key, by_id.get(t.parent_id), json.loads(t.labels_json), t.repression) for t in tags]


def list_places(session: Session) -> list[PlaceInfo]:
    return [
        PlaceInfo(p.key, p.display_name, json.loads(p.names_json), p.lat, p.lon, p.kind)
        for p in session.exec(select(Place).order_by(Place.display_name))
    ]
