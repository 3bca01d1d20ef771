"""Verification status changes, with their history and the four-eyes rule."""

from __future__ import annotations

from sqlmodel import col, select

from belarchive.domain import rules
from belarchive.domain.models import Event, VerificationEntry, row_id
from belarchive.domain.values import Role, Status
from belarchive.errors import PermissionDenied, StaleVersionError, ValidationError
from belarchive.i18n import _
from belarchive.services.catalogue import Catalogue
from belarchive.services.event_parts import citation_count, get_event
from belarchive.services.inputs import Outcome
from belarchive.services.uow import UnitOfWork


def record_status_change(uow: UnitOfWork, event: Event, target: Status, note: str) -> None:
    """Write the history row and the audit entry for one status change (no rule checks)."""
    entry = VerificationEntry(
        event_id=row_id(event),
        from_status=event.status,
        to_status=target.value,
        reviewer=uow.user_name,
        at=uow.now,
        note=note,
    )
    uow.session.add(entry)
    uow.record(
        "event.status",
        "event",
        event.uuid,
        before={"status": event.status},
        after={"status": target.value, "note": note},
    )
    event.status = target.value
    uow.session.add(event)
    uow.change.events.add(event.uuid)


def decide(uow: UnitOfWork, event: Event, target: Status, note: str) -> rules.Decision:
    return rules.can_transition(
        current=Status(event.status),
        target=target,
        role=Role(uow.user.role),
        user=uow.user_name,
        substance_by=event.substance_by,
        citation_count=citation_count(uow.session, event),
        note=note,
    )


def set_status(
    cat: Catalogue,
    user: str,
    event_uuid: str,
    target: Status | str,
    note: str = "",
    expected_version: int | None = None,
) -> Outcome:
    """Move an event along the verification workflow, or refuse with the rule's reason."""
    try:
        wanted = Status(str(target).strip().lower().replace(" ", "_").replace("-", "_"))
    except ValueError:
        options = ", ".join(s.value for s in Status)
        raise ValidationError(
            _("'{value}' is not a status; choose one of: {options}.").format(
                value=target, options=options
            )
        ) from None
    with cat.write(user) as uow:
        event = get_event(uow.session, event_uuid)
        if expected_version is not None and event.version != expected_version:
            raise StaleVersionError(
                _(
                    "{name} changed this event after you opened it; reload it before deciding."
                ).format(name=event.updated_by),
                current_version=event.version,
                changed_by=event.updated_by,
            )
        decision = decide(uow, event, wanted, note)
        if not decision.allowed:
            # The rules' reasons are fixed sentences (runtime-strings.json): translated here.
            raise PermissionDenied(_(decision.reason))
        record_status_change(uow, event, wanted, note.strip())
        event.version += 1
        event.updated_by, event.updated_at = uow.user_name, uow.now
    assert uow.result is not None
    return Outcome(event.uuid, uow.result)


def history(cat: Catalogue, event_uuid: str) -> list[VerificationEntry]:
    with cat.session() as session:
        event = get_event(session, event_uuid)
        return list(
            session.exec(
                select(VerificationEntry)
                .where(VerificationEntry.event_id == event.id)
                .order_by(col(VerificationEntry.id))
            ).all()
        )  # type: ignore[arg-type]
