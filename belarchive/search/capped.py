"""Top-N collection over a leading part of the index, for queries too costly to answer whole.

A phrase of two function words ("για η", "на что") intersects two posting lists of most of
the catalogue and Whoosh checks word positions for every candidate in Python (200-700 ms
at 100,000 events, even when few events match); a prefix of three letters unions dozens of
posting lists. When such a query would visit more than a budget of events, only the
leading fraction of each segment that fits the budget is searched, the total is estimated
from that fraction, and the results say so in their notes. Ordinary word queries never
take this path: their ranking must stay exact and Whoosh's block skipping keeps them fast.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from whoosh import query as wq
from whoosh.collectors import FilterCollector, TopCollector
from whoosh.matching.wrappers import WrappingMatcher
from whoosh.reading import IndexReader
from whoosh.searching import Results, Searcher

from belarchive.search import postings
from belarchive.search.phrases import CheckedPhrase, PairPhrase

# Checking the word positions of a phrase candidate costs about as much as walking this
# many postings of a union (~25 us against ~10 us); a prefix's postings, read into one list
# (prefix.py), a third of that.
PHRASE_COST = 3
PREFIX_DISCOUNT = 3


class _Bounded(WrappingMatcher):  # type: ignore[misc]
    """A matcher that ends at document number ``bound`` and tells its collector so."""

    def __init__(self, child: Any, bound: int, owner: ScanCollector) -> None:
        super().__init__(child)
        self.bound = bound
        self.owner = owner

    def _replacement(self, newchild: Any) -> _Bounded:
        return _Bounded(newchild, self.bound, self.owner)

    def is_active(self) -> bool:
        if not self.child.is_active():
            return False
        if self.child.id() < self.bound:
            return True
        self.owner.cut = True
        return False


class ScanCollector(TopCollector):  # type: ignore[misc]
    """TopCollector over the first ``fraction`` of each segment's documents."""

    def __init__(self, limit: int, fraction: float) -> None:
        # No block-quality skipping: the count of matches seen must be exact to scale it.
        super().__init__(limit=limit, usequality=False)
        self.fraction = fraction
        self.cut = False
        self.scanned = 0

    def set_subsearcher(self, subsearcher: Searcher, offset: int) -> None:
        super().set_subsearcher(subsearcher, offset)
        size = subsearcher.doc_count_all()
        bound = min(size, math.ceil(size * self.fraction))
        self.scanned += bound
        # Whoosh's collector (untyped) set .matcher in set_subsearcher above.
        self.matcher = _Bounded(getattr(self, "matcher"), bound, self)  # noqa: B009

    def computes_count(self) -> bool:
        return not self.cut


@dataclass(frozen=True, slots=True)
class Collected:
    results: Results
    total: int
    exact: bool


def work(q: wq.Query, reader: IndexReader) -> int:
    """About how many postings Whoosh walks to answer ``q``, in units of a union's posting
    (an And is led by its rarest part, an Or walks all of them)."""
    if isinstance(q, wq.Term):
        return postings.doc_frequency(reader, q.fieldname, q.text)
    if isinstance(q, wq.Phrase):
        # Walking the rarest word's postings, plus a position check per event holding every
        # word: as many as if the words occurred independently of each other.
        size = max(1, int(reader.doc_count_all()))
        freqs = [int(reader.doc_frequency(q.fieldname, w)) for w in q.words]
        candidates = float(size)
        for freq in freqs:
            candidates *= freq / size
        return min(freqs) + round(PHRASE_COST * candidates)
    if isinstance(q, PairPhrase):
        return q.estimate_size(reader)
    if isinstance(q, CheckedPhrase):
        if not q.required:  # rarer words and a gap: at most its rarest word's events
            words = [
                sum(postings.doc_frequency(reader, q.fieldname, t) for t in alts)
                for alts in q.positions
                if alts
            ]
            return min(words) * PHRASE_COST
        pairs = [
            sum(postings.doc_frequency(reader, "pair", t) for t in alts) for alts in q.required
        ]
        return min(pairs) * PHRASE_COST
    if isinstance(q, wq.Sequence):
        size = max(1, int(reader.doc_count_all()))
        freqs = [max(1, work(sub, reader)) for sub in q.subqueries]
        candidates = float(size)
        for freq in freqs:
            candidates *= min(1.0, freq / size)
        return min(freqs) + round(PHRASE_COST * 2 * candidates)  # a union per position
    if isinstance(q, wq.Prefix):
        walked = sum(postings.doc_frequency(reader, q.fieldname, t) for t in q._btexts(reader))
        return walked // PREFIX_DISCOUNT
    if isinstance(q, wq.Not):
        return 0
    if isinstance(q, wq.And):
        positive = [work(s, reader) for s in q.subqueries if not isinstance(s, wq.Not)]
        return min(positive, default=0)
    if isinstance(q, wq.Or):
        return sum(work(s, reader) for s in q.subqueries)
    return int(reader.doc_count_all())


def search(
    searcher: Searcher,
    q: wq.Query,
    limit: int,
    *,
    filter_q: wq.Query | None,
    fraction: float,
) -> Collected:
    """The top ``limit`` hits of ``q`` in the leading ``fraction`` of the index (a quick
    answer; complete ones are ranking.py's)."""
    collector = ScanCollector(limit, fraction)
    outer = FilterCollector(collector, allow=filter_q) if filter_q is not None else collector
    searcher.search_with_collector(q, outer)
    results = outer.results()
    if not collector.cut:
        return Collected(results, collector.total, True)
    share = collector.scanned / max(1, searcher.doc_count_all())
    return Collected(results, max(collector.total, round(collector.total / share)), False)
