"""Who brought an event to its verification status, as a story both the window and the
dossiers tell in their own words: a decision names its reviewer; an event back in review
after an edit says who verified it and who reopened it (never "decided by" the person
whose edit reopened it); an event sent to review says by whom."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

DECIDED = ("verified", "disputed", "rejected")


class StatusStep(Protocol):
    @property
    def from_status(self) -> str: ...
    @property
    def to_status(self) -> str: ...
    @property
    def reviewer(self) -> str: ...
    @property
    def at(self) -> datetime: ...


@dataclass(frozen=True, slots=True)
class ReviewStory:
    kind: str  # "decided", "reopened", "sent_to_review" or "none"
    who: str = ""
    when: datetime | None = None
    reopened_by: str = ""
    reopened_at: datetime | None = None


def review_story(status: str, history: Sequence[StatusStep]) -> ReviewStory:
    now = [h for h in history if h.to_status == status]
    if status in DECIDED and now:
        return ReviewStory("decided", now[-1].reviewer, now[-1].at)
    verified = [n for n, h in enumerate(history) if h.to_status == "verified"]
    if verified:
        was = history[verified[-1]]
        later = history[verified[-1] + 1 :]
        reopened = next((h for h in later if h.from_status == "verified"), None)
        if reopened is not None:
            return ReviewStory("reopened", was.reviewer, was.at, reopened.reviewer, reopened.at)
    if status == "in_review" and now:
        return ReviewStory("sent_to_review", now[-1].reviewer, now[-1].at)
    return ReviewStory("none")
