"""Match sets (belarchive/search/idsets.py) kept between queries stay within their budget of
document numbers, most recently used kept, and give the same answers as read afresh."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest
from whoosh import fields
from whoosh.filedb.filestore import FileStorage
from whoosh.searching import Searcher

from belarchive.search import api, idsets, postings
from belarchive.services import events, search_sync
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventInput, EventPatch


def test_kept_sets_stay_within_their_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ix = FileStorage(str(tmp_path)).create_index(fields.Schema(k=fields.KEYWORD))
    writer = ix.writer()
    for i in range(600):  # "m2" in every 2nd event, "m3" in every 3rd, ...
        writer.add_document(k=" ".join(f"m{d}" for d in range(2, 9) if i % d == 0) or "none")
    writer.commit()
    monkeypatch.setattr(idsets, "CACHE_FROM", 50)
    monkeypatch.setattr(idsets, "CACHED_DOCS", 500)
    with ix.searcher() as searcher:
        sets = idsets.IdSets(searcher)
        expected = {d: frozenset(range(0, 600, d)) for d in range(2, 9)}
        for d in (2, 3, 4, 5, 6, 7, 8, 3):
            assert sets.term("k", f"m{d}") == expected[d]
            assert sets._cached_docs == sum(map(len, sets._cache.values())) <= 500
        assert ("k", "m2") not in sets._cache  # 300 documents: more than half the budget
        assert list(sets._cache)[-1] == ("k", "m3")  # used last, kept
        kept = sets._cache[("k", "m3")]
        assert kept.itemsize == 4  # kept as 4-byte numbers, not as a set of Python ints
        assert sets.term("k", "m3") == frozenset(kept) == expected[3]


@pytest.mark.parametrize("decoded_from", [10, 100_000])  # long lists kept decoded, or not
def test_sets_over_segments_leave_out_deleted_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, decoded_from: int
) -> None:
    monkeypatch.setattr(postings, "CACHE_FROM", decoded_from)
    postings.forget()
    ix = FileStorage(str(tmp_path)).create_index(
        fields.Schema(n=fields.ID(stored=True, unique=True), k=fields.KEYWORD)
    )
    for segment in range(3):  # three segments, each numbered from its own first document
        writer = ix.writer()
        for i in range(segment * 400, segment * 400 + 400):
            writer.add_document(n=str(i), k="even" if i % 2 == 0 else "odd")
        writer.commit(merge=False)
    writer = ix.writer()
    for i in range(0, 1200, 7):  # deleted in every segment, still in their postings
        writer.delete_by_term("n", str(i))
    writer.commit(merge=False)
    with ix.searcher() as searcher:
        assert len(searcher.subsearchers) == 3
        expected = frozenset(
            docnum for docnum, stored in searcher.iter_docs() if int(stored["n"]) % 2 == 0
        )
        assert len(expected) == 600 - len(range(0, 1200, 14))
        assert idsets.IdSets(searcher).term("k", "even") == expected
        assert postings.live_ids(searcher.reader(), "k", "even") == expected  # a MultiReader


def test_a_replaced_searcher_and_its_sets_are_let_go(catalogue: Catalogue) -> None:
    """Every edit gives the index a new searcher; the old one's sets (up to 4 MB) and its
    segments' readers must go with it, not pile up for the session's length."""
    created = [
        events.create_event(catalogue, "anna", EventInput(title=f"March {i}", date="2020-11-08"))
        for i in range(3)
    ]
    search_sync.attach(catalogue)
    try:
        seen: list[weakref.ref[Searcher]] = []
        generations = set()
        for i in range(6):
            assert api.search(catalogue, "march").total == 3
            with api.index_for(catalogue).searcher() as searcher:
                seen.append(weakref.ref(searcher))
                generations.add(searcher.reader().generation())
                assert idsets.for_searcher(searcher).searcher is searcher
            uuid = created[0].uuid
            version = events.event_detail(catalogue, uuid)["version"]
            events.update_event(catalogue, "anna", uuid, version, EventPatch(title=f"March {i}"))
        gc.collect()
        assert len(generations) >= 5  # a new searcher after each edit
        alive = {id(r()) for r in seen if r() is not None}
        assert len(alive) == 1  # the index's current searcher only
    finally:
        search_sync.detach(catalogue)
