"""Use cases on events: create, edit (optimistic concurrency), tag, annotate, delete, merge."""

from __future__ import annotations

import uuid as uuidlib
from typing import Any

from sqlmodel import Session, col, select, update

from belarchive.domain import rules
from belarchive.domain.models import Annotation, Citation, Event, Tag, row_id
from belarchive.domain.values import Status
from belarchive.errors import StaleVersionError, ValidationError
from belarchive.i18n import _
from belarchive.services import validation
from belarchive.services.catalogue import Catalogue
from belarchive.services.event_parts import (
    get_event,
    set_actors,
    set_figures,
    set_places,
    set_tags,
    snapshot,
)
from belarchive.services.inputs import EventInput, EventPatch, Outcome
from belarchive.services.uow import UnitOfWork
from belarchive.services.verification import record_status_change


def create_event(cat: Catalogue, user: str, data: EventInput) -> Outcome:
    with cat.write(user) as uow:
        event = add_event(uow, data)
    assert uow.result is not None
    return Outcome(event.uuid, uow.result)


def add_event(uow: UnitOfWork, data: EventInput) -> Event:
    """Create one event inside an open unit of work (shared by imports)."""
    bounds = validation.edtf(data.date)
    event = Event(
        uuid=data.uuid or str(uuidlib.uuid4()),
        title=validation.title(data.title),
        description=validation.text(data.description, _("description")),
        language=validation.language(data.language),
        date_edtf=bounds.edtf if bounds else None,
        date_earliest=bounds.earliest if bounds else None,
        date_latest=bounds.latest if bounds else None,
        status=Status.UNVERIFIED.value,
        created_by=uow.user_name,
        created_at=uow.now,
        updated_by=uow.user_name,
        updated_at=uow.now,
        substance_by=uow.user_name,
    )
    if data.uuid and uow.session.exec(select(Event.id).where(Event.uuid == data.uuid)).first():
        raise ValidationError(_("An event with id {id} already exists.").format(id=data.uuid))
    uow.session.add(event)
    uow.session.flush()
    set_tags(uow.session, event, data.tags)
    set_places(uow.session, event, data.places)
    if set_actors(uow.session, event, data.actors):
        uow.change.vocabulary = True
    set_figures(uow.session, event, data.figures)
    uow.session.flush()
    uow.record("event.create", "event", event.uuid, after=snapshot(uow.session, event))
    uow.change.created.add(event.uuid)
    return event


def update_event(
    cat: Catalogue, user: str, event_uuid: str, expected_version: int, patch: EventPatch
) -> Outcome:
    """Apply ``patch`` if nobody saved since ``expected_version``; otherwise refuse."""
    with cat.write(user) as uow:
        event = _current(uow.session, event_uuid, expected_version)
        before = snapshot(uow.session, event)
        _apply_patch(uow, event, patch)
        uow.session.flush()
        after = snapshot(uow.session, event)
        changed = {k for k in after if after[k] != before[k]} - {"version", "status"}
        if changed:
            retyped = "tags" in changed and _changes_type(
                uow.session, set(after["tags"]) ^ set(before["tags"])
            )
            bump_version(uow, event, substantive=bool(changed & rules.SUBSTANCE_FIELDS) or retyped)
            uow.record(
                "event.update",
                "event",
                event.uuid,
                before=before,
                after=snapshot(uow.session, event),
            )
            uow.change.events.add(event.uuid)
    assert uow.result is not None
    return Outcome(event.uuid, uow.result)


def _current(session: Session, event_uuid: str, expected_version: int) -> Event:
    event = get_event(session, event_uuid)
    if event.deleted:
        raise ValidationError(_("This event was deleted; restore it before editing."))
    if event.version != expected_version:
        raise StaleVersionError(
            _(
                "{name} saved this event after you opened it (version {version}, you had "
                "{yours}). Reload it; nothing was overwritten."
            ).format(name=event.updated_by, version=event.version, yours=expected_version),
            current_version=event.version,
            changed_by=event.updated_by,
        )
    return event


def _apply_patch(uow: UnitOfWork, event: Event, patch: EventPatch) -> None:
    session = uow.session
    if patch.title is not None:
        event.title = validation.title(patch.title)
    if patch.description is not None:
        event.description = validation.text(patch.description, _("description"))
    if patch.language is not None:
        event.language = validation.language(patch.language)
    if patch.clear_date:
        event.date_edtf = event.date_earliest = event.date_latest = None
    elif patch.date is not None:
        bounds = validation.edtf(patch.date)
        if bounds is None:
            raise ValidationError(_("The date is empty; give an EDTF date or clear it explicitly."))
        event.date_edtf, event.date_earliest, event.date_latest = (
            bounds.edtf,
            bounds.earliest,
            bounds.latest,
        )
    if patch.tags is not None:
        set_tags(session, event, patch.tags)
    if patch.places is not None:
        set_places(session, event, patch.places)
    if patch.actors is not None and set_actors(session, event, patch.actors):
        uow.change.vocabulary = True
    if patch.figures is not None:
        set_figures(session, event, patch.figures)


def bump_version(uow: UnitOfWork, event: Event, *, substantive: bool) -> None:
    """New version; a substantive edit names its author and reopens a verified event."""
    result = uow.session.exec(
        update(Event)
        .where(Event.id == event.id, Event.version == event.version)  # type: ignore[arg-type]
        .values(version=event.version + 1)
    )
    if result.rowcount != 1:  # another writer got in between: refuse, never overwrite
        raise StaleVersionError(
            _("Someone else saved this event at the same moment; reload it."),
            current_version=event.version + 1,
            changed_by=None,
        )
    uow.session.refresh(event, ["version"])
    event.updated_by, event.updated_at = uow.user_name, uow.now
    if substantive:
        event.substance_by = uow.user_name
        new_status = rules.status_after_substantive_edit(Status(event.status))
        if new_status != event.status:
            record_status_change(
                uow,
                event,
                new_status,
                "Sent back to review: the event was edited after verification.",
            )
    uow.session.add(event)


def tag_event(
    cat: Catalogue,
    user: str,
    event_uuid: str,
    add: tuple[str, ...] = (),
    remove: tuple[str, ...] = (),
) -> Outcome:
    """Add or remove tags without a version check: tagging never conflicts with an edit."""
    with cat.write(user) as uow:
        event = get_event(uow.session, event_uuid)
        before = snapshot(uow.session, event)
        keys = set(before["tags"]) | {k.strip().lower() for k in add if k.strip()}
        keys -= {k.strip().lower() for k in remove}
        set_tags(uow.session, event, tuple(sorted(keys)))
        uow.session.flush()
        after_tags = snapshot(uow.session, event)["tags"]
        if after_tags != before["tags"]:
            # Changing an event's type ("protest" to "death") changes what it asserts and
            # what dossiers count: a verified event goes back to review. Other labels don't.
            changed = set(after_tags) ^ set(before["tags"])
            bump_version(uow, event, substantive=_changes_type(uow.session, changed))
            uow.record(
                "event.tag",
                "event",
                event.uuid,
                before={"tags": before["tags"]},
                after={"tags": after_tags},
            )
            uow.change.events.add(event.uuid)
    assert uow.result is not None
    return Outcome(event.uuid, uow.result)


def _changes_type(session: Session, keys: set[str]) -> bool:
    if not keys:
        return False
    seeded = session.exec(select(Tag.key).where(col(Tag.key).in_(keys), Tag.seeded == True))  # noqa: E712
    return seeded.first() is not None


def annotate(cat: Catalogue, user: str, event_uuid: str, text: str, passage: str = "") -> Outcome:
    body = validation.text(text, _("annotation")).strip()
    if not body:
        raise ValidationError(_("The annotation is empty."))
    with cat.write(user) as uow:
        event = get_event(uow.session, event_uuid)
        note = Annotation(
            uuid=str(uuidlib.uuid4()),
            event_id=row_id(event),
            author=uow.user_name,
            created_at=uow.now,
            text=body,
            passage=passage.strip(),
        )
        uow.session.add(note)
        uow.record(
            "annotation.add",
            "event",
            event.uuid,
            after={"annotation": note.uuid, "text": body, "passage": note.passage},
        )
        uow.change.events.add(event.uuid)
    assert uow.result is not None
    return Outcome(note.uuid, uow.result)


def delete_event(
    cat: Catalogue, user: str, event_uuid: str, expected_version: int, reason: str
) -> Outcome:
    """Withdraw an event from listings. The row and its history stay: evidence is never erased."""
    if not reason.strip():
        raise ValidationError(_("Say why the event is deleted: a reason is required."))
    with cat.write(user) as uow:
        event = _current(uow.session, event_uuid, expected_version)
        bump_version(uow, event, substantive=False)
        event.deleted = True
        uow.session.add(event)
        uow.record(
            "event.delete",
            "event",
            event.uuid,
            before={"deleted": False},
            after={"deleted": True, "reason": reason.strip()},
        )
        uow.change.deleted.add(event.uuid)
    assert uow.result is not None
    return Outcome(event.uuid, uow.result)


def restore_event(cat: Catalogue, user: str, event_uuid: str) -> Outcome:
    with cat.write(user) as uow:
        event = get_event(uow.session, event_uuid)
        if not event.deleted:
            raise ValidationError(_("This event is not deleted."))
        bump_version(uow, event, substantive=False)
        event.deleted, event.merged_into = False, None
        uow.session.add(event)
        uow.record(
            "event.restore", "event", event.uuid, before={"deleted": True}, after={"deleted": False}
        )
        _recheck_decision(uow, event)
        uow.change.created.add(event.uuid)
    assert uow.result is not None
    return Outcome(event.uuid, uow.result)


def _recheck_decision(uow: UnitOfWork, event: Event) -> None:
    """A decision that no longer holds goes back to review. An event merged away left its
    citations with the event it was merged into: restored, it would be "verified" with
    nothing cited, which no reviewer could have decided."""
    if event.status not in (Status.VERIFIED.value, Status.DISPUTED.value):
        return
    cited = uow.session.exec(select(Citation.id).where(Citation.event_id == event.id)).first()
    if cited is None:
        record_status_change(
            uow,
            event,
            Status.IN_REVIEW,
            "Sent back to review: restored without any citation (they stayed with the event "
            "it had been merged into).",
        )


def merge_events(cat: Catalogue, user: str, keep_uuid: str, other_uuid: str) -> Outcome:
    """Fold a duplicate into ``keep`` (``services.merging`` merges several, choosing fields)."""
    from belarchive.services import merging

    return merging.merge_events(cat, user, keep_uuid, [other_uuid])


def event_detail(cat: Catalogue, event_uuid: str) -> dict[str, Any]:
    with cat.session() as session:
        event = get_event(session, event_uuid)
        return snapshot(session, event)
