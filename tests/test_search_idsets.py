"""Match sets (belarchive/search/idsets.py) kept between queries stay within their budget of
document numbers, most recently used kept, and give the same answers as read afresh."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import fields
from whoosh.filedb.filestore import FileStorage

from belarchive.search import idsets


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
        assert sets.term("k", "m3") is sets._cache[("k", "m3")]
