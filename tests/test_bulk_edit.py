"""Bulk edits over a real catalogue: the same result, audit and rules as the single-event
services, all or nothing, and the audit chain and seals still verify afterwards."""

from __future__ import annotations

import json

import pytest

from belarchive.domain.values import Status
from belarchive.errors import Cancelled, PermissionDenied, ValidationError
from belarchive.services import bulk_edit, events, sources, verification
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventInput, SourceInput
from belarchive.storage.detail import event_audit, load_event_detail

# Each test that takes ``catalogue`` runs on a folder and on a team catalogue (conftest).
BACKENDS = ("folder", "team")


def _events(cat: Catalogue, n: int, **kw: object) -> list[str]:
    return [events.create_event(cat, "olga", EventInput(title=f"Event {i}", date="2020-11-15",
                                                        **kw)).uuid  # type: ignore[arg-type]
            for i in range(n)]  # fmt: skip


def _detail(cat: Catalogue, uuid: str):  # type: ignore[no-untyped-def]
    with cat.session() as session:
        return load_event_detail(session, uuid)


def _verified(cat: Catalogue, uuid: str) -> None:
    source = sources.add_source(cat, "olga", SourceInput(title="Report", kind="ngo_report")).uuid
    sources.cite(cat, "olga", uuid, source)
    verification.set_status(cat, "olga", uuid, "in_review")
    verification.set_status(cat, "viktor", uuid, "verified")


def test_bulk_tag_equals_tagging_one_by_one(catalogue: Catalogue) -> None:
    bulk = _events(catalogue, 3, tags=("protest",))
    single = _events(catalogue, 3, tags=("protest",))
    result = bulk_edit.tag_events(catalogue, "olga", bulk, add=("detention",),
                                  remove=("protest",))  # fmt: skip
    for uuid in single:
        events.tag_event(catalogue, "olga", uuid, add=("detention",), remove=("protest",))
    assert result.changed == tuple(bulk) and result.unchanged == 0
    for a, b in zip(bulk, single, strict=True):
        da, db = _detail(catalogue, a), _detail(catalogue, b)
        assert da.tags == db.tags == ("detention",)
        assert (da.version, da.updated_by, da.substance_by) == (db.version, db.updated_by,
                                                                db.substance_by)  # fmt: skip
        with catalogue.session() as session:
            ea, eb = event_audit(session, a)[-1], event_audit(session, b)[-1]
        assert (ea.action, ea.before_json, ea.after_json) == (eb.action, eb.before_json,
                                                              eb.after_json)  # fmt: skip


def test_unchanged_events_are_counted_not_touched(catalogue: Catalogue) -> None:
    uuids = _events(catalogue, 2, tags=("protest",))
    version = _detail(catalogue, uuids[0]).version
    result = bulk_edit.tag_events(catalogue, "olga", uuids, add=("protest",))
    assert result.changed == () and result.unchanged == 2
    assert _detail(catalogue, uuids[0]).version == version


def test_a_type_change_sends_a_verified_event_back_to_review(catalogue: Catalogue) -> None:
    uuid = _events(catalogue, 1, tags=("protest",))[0]
    _verified(catalogue, uuid)
    result = bulk_edit.tag_events(catalogue, "anna", [uuid], add=("detention",))
    d = _detail(catalogue, uuid)
    assert result.reopened == 1 and d.status == "in_review" and d.substance_by == "anna"
    assert d.status_history[-1].from_status == "verified"
    assert "edited after verification" in d.status_history[-1].note


def test_add_place_is_audited_in_words_and_substantive(catalogue: Catalogue) -> None:
    uuids = _events(catalogue, 2, places=("Minsk",))
    _verified(catalogue, uuids[0])
    result = bulk_edit.add_place(catalogue, "anna", uuids, "Гродна")
    assert len(result.changed) == 2 and result.reopened == 1
    d = _detail(catalogue, uuids[1])
    assert {p.key for p in d.places} == {"minsk", "grodno"}
    with catalogue.session() as session:
        last = [e for e in event_audit(session, uuids[1]) if e.action == "event.update"][-1]
    assert json.loads(last.after_json or "{}") == {"places": ["grodno", "minsk"]}
    assert bulk_edit.add_place(catalogue, "anna", uuids, "Grodno").unchanged == 2


def test_request_review_follows_the_rules_and_skips_the_others(catalogue: Catalogue) -> None:
    uuids = _events(catalogue, 3)
    verification.set_status(catalogue, "olga", uuids[2], "in_review")
    result = bulk_edit.request_review(catalogue, "olga", uuids, "ready")
    assert result.changed == tuple(uuids[:2]) and result.unchanged == 1
    d = _detail(catalogue, uuids[0])
    assert d.status == "in_review" and d.status_history[-1].note == "ready"
    assert d.status_history[-1].reviewer == "olga"


def test_one_withdrawn_event_refuses_the_whole_batch_and_names_it(catalogue: Catalogue) -> None:
    uuids = _events(catalogue, 4, tags=("protest",))
    version = _detail(catalogue, uuids[2]).version
    events.delete_event(catalogue, "anna", uuids[2], version, "duplicate")
    before = [_detail(catalogue, u).version for u in uuids]
    with pytest.raises(ValidationError, match="“Event 2” is withdrawn"):
        bulk_edit.tag_events(catalogue, "olga", uuids, add=("detention",))
    assert [_detail(catalogue, u).version for u in uuids] == before
    assert _detail(catalogue, uuids[0]).tags == ("protest",)


def test_cancel_and_unknown_tag_leave_everything_as_it_was(catalogue: Catalogue) -> None:
    uuids = _events(catalogue, 3)
    with pytest.raises(Cancelled):
        bulk_edit.tag_events(catalogue, "olga", uuids, add=("detention",), cancel=lambda: True)
    with pytest.raises(Exception, match="Unknown tag"):
        bulk_edit.tag_events(catalogue, "olga", uuids, add=("no-such-tag",))
    assert all(_detail(catalogue, u).tags == () for u in uuids)


def test_an_archivist_cannot_get_round_the_rules(catalogue: Catalogue) -> None:
    uuids = _events(catalogue, 1)
    verification.set_status(catalogue, "olga", uuids[0], "in_review")
    # Request review is the only bulk status change; nothing here verifies anything.
    assert bulk_edit.request_review(catalogue, "olga", uuids).unchanged == 1
    with pytest.raises(PermissionDenied):
        verification.set_status(catalogue, "olga", uuids[0], "verified")


def test_the_audit_chain_and_seals_verify_after_a_bulk_edit(catalogue: Catalogue) -> None:
    from belarchive.services import maintenance

    uuids = _events(catalogue, 30, tags=("protest",))
    _verified(catalogue, uuids[0])
    bulk_edit.tag_events(catalogue, "anna", uuids, add=("detention",))
    bulk_edit.add_place(catalogue, "anna", uuids, "Minsk")
    bulk_edit.request_review(catalogue, "anna", uuids[1:])
    report = maintenance.check(catalogue)
    assert report.ok, report.summary()


def test_each_bulk_edit_has_an_exact_inverse(catalogue: Catalogue) -> None:
    """What the GUI's undo runs: the inverse on the events that changed puts them back."""
    uuids = _events(catalogue, 3, places=("Minsk",))
    bulk_edit.add_place(catalogue, "olga", uuids[:2], "Minsk")  # nothing to add: unchanged
    added = bulk_edit.add_place(catalogue, "olga", uuids, "Brest").changed
    bulk_edit.remove_place(catalogue, "olga", added, "Brest")
    assert all({p.key for p in _detail(catalogue, u).places} == {"minsk"} for u in uuids)
    sent = bulk_edit.request_review(catalogue, "olga", uuids).changed
    with pytest.raises(PermissionDenied, match="“Event 0”: Say what needs to change"):
        bulk_edit.move_status(catalogue, "olga", sent, Status.IN_REVIEW, Status.UNVERIFIED)
    back = bulk_edit.move_status(catalogue, "olga", sent, Status.IN_REVIEW, Status.UNVERIFIED,
                                 "Review request undone")  # fmt: skip
    assert len(back.changed) == 3
    assert all(_detail(catalogue, u).status == "unverified" for u in uuids)
