"""Merging several records of one incident: nothing they assert is lost, the chosen fields
survive, the duplicates are withdrawn and marked, and bad merges change nothing."""

from __future__ import annotations

import pytest

from belarchive.errors import ValidationError
from belarchive.services import events, maintenance, merging, sources, verification
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import ActorInput, EventInput, EventPatch, FigureInput, SourceInput
from belarchive.storage.detail import EventDetail, event_audit, load_event_detail

# Each test that takes ``catalogue`` runs on a folder and on a team catalogue (conftest).
BACKENDS = ("folder", "team")


def _detail(cat: Catalogue, uuid: str) -> EventDetail:
    with cat.session() as session:
        return load_event_detail(session, uuid)


def _reported(cat: Catalogue, title: str, source: str, detained: int, **kw: object) -> str:
    """An event citing ``source`` with a detention figure taken from that citation."""
    uuid = events.create_event(cat, "olga", EventInput(title=title, **kw)).uuid  # type: ignore[arg-type]
    src = sources.add_source(cat, "olga", SourceInput(title=source, kind="news")).uuid
    sources.cite(cat, "olga", uuid, src, quote=f"{detained} detained")
    d = _detail(cat, uuid)
    figure = FigureInput("detained", detained, qualifier="at_least", citation=d.citations[0].uuid)
    events.update_event(cat, "olga", uuid, d.version, EventPatch(figures=(figure,)))
    return uuid


def test_two_reports_of_one_march_become_one_incident_with_both_figures(
    catalogue: Catalogue,
) -> None:
    ru = _reported(catalogue, "Марш в Минске", "Viasna digest", 28, date="2020-11-15",
                   language="ru", places=("Minsk",), tags=("protest",),
                   actors=(ActorInput("Viasna", "organiser", "organisation"),))  # fmt: skip
    en = _reported(catalogue, "March in Minsk, 28+ detained", "Daily report", 31,
                   date="2020-11-15", language="en", places=("Minsk",),
                   tags=("detention",))  # fmt: skip
    merging.merge_events(catalogue, "anna", ru, [en], take={"title": en, "language": en})
    kept = _detail(catalogue, ru)
    assert kept.title == "March in Minsk, 28+ detained" and kept.language == "en"
    assert sorted(c.source.title for c in kept.citations) == ["Daily report", "Viasna digest"]
    # Each figure still names the citation it came from: two sources side by side.
    by_source = {next(c.source.title for c in kept.citations if c.uuid == f.citation_uuid):
                 f.value_min for f in kept.figures}  # fmt: skip
    assert by_source == {"Viasna digest": 28, "Daily report": 31}
    assert set(kept.tags) == {"protest", "detention"} and [a.name for a in kept.actors] == [
        "Viasna"]  # fmt: skip
    gone = _detail(catalogue, en)
    assert gone.deleted and gone.merged_into == ru
    with catalogue.session() as session:
        assert [e.action for e in event_audit(session, en)][-1] == "event.merge"
    assert maintenance.check(catalogue).ok


def test_three_at_once_and_a_verified_kept_event_goes_back_to_review(catalogue: Catalogue) -> None:
    uuids = [_reported(catalogue, f"Report {i}", f"Source {i}", 10 + i) for i in range(3)]
    verification.set_status(catalogue, "olga", uuids[0], "in_review")
    verification.set_status(catalogue, "viktor", uuids[0], "verified")
    merging.merge_events(catalogue, "anna", uuids[0], uuids[1:])
    kept = _detail(catalogue, uuids[0])
    assert len(kept.citations) == 3 and len(kept.figures) == 3
    assert kept.status == "in_review"  # what it asserts changed: a reviewer decides again


@pytest.mark.parametrize("case", ["withdrawn", "merged", "itself", "none", "foreign field"])
def test_a_bad_merge_is_refused_and_changes_nothing(catalogue: Catalogue, case: str) -> None:
    a, b, c = (_reported(catalogue, f"Event {i}", f"S{i}", i + 1) for i in range(3))
    if case == "withdrawn":
        events.delete_event(catalogue, "anna", b, _detail(catalogue, b).version, "wrong")
    if case == "merged":
        merging.merge_events(catalogue, "anna", c, [b])
    versions = {u: _detail(catalogue, u).version for u in (a, b, c)}
    others, take = {"withdrawn": ([b], {}), "merged": ([b], {}), "itself": ([a], {}),
                    "none": ([], {}), "foreign field": ([b], {"title": c})}[case]  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        merging.merge_events(catalogue, "anna", a, others, take=take)
    if case in ("withdrawn", "merged"):
        assert "“Event 1” is withdrawn or already merged" in refused.value.message
    assert {u: _detail(catalogue, u).version for u in (a, b, c)} == versions
    assert len(_detail(catalogue, a).citations) == 1
