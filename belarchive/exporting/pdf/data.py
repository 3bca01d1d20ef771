"""Gathering a dossier's events: the same EventDetail read model as storage.detail, in batches.

``load_event_detail`` costs ~9 ORM queries per event (≈50 s for 10,000); a dossier needs
every event of the selection, so this module loads them 500 at a time with column tuples
(about 10 queries per batch). The result is identical to ``load_event_detail`` (a test
checks it), so the rest of the dossier code does not care which path produced it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlmodel import Session, col, select

from belarchive.domain.models import (
    Actor,
    Annotation,
    Attachment,
    Citation,
    Event,
    EventActor,
    EventPlace,
    EventTag,
    Figure,
    Place,
    Source,
    Tag,
    VerificationEntry,
)
from belarchive.storage.detail import (
    ActorInfo,
    AnnotationInfo,
    AttachmentInfo,
    CitationInfo,
    EventDetail,
    FigureInfo,
    PlaceInfo,
    SourceInfo,
    StatusInfo,
)

BATCH = 500
Rows = dict[int, list[Any]]


def _grouped(rows: Sequence[Any]) -> Rows:
    """Rows whose first column is the event id, grouped by it (order kept)."""
    out: Rows = defaultdict(list)
    for row in rows:
        out[int(row[0])].append(tuple(row[1:]))
    return out


def _sources(session: Session, ids: set[int], cache: dict[int, SourceInfo]) -> None:
    todo = sorted(ids - cache.keys())
    for start in range(0, len(todo), BATCH):
        chunk = todo[start : start + BATCH]
        atts: dict[int, list[AttachmentInfo]] = defaultdict(list)
        for sid, *a in session.exec(
            select(
                Attachment.source_id,
                Attachment.uuid,
                Attachment.sha256,
                Attachment.size,
                Attachment.media_type,
                Attachment.original_name,
                Attachment.captured_at,
            )
            .where(col(Attachment.source_id).in_(chunk))
            .order_by(col(Attachment.id))
        ):
            atts[int(sid)].append(AttachmentInfo(*a))
        for sid, *s in session.exec(
            select(
                Source.id,
                Source.uuid,
                Source.kind,
                Source.title,
                Source.author,
                Source.publisher,
                Source.url,
                Source.published,
                Source.accessed,
                Source.language,
                Source.reliability,
            ).where(col(Source.id).in_(chunk))
        ):
            cache[int(sid)] = SourceInfo(*s, tuple(atts.get(int(sid), [])))


def _batch(
    session: Session, uuids: Sequence[str], cache: dict[int, SourceInfo]
) -> list[EventDetail]:
    events = session.exec(
        select(
            Event.id,
            Event.uuid,
            Event.title,
            Event.description,
            Event.language,
            Event.date_edtf,
            Event.date_earliest,
            Event.date_latest,
            Event.status,
            Event.version,
            Event.created_by,
            Event.created_at,
            Event.updated_by,
            Event.updated_at,
            Event.substance_by,
            Event.deleted,
            Event.merged_into,
        ).where(col(Event.uuid).in_(uuids))
    ).all()
    ids = [int(e[0]) for e in events]

    def q(*cols: Any, join: Any = None, order: Any = None, where: Any = None) -> Rows:
        stmt = select(*cols)
        if join is not None:
            stmt = stmt.join(join)
        stmt = stmt.where(col(where).in_(ids))
        return _grouped(session.exec(stmt.order_by(order) if order is not None else stmt).all())

    tags = q(EventTag.event_id, Tag.key, join=Tag, where=EventTag.event_id)
    places = q(
        EventPlace.event_id,
        Place.key,
        Place.display_name,
        Place.names_json,
        Place.lat,
        Place.lon,
        Place.kind,
        join=Place,
        where=EventPlace.event_id,
        order=col(Place.display_name),
    )
    actors = q(
        EventActor.event_id,
        Actor.uuid,
        Actor.name,
        Actor.kind,
        EventActor.role,
        Actor.protected,
        join=Actor,
        where=EventActor.event_id,
        order=col(Actor.name),
    )
    cites = q(
        Citation.event_id,
        Citation.uuid,
        Citation.source_id,
        Citation.locator,
        Citation.quote,
        Citation.credibility,
        Citation.created_by,
        Citation.created_at,
        where=Citation.event_id,
        order=col(Citation.id),
    )
    figures = _grouped(
        session.exec(
            select(
                Figure.event_id,
                Figure.uuid,
                Figure.kind,
                Figure.value_min,
                Figure.value_max,
                Figure.qualifier,
                Citation.uuid,
                Figure.note,
                Figure.scope,
                Figure.period_edtf,
                Figure.part_of,
            )
            .join(Citation, col(Figure.citation_id) == col(Citation.id), isouter=True)
            .where(col(Figure.event_id).in_(ids))
            .order_by(col(Figure.id))
        ).all()
    )
    notes = q(
        Annotation.event_id,
        Annotation.uuid,
        Annotation.author,
        Annotation.created_at,
        Annotation.text,
        Annotation.passage,
        where=Annotation.event_id,
        order=col(Annotation.id),
    )
    history = q(
        VerificationEntry.event_id,
        VerificationEntry.from_status,
        VerificationEntry.to_status,
        VerificationEntry.reviewer,
        VerificationEntry.at,
        VerificationEntry.note,
        where=VerificationEntry.event_id,
        order=col(VerificationEntry.id),
    )
    _sources(session, {int(c[1]) for rows in cites.values() for c in rows}, cache)
    by_uuid = {}
    for e in events:
        eid = int(e[0])
        by_uuid[e[1]] = EventDetail(
            *e[1:],
            tags=tuple(sorted(t[0] for t in tags.get(eid, []))),
            places=tuple(
                PlaceInfo(k, d, json.loads(n), la, lo, ki)
                for k, d, n, la, lo, ki in places.get(eid, [])
            ),
            actors=tuple(ActorInfo(u, n, k, r, bool(p)) for u, n, k, r, p in actors.get(eid, [])),
            figures=tuple(FigureInfo(*f) for f in figures.get(eid, [])),
            citations=tuple(
                CitationInfo(u, cache[s], lo, qu, cr, by, at)
                for u, s, lo, qu, cr, by, at in cites.get(eid, [])
            ),
            annotations=tuple(AnnotationInfo(*a) for a in notes.get(eid, [])),
            status_history=tuple(StatusInfo(*h) for h in history.get(eid, [])),
        )
    return [by_uuid[u] for u in uuids if u in by_uuid]


def load_details(
    session: Session, uuids: Sequence[str], *, progress: Callable[[int], None] | None = None
) -> Iterator[EventDetail]:
    """EventDetail for each uuid, in the given order, loaded ``BATCH`` at a time."""
    cache: dict[int, SourceInfo] = {}
    for start in range(0, len(uuids), BATCH):
        yield from _batch(session, uuids[start : start + BATCH], cache)
        if progress:
            progress(min(start + BATCH, len(uuids)))


def place_label(place: PlaceInfo, lang: str) -> str:
    names = place.names.get(lang) or []
    return names[0] if names else place.display_name
