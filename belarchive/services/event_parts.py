"""Reading and replacing an event's linked parts (tags, places, actors, figures) in a session."""

from __future__ import annotations

import json
import uuid as uuidlib
from typing import Any

from sqlmodel import Session, col, delete, select

from belarchive.domain.models import (
    Actor,
    Citation,
    Event,
    EventActor,
    EventPlace,
    EventTag,
    Figure,
    Place,
    Source,
    Tag,
    row_id,
)
from belarchive.domain.text import fold
from belarchive.domain.values import ActorKind, ActorRole, FigureKind, Qualifier
from belarchive.errors import NotFoundError, ValidationError
from belarchive.i18n import _
from belarchive.services import validation
from belarchive.services.inputs import ActorInput, FigureInput
from belarchive.services.vocabulary import find_place, find_tag


def get_event(session: Session, event_uuid: str) -> Event:
    event = session.exec(select(Event).where(Event.uuid == event_uuid.strip())).first()
    if event is None:
        raise NotFoundError(_("No event with id {event_uuid}.").format(event_uuid=event_uuid))
    return event


def snapshot(session: Session, event: Event) -> dict[str, Any]:
    """Everything an event asserts, as plain values: audit before/after and change detection."""
    eid = event.id
    tags = session.exec(select(Tag.key).join(EventTag).where(EventTag.event_id == eid)).all()
    places = session.exec(
        select(Place.key).join(EventPlace).where(EventPlace.event_id == eid)
    ).all()
    actors = session.exec(
        select(Actor.name, EventActor.role).join(EventActor).where(EventActor.event_id == eid)
    ).all()
    figures = session.exec(
        select(Figure, Citation.uuid)
        .join(Citation, isouter=True)
        .where(Figure.event_id == eid)
        .order_by(col(Figure.id))
    ).all()
    return {
        "uuid": event.uuid,
        "title": event.title,
        "description": event.description,
        "language": event.language,
        "date_edtf": event.date_edtf,
        "status": event.status,
        "version": event.version,
        "deleted": event.deleted,
        "tags": sorted(tags),
        "places": sorted(places),
        "actors": sorted([a, r] for a, r in actors),
        "figures": [
            {
                "kind": f.kind,
                "value_min": f.value_min,
                "value_max": f.value_max,
                "qualifier": f.qualifier,
                "citation": cit,
                "note": f.note,
                "scope": f.scope,
                "period": f.period_edtf,
                "part_of": f.part_of,
            }
            for f, cit in figures
        ],
    }


def set_tags(session: Session, event: Event, keys: tuple[str, ...]) -> None:
    tag_ids = {int(find_tag(session, k).id or 0) for k in keys if k.strip()}
    session.exec(delete(EventTag).where(col(EventTag.event_id) == event.id))  # type: ignore[call-overload]
    for tid in sorted(tag_ids):
        session.add(EventTag(event_id=row_id(event), tag_id=tid))


def set_places(session: Session, event: Event, names: tuple[str, ...]) -> None:
    place_ids = {int(find_place(session, n).id or 0) for n in names if n.strip()}
    session.exec(delete(EventPlace).where(col(EventPlace.event_id) == event.id))  # type: ignore[call-overload]
    for pid in sorted(place_ids):
        session.add(EventPlace(event_id=row_id(event), place_id=pid))


def find_or_create_actor(session: Session, name: str, kind: str = ActorKind.PERSON
                         ) -> tuple[Actor, bool]:  # fmt: skip
    """The actor of that name or variant, and whether it was created just now."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationError(_("An actor needs a name."))
    target = fold(cleaned)
    for actor in session.exec(select(Actor)).all():
        variants = [actor.name, *json.loads(actor.variants_json)]
        if any(fold(v) == target for v in variants):
            return actor, False
    actor = Actor(uuid=str(uuidlib.uuid4()), name=cleaned, kind=str(kind))
    session.add(actor)
    session.flush()
    return actor, True


def set_actors(session: Session, event: Event, actors: tuple[ActorInput, ...]) -> bool:
    """Link the event to its actors; True when one of them is new to the catalogue (the
    vocabulary changed: the window's completion reloads only then)."""
    session.exec(delete(EventActor).where(col(EventActor.event_id) == event.id))  # type: ignore[call-overload]
    seen: set[tuple[int, str]] = set()
    created = False
    for item in actors:
        role = validation.enum_value(ActorRole, item.role, _("role on an event"))
        actor, new = find_or_create_actor(session, item.name, item.kind)
        created |= new
        if (int(actor.id or 0), role.value) not in seen:
            seen.add((int(actor.id or 0), role.value))
            session.add(EventActor(event_id=row_id(event), actor_id=row_id(actor), role=role.value))
    return created


def set_figures(session: Session, event: Event, figures: tuple[FigureInput, ...]) -> None:
    rows = [checked_figure(session, event, f) for f in figures]
    link_parts(rows, figures)
    session.exec(delete(Figure).where(col(Figure.event_id) == event.id))  # type: ignore[call-overload]
    for row in rows:
        session.add(row)


def link_parts(rows: list[Figure], figures: tuple[FigureInput, ...]) -> None:
    """Turn each input's ``part_of`` index into the UUID of the figure it is part of."""
    for row, item in zip(rows, figures, strict=True):
        if item.part_of is None:
            continue
        if not 0 <= item.part_of < len(rows) or rows[item.part_of] is row:
            raise ValidationError(
                _(
                    "A figure is said to be part of figure {whole}, which is not another figure "
                    "of this event."
                ).format(whole=item.part_of + 1)
            )
        row.part_of = rows[item.part_of].uuid


def checked_figure(session: Session, event: Event, item: FigureInput) -> Figure:
    kind = validation.enum_value(FigureKind, item.kind, _("figure kind"))
    qualifier = validation.enum_value(Qualifier, item.qualifier, _("qualifier"))
    low, high = validation.figure_values(item.value_min, item.value_max)
    citation_id = None
    if item.citation:
        citation = session.exec(select(Citation).where(Citation.uuid == item.citation)).first()
        if citation is None or citation.event_id != event.id:
            raise NotFoundError(
                _(
                    "The figure names citation {citation}, which is not a citation of this event."
                ).format(citation=item.citation)
            )
        citation_id = citation.id
    scope, period = validation.figure_scope(item.scope, item.period)
    return Figure(
        uuid=str(uuidlib.uuid4()),
        event_id=row_id(event),
        kind=kind.value,
        value_min=low,
        value_max=high,
        qualifier=qualifier.value,
        citation_id=citation_id,
        note=item.note,
        scope=scope,
        period_edtf=period,
    )


def citation_count(session: Session, event: Event) -> int:
    return len(session.exec(select(Citation.id).where(Citation.event_id == event.id)).all())


def source_by_uuid(session: Session, source_uuid: str) -> Source:
    source = session.exec(select(Source).where(Source.uuid == source_uuid.strip())).first()
    if source is None:
        raise NotFoundError(_("No source with id {source_uuid}.").format(source_uuid=source_uuid))
    return source
