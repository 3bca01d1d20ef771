"""Bulk edits run in a process of their own (services.bulk_apart), over a real catalogue: the
same changes, audit entries signed by the same user and listeners told, as in-process; a
refusal or a Cancel changes nothing and says why; a sealed catalogue works too."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from belarchive.errors import Cancelled, PermissionDenied, ValidationError
from belarchive.search.index import SearchIndex
from belarchive.services import bulk_apart, bulk_edit, events, maintenance, users
from belarchive.services.bulk_apart import BulkOp, perform
from belarchive.services.catalogue import Catalogue
from belarchive.services.changes import Change
from belarchive.services.inputs import EventInput
from belarchive.storage.detail import event_audit, load_event_detail

PASSPHRASE = "correct horse battery staple"


def _events(cat: Catalogue, n: int, **kw: object) -> list[str]:
    return [events.create_event(cat, "olga", EventInput(title=f"Event {i}", date="2020-11-15",
                                                        **kw)).uuid  # type: ignore[arg-type]
            for i in range(n)]  # fmt: skip


def _tags(cat: Catalogue, uuid: str) -> tuple[str, ...]:
    with cat.session() as session:
        return load_event_detail(session, uuid).tags


def test_a_batch_apart_equals_one_made_here(catalogue: Catalogue) -> None:
    apart, here = _events(catalogue, 5, tags=("protest",)), _events(catalogue, 5, tags=("protest",))
    heard: list[Change] = []
    catalogue.add_listener(heard.append)
    op = BulkOp("tag_events", {"add": ["detention"], "remove": ["protest"]})
    progress: list[tuple[int, int]] = []
    result = perform(catalogue, "olga", apart, op=op, apart=True,
                     progress=lambda done, total: progress.append((done, total)))  # fmt: skip
    same = perform(catalogue, "olga", here, op=op, apart=False)
    assert result.changed == tuple(apart) and (result.unchanged, result.reopened) == (0, 0)
    assert all(_tags(catalogue, u) == ("detention",) for u in apart)
    assert progress[-1] == (5, 5)
    # Listeners here heard of the other process's write, as of their own.
    assert heard[0].events == frozenset(apart) and heard[0].audit_seq == result.audit_seq
    with catalogue.session() as session:
        a, b = event_audit(session, apart[0])[-1], event_audit(session, here[0])[-1]
    assert (a.action, a.user, a.before_json) == (b.action, b.user, b.before_json)
    assert a.after_json == b.after_json
    assert same.changed == tuple(here)
    report = maintenance.check(catalogue)  # chain, signatures (olga's key) and seals
    assert report.ok, report.summary()


def test_a_refusal_apart_names_the_event_and_changes_nothing(catalogue: Catalogue) -> None:
    uuids = _events(catalogue, 3)
    events.delete_event(catalogue, "olga", uuids[1], 1, "a duplicate")
    with pytest.raises(ValidationError, match="Event 1"):
        perform(catalogue, "olga", uuids, op=BulkOp("add_place", {"place": "Minsk"}), apart=True)
    assert all(not _places(catalogue, u) for u in (uuids[0], uuids[2]))
    undo = BulkOp("move_status", {"source": "in_review", "target": "verified", "note": ""})
    events_in_review = _events(catalogue, 1)
    perform(catalogue, "olga", events_in_review, op=BulkOp("request_review", {}), apart=True)
    with pytest.raises(PermissionDenied):  # an archivist cannot verify, apart or not
        perform(catalogue, "olga", events_in_review, op=undo, apart=True)


def _places(cat: Catalogue, uuid: str) -> tuple[str, ...]:
    with cat.session() as session:
        return tuple(p.key for p in load_event_detail(session, uuid).places)


def test_cancel_reaches_the_other_process_and_rolls_back(
    catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    uuids = _events(catalogue, 3)
    asked = threading.Event()
    asked.set()  # cancelled before it starts: the child must still roll back and say so
    with pytest.raises(Cancelled):
        perform(catalogue, "olga", uuids, op=BulkOp("tag_events", {"add": ["detention"]}),
                cancel=asked.is_set, apart=True)  # fmt: skip
    assert all(_tags(catalogue, u) == () for u in uuids)


def test_a_sealed_catalogue_is_edited_apart_with_its_key(tmp_path: Path) -> None:
    with Catalogue.create(tmp_path / "S.belarchive", admin="anna", passphrase=PASSPHRASE,
                          sealed=True) as cat:  # fmt: skip
        uuids = [events.create_event(cat, "anna", EventInput(title=f"E{i}")).uuid
                 for i in range(3)]  # fmt: skip
        result = perform(cat, "anna", uuids, op=BulkOp("tag_events", {"add": ["detention"]}),
                         apart=True)  # fmt: skip
        assert len(result.changed) == 3 and _tags(cat, uuids[0]) == ("detention",)
        assert maintenance.check(cat).ok


def test_large_batches_go_apart_and_small_ones_stay(
    catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    uuids = _events(catalogue, 4)
    ran_apart: list[int] = []
    real = bulk_apart._apart
    monkeypatch.setattr(bulk_apart, "_apart", lambda *a: ran_apart.append(1) or real(*a))
    op = BulkOp("tag_events", {"add": ["detention"]})
    perform(catalogue, "olga", uuids[:2], op=op)
    assert not ran_apart
    monkeypatch.setattr(bulk_apart, "APART_FROM", 2)
    perform(catalogue, "olga", uuids[2:], op=op)
    assert ran_apart == [1] and all(_tags(catalogue, u) == ("detention",) for u in uuids)


def test_a_user_not_signed_in_is_refused_before_anything_starts(catalogue: Catalogue) -> None:
    users.add_user(catalogue, "anna", "pavel", "archivist", PASSPHRASE)
    catalogue.forget_signer("pavel")
    uuids = _events(catalogue, 2)
    with pytest.raises(PermissionDenied):
        perform(catalogue, "pavel", uuids, op=BulkOp("tag_events", {"add": ["detention"]}),
                apart=True)  # fmt: skip


def test_every_bulk_edit_the_window_offers_has_an_operation() -> None:
    from belarchive.gui.bulk import operations
    from belarchive.gui.dialogs.bulk_dialog import PLACE, REVIEW, TAG, UNTAG

    for kind in (TAG, UNTAG, PLACE, REVIEW):
        for op in operations(kind, "x"):
            assert op.name in bulk_apart.OPERATIONS
    assert bulk_apart.OPERATIONS["tag_events"] is bulk_edit.tag_events


def _until_caught_up(index: SearchIndex, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while index.behind_events and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not index.behind_events


def test_the_batch_is_indexed_apart_and_this_process_takes_up_the_commit(
    catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    from belarchive.search import api, indexer
    from belarchive.services import search_sync

    uuids = _events(catalogue, 4)
    search_sync.attach(catalogue)
    index = api.index_for(catalogue)
    here: list[int] = []
    real_apply = indexer.apply
    monkeypatch.setattr(indexer, "apply", lambda *a, **k: here.append(1) or real_apply(*a, **k))
    result = perform(catalogue, "olga", uuids, op=BulkOp("tag_events", {"add": ["detention"]}),
                     apart=True)  # fmt: skip
    assert len(result.changed) == 4
    _until_caught_up(index)
    assert not here  # indexed in the other process only
    state = index.state
    assert state is not None and state.audit_seq == result.audit_seq
    answer = api.search(catalogue, "tag:detention", limit=None)
    assert sorted(answer.uuids) == sorted(uuids) and answer.notes == ()
    # The next edit here is indexed here, as always.
    events.tag_event(catalogue, "olga", uuids[0], add=("protest",))
    assert here and uuids[0] in api.search(catalogue, "tag:protest", limit=None).uuids
    search_sync.detach(catalogue)


def test_while_the_batch_is_indexed_apart_searches_say_so_and_edits_wait(
    catalogue: Catalogue,
) -> None:
    """The bulk edit returns at its commit. Until its process has indexed the batch, a
    search says that the batch is not searchable yet, and an edit made here meanwhile is
    indexed once that process is done (not beside it, which would wait on its lock)."""
    from belarchive.search import api
    from belarchive.services import search_sync

    uuids = _events(catalogue, 4)
    search_sync.attach(catalogue)
    index = api.index_for(catalogue)
    index.pause_for_outside()  # as if an earlier batch's process were still indexing
    perform(catalogue, "olga", uuids, op=BulkOp("tag_events", {"add": ["detention"]}),
            apart=True)  # fmt: skip
    events.tag_event(catalogue, "olga", uuids[0], add=("protest",))
    assert index.behind_events == 4
    answer = api.search(catalogue, "tag:protest", limit=None)
    assert answer.uuids == [] and "4 events changed by a bulk edit" in " ".join(answer.notes)
    index.resume_after_outside()  # the earlier process is done
    _until_caught_up(index)
    assert sorted(api.search(catalogue, "tag:detention", limit=None).uuids) == sorted(uuids)
    assert api.search(catalogue, "tag:protest", limit=None).uuids == [uuids[0]]
    assert api.search(catalogue, "tag:detention", limit=None).notes == ()
    search_sync.detach(catalogue)


def test_a_batch_its_process_could_not_index_is_indexed_here(catalogue: Catalogue) -> None:
    from belarchive.search import api
    from belarchive.services import search_sync

    uuids = _events(catalogue, 3)
    search_sync.attach(catalogue)
    index = api.index_for(catalogue)
    # What a rebuild under way leaves: the other process must not index beside it.
    marker = catalogue.index_dir.parent / (catalogue.index_dir.name + ".build-test")
    marker.mkdir()
    try:
        result = perform(catalogue, "olga", uuids,
                         op=BulkOp("tag_events", {"add": ["detention"]}), apart=True)  # fmt: skip
        _until_caught_up(index)
    finally:
        marker.rmdir()
    state = index.state
    assert state is not None and state.audit_seq == result.audit_seq
    assert sorted(api.search(catalogue, "tag:detention", limit=None).uuids) == sorted(uuids)
    search_sync.detach(catalogue)
