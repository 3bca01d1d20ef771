"""Which events match, as sets of document numbers: set algebra over posting lists.

Whoosh answers a query by walking a tree of matchers in Python, one call per posting per
node: a word widened to its family and concept tag (a union of twenty posting lists,
one of them "every event tagged protest") costs 300-700 ms at 100,000 events that way,
most of it counting the matches exactly. Here each term's postings are read once into a
set (cached per searcher: the concept tags recur in every widened query) and Or, And and
Not are C-level set operations. Positional queries (phrases), ranges and prefixes are
left to Whoosh's own matchers.
"""

from __future__ import annotations

import weakref
from array import array
from collections import OrderedDict
from itertools import chain

from whoosh import query as wq
from whoosh.searching import Searcher

from belarchive.search import postings
from belarchive.search.phrases import PairPhrase
from belarchive.search.prefix import ExpandedPrefix

# Sets of at least this many documents are kept between queries, up to CACHED_DOCS document
# numbers in all, as arrays of 4-byte numbers (4 MB at most). Kept as sets of Python ints
# (~85 bytes a document) they made up 10.7 of the 33 MiB that two searches for common words
# left in a window's process. A kept array is made into a set again in ~1.6 ms per 47,000
# documents; reading the set from the decoded postings (postings.py) takes ~4.5 ms.
CACHE_FROM = 2000
CACHED_DOCS = 1_000_000


_by_searcher: weakref.WeakKeyDictionary[Searcher, IdSets] = weakref.WeakKeyDictionary()


def forget() -> None:
    """Let go of every searcher's sets (a benchmark's cold start)."""
    _by_searcher.clear()


def for_searcher(searcher: Searcher) -> IdSets:
    """The sets of this searcher (the index keeps one searcher per generation, used by one
    query at a time), so term sets read by one query serve the next."""
    found = _by_searcher.get(searcher)
    if found is None:
        found = _by_searcher[searcher] = IdSets(searcher)
    return found


class IdSets:
    """Match sets on one searcher (one index generation: the cache dies with it)."""

    def __init__(self, searcher: Searcher) -> None:
        # Held weakly: _by_searcher's value must not keep its own key alive, or every
        # searcher an edit replaced stayed in memory with its segments' readers and kept
        # sets, and each full collection of the garbage collector walked them all.
        self._searcher = weakref.ref(searcher)
        self._cache: OrderedDict[tuple[str, object], array[int]] = OrderedDict()
        self._cached_docs = 0
        self._live: frozenset[int] | None = None

    @property
    def searcher(self) -> Searcher:
        found = self._searcher()
        assert found is not None, "used only while a query holds its searcher"
        return found

    def live(self) -> frozenset[int]:
        """Every document not deleted."""
        if self._live is None:
            self._live = frozenset(self.searcher.reader().all_doc_ids())
        return self._live

    def term(self, fieldname: str, text: object) -> frozenset[int]:
        key = (fieldname, text)
        kept = self._cache.get(key)
        if kept is not None:
            self._cache.move_to_end(key)
            return frozenset(kept)
        found = self._read(fieldname, text)
        if CACHE_FROM <= len(found) <= CACHED_DOCS // 2:
            self._cache[key] = array("I", found)
            self._cached_docs += len(found)
            while self._cached_docs > CACHED_DOCS:
                self._cached_docs -= len(self._cache.popitem(last=False)[1])
        return found

    def _read(self, fieldname: str, text: object) -> frozenset[int]:
        subs = self.searcher.subsearchers or [(self.searcher, 0)]
        pieces = (postings.live_id_parts(sub.reader(), fieldname, text, offset)
                  for sub, offset in subs)  # fmt: skip
        return frozenset(chain.from_iterable(chain.from_iterable(pieces)))

    def of(self, q: wq.Query) -> frozenset[int]:
        """The documents matching ``q``."""
        if q is wq.NullQuery:
            return frozenset()
        if isinstance(q, wq.Every):
            return self.live()
        if type(q) is wq.Term:
            return self.term(q.fieldname, q.text)
        if type(q) is PairPhrase:
            return frozenset().union(*(self.term("pair", t) for t in q.pairs))
        if type(q) is ExpandedPrefix and q.expansions is not None:
            return frozenset().union(*(self.term(q.fieldname, w) for w in q.expansions))
        if isinstance(q, wq.Or):
            out: set[int] = set()
            for sub in dict.fromkeys(q.subqueries):  # a part given twice adds nothing
                out |= self.of(sub)
            return frozenset(out)
        if isinstance(q, wq.And):
            return self._and(q.subqueries)
        if isinstance(q, wq.Not):
            return self.live() - self.of(q.query)
        return frozenset(self.searcher.docs_for_query(q))

    def _and(self, subs: list[wq.Query]) -> frozenset[int]:
        positive = [s for s in subs if not isinstance(s, wq.Not)]
        negative = [s.query for s in subs if isinstance(s, wq.Not)]
        # Cheap parts first: a positional part is then checked only if anything is left.
        positive.sort(key=lambda s: type(s) is not wq.Term and not isinstance(s, wq.Or))
        out = set(self.of(positive[0])) if positive else set(self.live())
        for sub in positive[1:]:
            if not out:
                break
            out &= self.of(sub)
        for sub in negative:
            if not out:
                break
            out -= self.of(sub)
        return frozenset(out)
