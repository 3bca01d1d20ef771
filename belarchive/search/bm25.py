"""BM25F ranking of a query of plain words, straight from the postings.

Whoosh ranks by walking a tree of matchers in Python, several calls per posting per node.
A word that is common in the catalogue (a concept every other event mentions) holds tens
of thousands of postings; with its cross-script keys beside it, Whoosh's top 50 cost
150-250 ms at 100,000 events, and block skipping rarely helps because nearly every block
can still reach the top. Here each term's postings are read a block at a time and scored
with Whoosh's own formula (``scoring.bm25`` and the searcher's idf and average lengths),
so the scores are those of Whoosh's complete ranking (``limit=None``) up to the order of
floating-point additions, and so is the order: best first, equal scores by document
number. (Whoosh's top-N path is not always the same: on the 100,000-event bench its quality
shortcuts left out the score of an OR's weak branch under an AND for 20 of 360 queries.)
The same pass counts the matches, so no second pass is needed for the exact total.

Only terms joined by OR and AND are ranked here (what a query of words compiles to, with
its field filters), with two more leaves that are unions of terms: a two-word phrase
answered by its pair terms (phrases.PairPhrase) and an expanded prefix
(prefix.ExpandedPrefix), each weighted as its own matcher weighs it. Anything else (longer
phrases, ranges, negation) returns None and is left to Whoosh. An AND reads its rarest
part first, then only the blocks of the other parts that can hold one of its documents,
as Whoosh's ``skip_to`` would.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter

from whoosh import query as wq
from whoosh import scoring
from whoosh.searching import Searcher

from belarchive.search import postings
from belarchive.search.phrases import PairPhrase
from belarchive.search.prefix import ExpandedPrefix
from belarchive.search.whoosh_patches import LENGTHS, deleted_docs, field_lengths

Scores = dict[int, float]


@dataclass(frozen=True, slots=True)
class Ranked:
    best: list[tuple[int, float]]  # (document number, score), best first
    matches: frozenset[int]  # every match within the scope


def flat(q: wq.Query) -> bool:
    """Whether ``q`` is terms joined by OR and AND only."""
    if type(q) in (wq.Term, PairPhrase):
        return True
    if type(q) is ExpandedPrefix:
        return q.expansions is not None
    if type(q) in (wq.Or, wq.And):
        return bool(q.subqueries) and all(flat(sub) for sub in q.subqueries)
    return False


def rank(searcher: Searcher, q: wq.Query, limit: int | None,
         scope: frozenset[int] | None) -> Ranked | None:  # fmt: skip
    """The top ``limit`` (None: all) matches of ``q`` within ``scope`` (None: every event),
    and every match; None if ``q`` is not plain words or the index is not ranked by BM25F."""
    weighting = searcher.weighting
    if not flat(q) or type(weighting) is not scoring.BM25F:
        return None
    wanted = sorted(scope) if scope is not None else None
    scores = _Scorer(searcher, weighting).scores(q, wanted)
    if scope is not None:
        scores = {d: s for d, s in scores.items() if d in scope}
    return Ranked(_best(scores, limit), frozenset(scores))


def _best(scores: Scores, limit: int | None) -> list[tuple[int, float]]:
    # Whoosh's order: the highest score first, equal scores by ascending document number.
    items = scores.items()
    if limit is not None and limit < len(items):
        # The top by score alone (a C-level key), widened to every tie with the last one.
        top = heapq.nlargest(limit, items, key=itemgetter(1))
        cutoff = top[-1][1] if top else 0.0
        items = [ds for ds in items if ds[1] >= cutoff]  # type: ignore[assignment]
    return sorted(items, key=lambda ds: (-ds[1], ds[0]))[:limit]


class _Scorer:
    def __init__(self, searcher: Searcher, weighting: scoring.BM25F) -> None:
        self.searcher = searcher
        self.weighting = weighting
        self.segments = searcher.subsearchers or [(searcher, 0)]

    def scores(self, q: wq.Query, wanted: list[int] | None) -> Scores:
        if type(q) is wq.Term:
            found = self._term(q.fieldname, q.text, wanted)
        elif type(q) is PairPhrase:
            found = self._pair(q, wanted)
        elif type(q) is ExpandedPrefix:
            found = self._prefix(q.fieldname, q.expansions or [], wanted)
        elif type(q) is wq.Or:
            found = self._or(q.subqueries, wanted)
        else:
            found = self._and(q.subqueries, wanted)
        if q.boost != 1.0:  # Whoosh wraps the matcher: every score times the boost
            found = {d: s * q.boost for d, s in found.items()}
        return found

    def _or(self, subs: Sequence[wq.Query], wanted: list[int] | None) -> Scores:
        # A part given twice (a word typed twice) counts twice, as in Whoosh, but is read
        # and scored once.
        repeats = Counter(subs)
        parts = sorted(
            ((self.scores(sub, wanted), n) for sub, n in repeats.items()),
            key=lambda part: len(part[0]),
            reverse=True,
        )
        out: Scores = {}
        get = out.get
        for part, n in parts:
            for _ in range(n):
                if not out:
                    out.update(part)
                    continue
                for d, s in part.items():
                    out[d] = get(d, 0.0) + s
        return out

    def _pair(self, phrase: PairPhrase, wanted: list[int] | None) -> Scores:
        # The pair field is scored by weight, as the phrase's own matcher weighs it.
        found = phrase.weights(self.searcher)
        if wanted is None:
            return found
        kept = frozenset(wanted)
        return {d: w for d, w in found.items() if d in kept}

    def _prefix(self, fieldname: str, words: list[bytes], wanted: list[int] | None) -> Scores:
        # As prefix.ExpandedPrefix weighs an event: how many of the prefix's words it holds.
        out: Scores = {}
        get = out.get
        for word in words:
            for d in self._term(fieldname, word, wanted):
                out[d] = get(d, 0.0) + 1.0
        return out

    def _and(self, subs: Sequence[wq.Query], wanted: list[int] | None) -> Scores:
        reader = self.searcher.reader()
        ordered = sorted(subs, key=lambda sub: sub.estimate_size(reader))
        out = self.scores(ordered[0], wanted)
        for sub in ordered[1:]:
            if not out:
                break
            part = self.scores(sub, sorted(out))
            out = {d: s + part[d] for d, s in out.items() if d in part}
        return out

    def _term(self, fieldname: str, text: str | bytes, wanted: list[int] | None) -> Scores:
        score = self._formula(fieldname, text)
        out: Scores = {}
        wanted_set = frozenset(wanted) if wanted is not None else None
        for sub, offset in self.segments:
            reader = sub.reader()
            if not postings.doc_frequency(reader, fieldname, text):
                continue
            local = _local(wanted, offset, reader.doc_count_all())
            if local is not None and not local:
                continue
            lengths = field_lengths(reader, fieldname) if score is not None else None
            for ids, weights in postings.blocks(reader, fieldname, text, local):
                if score is None:
                    values: Sequence[float] = weights
                elif lengths is None:  # no lengths stored: Whoosh's default length, 1
                    values = [score(w, 1) for w in weights]
                else:
                    values = score.block(ids, weights, lengths)
                keys = list(map(offset.__add__, ids)) if offset else ids
                if wanted_set is None:
                    out.update(zip(keys, values, strict=True))
                else:
                    out.update(kv for kv in zip(keys, values, strict=True) if kv[0] in wanted_set)
            for d in deleted_docs(reader):  # still in the postings, never in an answer
                out.pop(d + offset, None)
        return out

    def _formula(self, fieldname: str, text: str | bytes) -> _Bm25 | None:
        """BM25 for a scorable field; None for one scored by its weight alone."""
        searcher = self.searcher
        if not searcher.schema[fieldname].scorable:
            return None  # Whoosh's WeightScorer: the posting's weight is its score
        w = self.weighting
        b = w._field_B.get(fieldname, w.B)
        return _Bm25(searcher.idf(fieldname, text), searcher.avg_field_length(fieldname) or 1,
                     b, w.K1)  # fmt: skip


class _Bm25:
    """``scoring.bm25`` with the length part looked up per encoded length byte: the same
    operations in the same order, so the same float."""

    def __init__(self, idf: float, avgfl: float, b: float, k1: float) -> None:
        self.idf, self.avgfl, self.b, self.k1 = idf, avgfl, b, k1
        self.norm = [k1 * ((1 - b) + b * length / avgfl) for length in LENGTHS]

    def __call__(self, tf: float, length: int) -> float:
        return scoring.bm25(self.idf, tf, length, self.avgfl, self.b, self.k1)  # type: ignore[no-any-return]

    def block(self, ids: Sequence[int], weights: Sequence[float], lengths: bytes) -> list[float]:
        idf, k1_plus_1, norm = self.idf, self.k1 + 1, self.norm
        return [
            idf * ((tf * k1_plus_1) / (tf + norm[lengths[d]]))
            for d, tf in zip(ids, weights, strict=True)
        ]


def _local(wanted: list[int] | None, offset: int, count: int) -> list[int] | None:
    """The wanted document numbers inside one segment, as its own numbers."""
    if wanted is None:
        return None
    lo, hi = bisect_left(wanted, offset), bisect_left(wanted, offset + count)
    return [d - offset for d in wanted[lo:hi]] if offset else wanted[lo:hi]
