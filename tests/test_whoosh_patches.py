"""The Whoosh patches (belarchive/search/whoosh_patches.py) stay tied to the code they
were written against: an upgrade that changes any of it fails here, by name, so the patch
is reviewed before it runs on new code. And the newest patch gives Whoosh's own answer."""

from __future__ import annotations

import hashlib
import inspect

import pytest
from whoosh import fields, writing
from whoosh.filedb.filestore import RamStorage
from whoosh.matching.mcore import Matcher

from belarchive.search import whoosh_patches

# sha256 of each original's source (first 16 hex digits), Whoosh-Reloaded 2.7.5.
REVIEWED = {
    "W3PerDocReader._cached_reader": "2e27976f892aee8f",
    "W3PerDocReader.doc_field_length": "6f6c39c338eb61dc",
    "HashReader.__init__": "60b5860b5b50ea99",
    "SpanNear2Matcher._get_spans": "56d2b6d41a5fc87e",
    "SubWriterTask.run": "901fe6b1f40cfaed",
    "W3LeafMatcher._goto": "cf5edba3e9484d57",
    "W3LeafMatcher._next_block": "2fb1dc5070ec4a68",
    "W3LeafMatcher._read_ids": "f8024a90ec60697e",
    "Matcher.all_ids": "bab4e612ea0b6ef8",
    "PostingPool.add": "6b73def050008daf",
    "W3LeafMatcher._read_weights": "124012c8d21aa1a7",
    "FilterMatcher.__init__": "bf6b70b967922e38",
    "SegmentReader.postings": "797181de34ee383e",
    "SegmentReader.deleted_docs_set": "4f9a5a800c6a7636",
    "Segment.segment_id": "437bf1e92358e43c",
    "MultiReader.__init__": "4a4ad8665e83fe4e",
}


def test_the_patched_whoosh_code_is_the_code_that_was_reviewed() -> None:
    changed = [
        name
        for name, fn in whoosh_patches.ORIGINALS.items()
        if hashlib.sha256(inspect.getsource(fn).encode()).hexdigest()[:16] != REVIEWED.get(name)
    ]
    assert not changed, f"Whoosh changed under these patches, review them: {changed}"


def test_postings_are_read_a_block_at_a_time_with_the_same_ids() -> None:
    ix = RamStorage().create_index(fields.Schema(k=fields.KEYWORD))
    writer = ix.writer()
    for i in range(1000):  # several blocks of postings, and a term in every third document
        writer.add_document(k="all third" if i % 3 == 0 else "all")
    writer.commit()
    with ix.searcher() as searcher:
        reader = searcher.reader()
        for term in ("all", "third"):
            fast = list(reader.postings("k", term).all_ids())
            slow = list(Matcher.all_ids(reader.postings("k", term)))
            assert fast == slow and len(fast) == (1000 if term == "all" else 334)
            matcher = reader.postings("k", term)
            for _ in range(150):
                matcher.next()  # from the current posting on, as Whoosh's does
            assert list(matcher.all_ids()) == slow[150:]


def _postings_written(limitmb: float) -> dict[tuple[str, bytes], list[tuple[int, float, bytes]]]:
    schema = fields.Schema(body=fields.TEXT(phrase=True), kind=fields.KEYWORD)
    ix = RamStorage().create_index(schema)
    writer = ix.writer(limitmb=limitmb)
    for i in range(600):  # repeated terms, weights and values, and a run spilled to disk
        writer.add_document(body=f"march {i % 7} arrest arrest w{i}", kind=f"k{i % 3} all")
    writer.commit()
    found = {}
    with ix.searcher() as searcher:
        reader = searcher.reader()
        for fieldname, term in reader.all_terms():
            matcher, postings = reader.postings(fieldname, term), []
            while matcher.is_active():
                postings.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            found[(fieldname, term)] = postings
    return found


def test_the_shared_pool_writes_what_whoosh_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    ours = _postings_written(limitmb=0.05)
    monkeypatch.setattr(writing.PostingPool, "add", whoosh_patches.ORIGINALS["PostingPool.add"])
    theirs = _postings_written(limitmb=0.05)
    assert ours == theirs and len(ours) > 600


def test_the_shared_pool_keeps_one_copy_of_each_term() -> None:
    pool = writing.PostingPool(RamStorage(), segment=None, limitmb=64)
    for docnum in range(3):
        pool.add(("body", b"arrest", docnum, float(2), b"\x00\x02"))
    terms = {id(item[1]) for item in pool.current}
    weights = {id(item[3]) for item in pool.current}
    assert len(pool.current) == 3 and len(terms) == 1 and len(weights) == 1
