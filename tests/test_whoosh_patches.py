"""The Whoosh patches (belarchive/search/whoosh_patches.py) stay tied to the code they
were written against: an upgrade that changes any of it fails here, by name, so the patch
is reviewed before it runs on new code. And the newest patch gives Whoosh's own answer."""

from __future__ import annotations

import hashlib
import inspect

from whoosh import fields
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
    "PostingPool.save": "5c65fc6566aeff0d",
    "PostingPool.iter_postings": "78edf6b5c84a0acb",
    "SortingPool.save": "07b6aebd129b8f22",
    "SortingPool.items": "490a8461146dbd1e",
    "SegmentWriter._flush_segment": "a4b79c8a3687febd",
    "SegmentWriter.add_document": "399433d1cb30d9d0",
    "FieldWriter.add_postings": "fea6bedbce63a134",
    "W3FieldWriter.start_term": "ec3f34231ac58f19",
    "W3FieldWriter.finish_term": "ead26346d81433a0",
    "W3PostingsWriter.add_posting": "09bb36fe5125764d",
    "W3PostingsWriter.finish_postings": "d73a95bf811a6541",
    "W3PostingsWriter._new_block": "af610818c72fef4e",
    "W3PostingsWriter._write_block": "19e3c784208a0cdd",
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
