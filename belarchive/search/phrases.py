"""A phrase checked only where its word pairs are: the fast path for phrases of common words.

Whoosh's phrase matcher walks every event holding all the phrase's words and checks
their positions there; asked to skip ahead, it still checks each such event on the way.
``CheckedPhrase`` first takes the events holding the phrase's required word pairs
(pairs.py: one pair per neighbouring positions with a common word), which is usually a
small set, and reads word positions only there. The answer is the same: an event that
holds the phrase holds its pairs. Each match weighs as many occurrences as it has (the
title counts twice, as in the body), which ranks like Whoosh's phrase frequency.
"""

from __future__ import annotations

from typing import Any

from whoosh import query as wq
from whoosh.matching import ListMatcher, NullMatcher
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from belarchive.search import postings
from belarchive.search.whoosh_patches import deleted_docs


class PairPhrase(wq.Query):  # type: ignore[misc]
    """Two neighbouring words of which one is common, answered by the index's pair terms
    alone (pairs.py): an event holds one of ``pairs`` exactly where the two words stand side
    by side in one part, so no word position is read. Each match weighs as many times as
    the two stand side by side (as ``CheckedPhrase`` counts them): a pair term's weight is
    that count, and of several spellings (a name's keys beside its stem, which stand at the
    same place) the largest is taken, not their sum. ``positions`` keeps what the query
    means (bench/search_oracle.py checks that, not the shortcut)."""

    def __init__(self, pairs: list[str], positions: list[list[str]], boost: float = 1.0) -> None:
        self.fieldname = "pair"
        self.pairs = pairs
        self.positions = positions
        self.boost = boost

    def __repr__(self) -> str:
        return f"PairPhrase({self.pairs!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PairPhrase) and (self.pairs, self.boost) == (
            other.pairs,
            other.boost,
        )

    def __hash__(self) -> int:
        return hash(("pair", tuple(self.pairs), self.boost))

    def is_leaf(self) -> bool:
        return True

    def children(self) -> list[wq.Query]:
        return []

    def terms(self, phrases: bool = True) -> Any:
        for text in self.pairs:
            yield ("pair", text)

    def estimate_size(self, reader: IndexReader) -> int:
        return sum(postings.doc_frequency(reader, "pair", t) for t in self.pairs)

    def weights(self, searcher: Searcher) -> dict[int, float]:
        """Document -> weight (its boost not applied), deleted documents left out."""
        found: dict[int, float] = {}
        for sub, offset in searcher.subsearchers or [(searcher, 0)]:
            reader = sub.reader()
            deleted = deleted_docs(reader)
            for text in self.pairs:
                if not postings.doc_frequency(reader, "pair", text):
                    continue
                for ids, weights in postings.blocks(reader, "pair", text):
                    for docnum, weight in zip(ids, weights, strict=True):
                        key = docnum + offset
                        if docnum not in deleted and weight > found.get(key, 0.0):
                            found[key] = weight
        return found

    def matcher(self, searcher: Searcher, context: Any = None) -> Any:
        found = self.weights(searcher)
        if not found:
            return NullMatcher()
        ids = sorted(found)
        return ListMatcher(ids, weights=[found[d] * self.boost for d in ids])


class CheckedPhrase(wq.Query):  # type: ignore[misc]
    """Terms at consecutive positions of ``fieldname`` (any of each position's
    alternatives; a position without any is a gap, where any word may stand), looked for
    only in events holding one pair of each of ``required`` (or, with none required, every
    word of the phrase)."""

    def __init__(self, fieldname: str, positions: list[list[str]], required: list[list[str]],
                 boost: float = 1.0) -> None:  # fmt: skip
        self.fieldname = fieldname
        self.positions = positions
        self.required = required
        self.boost = boost

    def __repr__(self) -> str:
        return f"CheckedPhrase({self.fieldname!r}, {self.positions!r}, {self.required!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CheckedPhrase) and (
            self.fieldname,
            self.positions,
            self.required,
        ) == (other.fieldname, other.positions, other.required)

    def __hash__(self) -> int:
        return hash((self.fieldname, repr(self.positions), repr(self.required)))

    def is_leaf(self) -> bool:
        return True

    def children(self) -> list[wq.Query]:
        return []

    def terms(self, phrases: bool = True) -> Any:
        for alts in self.positions:
            for text in alts:
                yield (self.fieldname, text)

    def estimate_size(self, reader: IndexReader) -> int:
        return len(self._candidates(reader))

    def _candidates(self, reader: IndexReader) -> set[int]:
        found: set[int] | None = None
        for alternatives in self.required or [alts for alts in self.positions if alts]:
            field = "pair" if self.required else self.fieldname
            ids: set[int] = set()
            for text in alternatives:
                ids |= postings.live_ids(reader, field, text)
            found = ids if found is None else found & ids
            if not found:
                return set()
        return found or set()

    def matcher(self, searcher: Searcher, context: Any = None) -> Any:
        reader = searcher.reader()
        candidates = sorted(self._candidates(reader))
        if not candidates:
            return NullMatcher()
        readers = [
            [reader.postings(self.fieldname, t) for t in alts if (self.fieldname, t) in reader]
            for alts in self.positions
        ]
        if any(not found for found, alts in zip(readers, self.positions, strict=True) if alts):
            return NullMatcher()
        ids, weights = [], []
        for docnum in candidates:
            count = _occurrences(readers, docnum)
            if count:
                ids.append(docnum)
                weights.append(count * self.boost)
        return ListMatcher(ids, weights=weights) if ids else NullMatcher()


def _positions_at(matchers: list[Any], docnum: int) -> set[int]:
    out: set[int] = set()
    for m in matchers:
        if m.is_active() and m.id() < docnum:
            m.skip_to(docnum)
        if m.is_active() and m.id() == docnum:
            out.update(m.value_as("positions"))
    return out


def _occurrences(readers: list[list[Any]], docnum: int) -> int:
    """How many times the positions follow each other in ``docnum`` (0: not at all); a
    position without matchers is a gap (compile.py: trimmed from both ends, so a word
    follows it)."""
    starts: set[int] | None = None
    for offset, matchers in enumerate(readers):
        if not matchers:
            continue
        here = {p - offset for p in _positions_at(matchers, docnum)}
        starts = here if starts is None else starts & here
        if not starts:
            return 0
    return len(starts or ())
