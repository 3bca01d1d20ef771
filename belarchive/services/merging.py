"""Merging duplicates: several records of one incident become one, losing no evidence.

Everything the duplicates assert moves to the event kept: their citations with their
sources, their figures (each still with the citation that gave it, so two sources' numbers
stand side by side; totals count one figure per incident and kind), tags, places and
people. The person merging chooses, field by field, whose title, date, description and
language survive. The duplicates are withdrawn and marked as merged into the kept event;
their rows and histories stay. One transaction; each event's history records the merge.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlmodel import Session, select

from belarchive.domain.models import (
    Citation,
    Event,
    EventActor,
    EventPlace,
    EventTag,
    Figure,
    row_id,
)
from belarchive.errors import ValidationError
from belarchive.i18n import _
from belarchive.services.catalogue import Catalogue
from belarchive.services.event_parts import get_event, snapshot
from belarchive.services.events import bump_version
from belarchive.services.inputs import Outcome
from belarchive.services.uow import UnitOfWork

FIELDS = ("title", "date", "description", "language")


def merge_events(cat: Catalogue, user: str, keep_uuid: str, others: Sequence[str],
                 take: Mapping[str, str] | None = None) -> Outcome:  # fmt: skip
    """Fold ``others`` into ``keep``. ``take``: field (``FIELDS``) -> the UUID of the event
    whose value survives; a field not named keeps the kept event's value."""
    take = dict(take or {})
    unknown = set(take) - set(FIELDS)
    if unknown:
        message = _("Only the title, date, description and language can be chosen, not "
                    "{fields}.")  # fmt: skip
        raise ValidationError(message.format(fields=", ".join(sorted(unknown))))
    if not others:
        raise ValidationError(_("Choose at least one other event to merge into this one."))
    if keep_uuid in others or len(set(others)) != len(others):
        raise ValidationError(_("An event cannot be merged into itself."))
    with cat.write(user) as uow:
        keep = _current(uow.session, keep_uuid)
        folded = [_current(uow.session, uuid) for uuid in others]
        sources = {e.uuid: e for e in folded}
        if set(take.values()) - set(sources) - {keep.uuid}:
            raise ValidationError(
                _("A chosen value can only come from one of the events being merged.")
            )
        for other in folded:
            _fold(uow, keep, other)
        _take_fields(keep, {f: sources[u] for f, u in take.items() if u != keep.uuid})
        uow.session.add(keep)
        bump_version(uow, keep, substantive=True)
        uow.change.events.add(keep.uuid)
    assert uow.result is not None
    return Outcome(keep.uuid, uow.result)


def _current(session: Session, uuid: str) -> Event:
    event = get_event(session, uuid)
    if event.deleted or event.merged_into:
        raise ValidationError(
            _("“{title}” is withdrawn or already merged into another event; it cannot be "
              "merged. Restore it first, or leave it out.").format(title=event.title)
        )  # fmt: skip
    return event


def _fold(uow: UnitOfWork, keep: Event, other: Event) -> None:
    """Move what ``other`` asserts to ``keep``; withdraw ``other``, marked as merged."""
    session = uow.session
    before = snapshot(session, keep)
    _move(session, EventTag, "tag_id", keep, other)
    _move(session, EventPlace, "place_id", keep, other)
    kept_actors = {(a.actor_id, a.role) for a in _links(session, EventActor, keep)}
    for link in _links(session, EventActor, other):
        if (link.actor_id, link.role) not in kept_actors:
            session.add(EventActor(event_id=row_id(keep), actor_id=link.actor_id, role=link.role))
    for row in [*_links(session, Citation, other), *_links(session, Figure, other)]:
        row.event_id = row_id(keep)
        session.add(row)
    other.deleted, other.merged_into = True, keep.uuid
    bump_version(uow, other, substantive=False)
    session.flush()
    uow.record("event.merge", "event", keep.uuid, before=before,
               after={**snapshot(session, keep), "merged": other.uuid})  # fmt: skip
    uow.record("event.merge", "event", other.uuid, before={"deleted": False},
               after={"deleted": True, "merged_into": keep.uuid})  # fmt: skip
    uow.change.deleted.add(other.uuid)


def _links(session: Session, model: type, event: Event) -> list:  # type: ignore[type-arg]
    return list(session.exec(select(model).where(model.event_id == event.id)).all())  # type: ignore[attr-defined]


def _move(session: Session, model: type, key: str, keep: Event, other: Event) -> None:
    """Link ``keep`` to what ``other`` is linked to (a tag, a place), once."""
    kept = {getattr(link, key) for link in _links(session, model, keep)}
    for link in _links(session, model, other):
        if getattr(link, key) not in kept:
            session.add(model(event_id=row_id(keep), **{key: getattr(link, key)}))


def _take_fields(keep: Event, chosen: Mapping[str, Event]) -> None:
    for field, source in chosen.items():
        if field == "date":
            keep.date_edtf = source.date_edtf
            keep.date_earliest, keep.date_latest = source.date_earliest, source.date_latest
        else:
            setattr(keep, field, getattr(source, field))
