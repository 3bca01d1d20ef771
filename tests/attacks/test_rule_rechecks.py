"""Paths around the four-eyes rule: merge, restore and retag re-check what they could bypass."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_dossier_fixtures import Sample, build_sample

from belarchive.errors import PermissionDenied
from belarchive.services import events, verification, vocabulary
from belarchive.services.inputs import EventInput


@pytest.fixture()
def sample(tmp_path: Path) -> Iterator[Sample]:
    s = build_sample(tmp_path / "cat")
    yield s
    s.cat.close()


def _status(sample: Sample, uuid: str) -> str:
    return str(events.event_detail(sample.cat, uuid)["status"])


def test_an_event_merged_away_comes_back_unverified_without_its_citations(sample: Sample) -> None:
    cat = sample.cat
    keep = events.create_event(cat, "anna", EventInput(
        title="Detentions in Minsk", date="2020-11-08", tags=("detention",))).uuid  # fmt: skip
    assert _status(sample, sample.detention) == "verified"
    events.merge_events(cat, "anna", keep, sample.detention)  # its citations move to keep
    events.restore_event(cat, "anna", sample.detention)
    assert _status(sample, sample.detention) == "in_review"
    last = verification.history(cat, sample.detention)[-1]
    assert "restored without any citation" in last.note and last.reviewer == "anna"


def test_changing_a_verified_events_type_sends_it_back_and_the_tagger_cannot_verify(
    sample: Sample,
) -> None:
    cat = sample.cat
    events.tag_event(cat, "anna", sample.detention, add=("death",))
    assert _status(sample, sample.detention) == "in_review"
    with pytest.raises(PermissionDenied):
        verification.set_status(cat, "anna", sample.detention, "verified")


def test_a_label_that_is_not_an_event_type_leaves_the_decision(sample: Sample) -> None:
    cat = sample.cat
    with cat.write("anna") as uow:
        vocabulary.add_tag(uow, "follow_up", {"en": "Follow up"})
    events.tag_event(cat, "anna", sample.detention, add=("follow_up",))
    assert _status(sample, sample.detention) == "verified"


def test_retyping_through_the_editor_is_the_same_as_through_tag(sample: Sample) -> None:
    from belarchive.services.inputs import EventPatch

    cat = sample.cat
    version = int(events.event_detail(cat, sample.detention)["version"])
    patch = EventPatch(tags=("death",))  # "detention" replaced by "death"
    events.update_event(cat, "anna", sample.detention, version, patch)
    assert _status(sample, sample.detention) == "in_review"
