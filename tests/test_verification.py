"""The verification workflow and its rules, including the four-eyes rule."""

from __future__ import annotations

import pytest

from belarchive.domain import rules
from belarchive.domain.values import Role, Status
from belarchive.errors import PermissionDenied, ValidationError
from belarchive.services import events, sources, verification
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventInput, EventPatch, SourceInput

# Each test that takes ``catalogue`` runs on a folder and on a team catalogue (conftest).
BACKENDS = ("folder", "team")


@pytest.fixture
def cited(catalogue: Catalogue) -> str:
    uuid = events.create_event(catalogue, "olga", EventInput(title="E", date="2020-11-08")).uuid
    src = sources.add_source(catalogue, "olga", SourceInput(title="Viasna", reliability="B"))
    sources.cite(catalogue, "olga", uuid, src.uuid, locator="p. 2", credibility=2)
    verification.set_status(catalogue, "olga", uuid, "in_review")
    return uuid


def status(cat: Catalogue, uuid: str) -> str:
    return str(events.event_detail(cat, uuid)["status"])


def test_unverified_cannot_jump_to_verified(catalogue: Catalogue) -> None:
    uuid = events.create_event(catalogue, "olga", EventInput(title="E")).uuid
    with pytest.raises(PermissionDenied, match="cannot go from unverified to verified"):
        verification.set_status(catalogue, "viktor", uuid, "verified")


def test_archivist_cannot_verify(catalogue: Catalogue, cited: str) -> None:
    with pytest.raises(PermissionDenied, match="Only reviewers and admins"):
        verification.set_status(catalogue, "olga", cited, "verified")


def test_verified_needs_a_citation(catalogue: Catalogue) -> None:
    uuid = events.create_event(catalogue, "olga", EventInput(title="E")).uuid
    verification.set_status(catalogue, "olga", uuid, "in_review")
    with pytest.raises(PermissionDenied, match="at least one cited source"):
        verification.set_status(catalogue, "viktor", uuid, "verified")


def test_four_eyes_the_last_editor_cannot_verify(catalogue: Catalogue, cited: str) -> None:
    version = int(events.event_detail(catalogue, cited)["version"])
    events.update_event(catalogue, "viktor", cited, version, EventPatch(title="Edited by Viktor"))
    with pytest.raises(PermissionDenied, match="You edited this event last"):
        verification.set_status(catalogue, "viktor", cited, "verified")
    verification.set_status(catalogue, "vera", cited, "verified")
    assert status(catalogue, cited) == "verified"


def test_disputed_and_rejected_need_a_reason(catalogue: Catalogue, cited: str) -> None:
    for target in ("disputed", "rejected"):
        with pytest.raises(PermissionDenied, match="reason is required"):
            verification.set_status(catalogue, "viktor", cited, target, note=" ")
    verification.set_status(catalogue, "viktor", cited, "disputed", note="Figures disagree")
    assert status(catalogue, cited) == "disputed"


def test_substantive_edit_sends_verified_back_to_review(catalogue: Catalogue, cited: str) -> None:
    verification.set_status(catalogue, "viktor", cited, "verified")
    version = int(events.event_detail(catalogue, cited)["version"])
    from belarchive.services import vocabulary

    with catalogue.write("olga") as uow:
        vocabulary.add_tag(uow, "follow_up", {"en": "Follow up"})
    events.tag_event(catalogue, "olga", cited, add=("follow_up",))
    assert status(catalogue, cited) == "verified"  # a label that is not an event type
    version = int(events.event_detail(catalogue, cited)["version"])
    events.update_event(catalogue, "olga", cited, version, EventPatch(date="2020-11-09"))
    assert status(catalogue, cited) == "in_review"
    history = verification.history(catalogue, cited)
    assert [(h.from_status, h.to_status) for h in history] == [
        ("unverified", "in_review"),
        ("in_review", "verified"),
        ("verified", "in_review"),
    ]
    assert "edited after verification" in history[-1].note


def test_unknown_status_is_a_clear_error(catalogue: Catalogue, cited: str) -> None:
    with pytest.raises(ValidationError, match="not a status"):
        verification.set_status(catalogue, "viktor", cited, "approved")


def test_rules_explain_every_refusal_without_a_database() -> None:
    base = {
        "current": Status.IN_REVIEW,
        "target": Status.VERIFIED,
        "role": Role.REVIEWER,
        "user": "v",
        "substance_by": "o",
        "citation_count": 1,
        "note": "",
    }
    assert rules.can_transition(**base).allowed
    assert not rules.can_transition(**{**base, "role": Role.ARCHIVIST}).allowed
    assert not rules.can_transition(**{**base, "substance_by": "v"}).allowed
    assert not rules.can_transition(**{**base, "citation_count": 0}).allowed
    assert not rules.can_transition(**{**base, "current": Status.VERIFIED}).allowed
    for current, targets in rules.TRANSITIONS.items():
        assert current not in targets
