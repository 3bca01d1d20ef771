"""Reading a term's postings in one segment, with the long ones kept decoded.

Decoding is most of what a common word costs: Whoosh pickles and compresses each block of
~100 postings together with their word positions, and a word that half the catalogue holds
spans hundreds of blocks. The ranking (bm25.py) and the match sets (idsets.py) read the
same common words and word families from query to query, so a segment's long posting
lists are kept decoded, as compact arrays, and shared by both. A segment never changes
once written (its deletions are applied by the callers, from the current reader), so an
entry stays right across edits and searchers; it just goes unused once its segment is
merged away, and the least recently used go first.
"""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict
from collections.abc import Iterable
from itertools import chain, filterfalse
from typing import Any

from whoosh.reading import MultiReader, SegmentReader

from belarchive.search.whoosh_patches import (
    Block,
    deleted_docs,
    posting_blocks,
    segment_key,
    segment_readers,
    term_postings,
)

# A term with at least this many postings in a segment is kept decoded between queries, up
# to CACHE_POSTINGS postings in all (8 bytes each: ~16 MB).
CACHE_FROM = 256
CACHE_POSTINGS = 2_000_000


# Per segment, how many documents hold a term (0: none), for the terms queries asked about:
# with a dozen segments each query term was looked up three times per segment in Whoosh's
# on-disk hash tables (present? how many? where?). Bounded: ~200 bytes an entry, ~10 MB.
FREQUENCIES_KEPT = 50_000
_frequencies: dict[tuple[str, str, object], int] = {}


def forget() -> None:
    """Let go of everything kept (an index closed; a benchmark's cold start)."""
    _cache.clear()
    _frequencies.clear()


def doc_frequency(reader: Any, fieldname: str, text: object) -> int:
    """How many documents hold the term (deleted ones included), summed over the segments
    of a reader over several."""
    if isinstance(reader, MultiReader):
        return sum(doc_frequency(sub, fieldname, text) for sub in segment_readers(reader))
    if not isinstance(reader, SegmentReader):
        return int(reader.doc_frequency(fieldname, text))
    key = (segment_key(reader), fieldname, text)
    found = _frequencies.get(key)
    if found is None:
        if len(_frequencies) >= FREQUENCIES_KEPT:
            _frequencies.clear()  # rare (a long session's worth of words): start over
        found = _frequencies[key] = int(reader.doc_frequency(fieldname, text))
    return found


def live_ids(reader: Any, fieldname: str, text: object) -> set[int]:
    """The documents of a term that are not deleted, in one segment (or, for a reader over
    several, through Whoosh's own matcher)."""
    return set(chain.from_iterable(live_id_parts(reader, fieldname, text)))


def live_id_parts(
    reader: Any, fieldname: str, text: object, offset: int = 0
) -> list[Iterable[int]]:
    """``live_ids`` plus ``offset`` (the segment's first document in a searcher over
    several), as lazy pieces for one set built by the caller: building a set per segment
    and then their union cost ~2.5 times as much (12 against 4.5 ms for 47,000 documents
    in 8 segments)."""
    if not isinstance(reader, SegmentReader):
        if (fieldname, text) not in reader:
            return []
        pieces: list[Iterable[int]] = [reader.postings(fieldname, text).all_ids()]
        deleted: frozenset[int] = frozenset()  # not in the postings of such a reader
    else:
        frequency = doc_frequency(reader, fieldname, text)
        if not frequency:
            return []
        if frequency >= CACHE_FROM:  # kept decoded (blocks)
            pieces = [ids for ids, _weights in blocks(reader, fieldname, text)]
        else:  # a short list: its ids alone, without the weights only a ranking needs
            pieces = [term_postings(reader, fieldname, text).all_ids()]
        deleted = deleted_docs(reader)
    out: list[Iterable[int]] = []
    for ids in pieces:
        if deleted:
            ids = filterfalse(deleted.__contains__, ids)
        out.append(map(offset.__add__, ids) if offset else ids)
    return out


def blocks(
    reader: Any, fieldname: str, text: object, wanted: list[int] | None = None
) -> Iterable[Block]:
    """A term's postings in one segment (deleted documents included), a block at a time:
    (document numbers, weights). A long list is kept decoded for the next query; a short
    one skips the blocks holding none of ``wanted`` (sorted; None: all)."""
    key = (segment_key(reader), fieldname, text)
    found = _cache.get(key)
    if found is not None:
        return (found,)
    matcher = term_postings(reader, fieldname, text)
    if doc_frequency(reader, fieldname, text) < CACHE_FROM:
        return posting_blocks(matcher, wanted)
    ids, weights = array("I"), array("f")
    for block_ids, block_weights in posting_blocks(matcher):
        ids.extend(block_ids)
        weights.extend(block_weights)
    _cache.put(key, (ids, weights))
    return ((ids, weights),)


class _PostingCache:
    """Decoded postings by (segment, field, term), least recently used dropped first once
    more than ``budget`` postings are held (8 bytes each). Segments never change, so an
    entry stays right across edits and searchers; it only goes unused once its segment is
    merged away."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._held = 0
        self._entries: OrderedDict[tuple[str, str, object], Block] = OrderedDict()
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._held = 0

    def get(self, key: tuple[str, str, object]) -> Block | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: tuple[str, str, object], block: Block) -> None:
        with self._lock:
            if key in self._entries or len(block[0]) > self.budget:
                return
            self._entries[key] = block
            self._held += len(block[0])
            while self._held > self.budget:
                _key, dropped = self._entries.popitem(last=False)
                self._held -= len(dropped[0])


_cache = _PostingCache(CACHE_POSTINGS)
