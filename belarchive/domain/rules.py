"""Verification rules, as pure functions so the GUI can ask 'may I?' before offering an action."""

from __future__ import annotations

from dataclasses import dataclass

from belarchive.domain.values import Role, Status

# Which status may follow which. Going back to review is always possible from a decision.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.UNVERIFIED: frozenset({Status.IN_REVIEW}),
    Status.IN_REVIEW: frozenset(
        {Status.VERIFIED, Status.DISPUTED, Status.REJECTED, Status.UNVERIFIED}
    ),
    Status.VERIFIED: frozenset({Status.IN_REVIEW, Status.DISPUTED}),
    Status.DISPUTED: frozenset({Status.IN_REVIEW, Status.REJECTED}),
    Status.REJECTED: frozenset({Status.IN_REVIEW}),
}

REVIEWER_ONLY = frozenset({Status.VERIFIED, Status.DISPUTED, Status.REJECTED})
NEEDS_REASON = frozenset({Status.DISPUTED, Status.REJECTED})
SEND_BACK_NEEDS_NOTE = "Say what needs to change: sending an event back from review needs a note."


# Fields whose change alters what the event asserts (notes and sources don't; of the tags,
# only a change of event type does — services.events decides that from the vocabulary).
SUBSTANCE_FIELDS = frozenset(
    {"title", "description", "date_edtf", "language", "places", "actors", "figures"}
)


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    reason: str = ""


def can_transition(
    *,
    current: Status,
    target: Status,
    role: Role,
    user: str,
    substance_by: str,
    citation_count: int,
    note: str,
) -> Decision:
    """May ``user`` (with ``role``) move an event from ``current`` to ``target``?"""
    if target == current:
        return Decision(False, f"The event is already {target.value.replace('_', ' ')}.")
    if target not in TRANSITIONS[current]:
        return Decision(False, f"An event cannot go from {_words(current)} to {_words(target)}.")
    if target in REVIEWER_ONLY and role not in (Role.REVIEWER, Role.ADMIN):
        return Decision(False, f"Only reviewers and admins may mark an event {_words(target)}.")
    if target == Status.VERIFIED:
        if citation_count < 1:
            return Decision(False, "A verified event needs at least one cited source.")
        if substance_by == user:
            return Decision(False, "You edited this event last: another reviewer must verify it.")
    if target in NEEDS_REASON and not note.strip():
        return Decision(False, f"Say why the event is {_words(target)}: a reason is required.")
    if current == Status.IN_REVIEW and target == Status.UNVERIFIED and not note.strip():
        # Sent back from review: the archivist needs to know what to fix.
        return Decision(False, SEND_BACK_NEEDS_NOTE)
    return Decision(True)


def _words(status: Status) -> str:
    return status.value.replace("_", " ")


def status_after_substantive_edit(current: Status) -> Status:
    """A substantive edit to a verified event sends it back to review."""
    return Status.IN_REVIEW if current == Status.VERIFIED else current
