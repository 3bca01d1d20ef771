"""Undo/redo of saved edits: each save becomes a QUndoCommand that submits patches.

Undo applies the inverse patch against the event's *then-current* version (read on the
writer thread just before writing), so undo works after other saves of the same event too;
it goes through the same service call, audit log and rules as any edit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand
from sqlmodel import select

from belarchive.domain.models import Event
from belarchive.gui.editor.figures_tab import figure_inputs
from belarchive.services import events
from belarchive.services.inputs import ActorInput, EventPatch, Outcome
from belarchive.storage.detail import EventDetail

if TYPE_CHECKING:
    from belarchive.gui.context import AppContext
    from belarchive.services.catalogue import Catalogue

Applied = Callable[[str], None]
Failed = Callable[[BaseException], None]


def apply_to_latest(cat: Catalogue, user: str, uuid: str, patch: EventPatch) -> Outcome:
    """Writer-thread job: apply ``patch`` to whatever version is current now."""
    with cat.session() as session:
        version = session.exec(select(Event.version).where(Event.uuid == uuid)).one()
    return events.update_event(cat, user, uuid, version, patch)


def inverse_patch(before: EventDetail, forward: EventPatch) -> EventPatch:
    """The patch that puts back, field by field, what ``forward`` changed."""
    changes: dict[str, Any] = {}
    if forward.title is not None:
        changes["title"] = before.title
    if forward.description is not None:
        changes["description"] = before.description
    if forward.language is not None:
        changes["language"] = before.language
    if forward.date is not None or forward.clear_date:
        if before.date_edtf:
            changes["date"] = before.date_edtf
        else:
            changes["clear_date"] = True
    if forward.tags is not None:
        changes["tags"] = before.tags
    if forward.places is not None:
        changes["places"] = tuple(p.key for p in before.places)
    if forward.actors is not None:
        changes["actors"] = tuple(ActorInput(a.name, a.role, a.kind) for a in before.actors)
    if forward.figures is not None:
        changes["figures"] = figure_inputs(before.figures)
    return EventPatch(**changes)


class _Command(QUndoCommand):
    """The first redo() is the save that already happened: it is skipped."""

    def __init__(self, ctx: AppContext, uuid: str, text: str, applied: Applied,
                 failed: Failed | None = None) -> None:  # fmt: skip
        super().__init__(text)
        self.ctx, self.uuid, self._applied, self._failed = ctx, uuid, applied, failed
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._submit(self._redo_job())

    def undo(self) -> None:
        self._submit(self._undo_job())

    def _submit(self, job: Callable[[], Any]) -> None:
        self.ctx.write(job, lambda _out: self._applied(self.uuid), self._failed,
                       label=self.text())  # fmt: skip

    # Each subclass defines both: they return the job that runs on the writer thread.
    _redo_job: Callable[[], Callable[[], Any]]
    _undo_job: Callable[[], Callable[[], Any]]


class EditCommand(_Command):
    def __init__(self, ctx: AppContext, uuid: str, forward: EventPatch, inverse: EventPatch,
                 text: str, applied: Applied, failed: Failed | None = None) -> None:  # fmt: skip
        super().__init__(ctx, uuid, text, applied, failed)
        self.forward, self.inverse = forward, inverse

    def _redo_job(self) -> Callable[[], Any]:
        cat, user, uuid, patch = self.ctx.catalogue, self.ctx.user, self.uuid, self.forward
        return lambda: apply_to_latest(cat, user, uuid, patch)

    def _undo_job(self) -> Callable[[], Any]:
        cat, user, uuid, patch = self.ctx.catalogue, self.ctx.user, self.uuid, self.inverse
        return lambda: apply_to_latest(cat, user, uuid, patch)


class CreateCommand(_Command):
    """Undoing a creation withdraws the event (soft delete with a reason); redo restores it."""

    def _undo_job(self) -> Callable[[], Any]:
        cat, user, uuid = self.ctx.catalogue, self.ctx.user, self.uuid
        reason = "Creation undone"

        def job() -> Outcome:
            with cat.session() as session:
                version = session.exec(select(Event.version).where(Event.uuid == uuid)).one()
            return events.delete_event(cat, user, uuid, version, reason)

        return job

    def _redo_job(self) -> Callable[[], Any]:
        cat, user, uuid = self.ctx.catalogue, self.ctx.user, self.uuid
        return lambda: events.restore_event(cat, user, uuid)


class DeleteCommand(_Command):
    """Undoing a delete restores the event (the delete dialog's promise); redo withdraws it
    again with the same reason. Both are audited like any delete or restore."""

    def __init__(self, ctx: AppContext, uuid: str, reason: str, text: str, applied: Applied,
                 failed: Failed | None = None) -> None:  # fmt: skip
        super().__init__(ctx, uuid, text, applied, failed)
        self.reason = reason

    def _undo_job(self) -> Callable[[], Any]:
        cat, user, uuid = self.ctx.catalogue, self.ctx.user, self.uuid
        return lambda: events.restore_event(cat, user, uuid)

    def _redo_job(self) -> Callable[[], Any]:
        cat, user, uuid, reason = self.ctx.catalogue, self.ctx.user, self.uuid, self.reason

        def job() -> Outcome:
            with cat.session() as session:
                version = session.exec(select(Event.version).where(Event.uuid == uuid)).one()
            return events.delete_event(cat, user, uuid, version, reason)

        return job


# Written in the event's status history when Undo takes a decision back (English, like the
# program's other notes there: it is a record, not the interface).
UNDONE_NOTE = "Undone from the Edit menu."


def undo_target(before: str, after: str) -> str:
    """The status Undo goes back to: where the event was, when the rules allow that move;
    otherwise back to review (a verified event cannot become unverified in one step)."""
    from belarchive.domain.rules import TRANSITIONS
    from belarchive.domain.values import Status

    if Status(before) in TRANSITIONS[Status(after)]:
        return before
    return Status.IN_REVIEW.value


class StatusCommand(_Command):
    """A verification step. Undo is a new, recorded step back (the history keeps both, and
    the rules apply to it: a reviewer's decision may need another reviewer to restore);
    redo takes the same step again with its note."""

    def __init__(self, ctx: AppContext, uuid: str, before: str, after: str, note: str,
                 text: str, applied: Applied, failed: Failed | None = None) -> None:  # fmt: skip
        super().__init__(ctx, uuid, text, applied, failed)
        self.before, self.after, self.note = before, after, note

    def _undo_job(self) -> Callable[[], Any]:
        from belarchive.services import verification

        cat, user, uuid = self.ctx.catalogue, self.ctx.user, self.uuid
        target = undo_target(self.before, self.after)
        return lambda: verification.set_status(cat, user, uuid, target, UNDONE_NOTE)

    def _redo_job(self) -> Callable[[], Any]:
        from belarchive.services import verification

        cat, user, uuid, target, note = (self.ctx.catalogue, self.ctx.user, self.uuid,
                                         self.after, self.note)  # fmt: skip
        return lambda: verification.set_status(cat, user, uuid, target, note)
