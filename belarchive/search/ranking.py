"""Complete answers in rank order: every match, exactly counted, best first.

Two tiers when the query was widened (word families, lemmas, concept tags):

1. the events that hold the words as typed (their inflections and, with cross-script
   names on, their spellings in other scripts), ranked by Whoosh's BM25: what the
   archivist typed ranks first, and Whoosh's block skipping keeps the top N cheap;
2. the events found only through the widening, after them, ordered by how many of the
   widened forms they hold (weighted as the compiler boosted them), then newest first.

The match set and its size come from set algebra over posting lists (idsets.py), never
from walking Whoosh's matcher tree over every match. An unwidened query is one tier:
Whoosh's top N, counted the same way.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from whoosh import query as wq
from whoosh.searching import Searcher

from belarchive.errors import SearchTooCostly
from belarchive.i18n import _
from belarchive.search import bm25, capped
from belarchive.search.idsets import IdSets, for_searcher
from belarchive.search.phrases import CheckedPhrase

# Checking a phrase's word positions costs about (4 + its words) units of ~3.5 us per
# candidate event (one holding all its words), measured at 100,000 events on a quiet
# machine: "και και" (47,000 candidates) 0.84 s, 16 words of "η αστυνομία" 0.87 s. Beyond
# this many units a complete answer would take over ~1 s quiet, ~2 s busy, and is refused
# with a message instead (issue 12's bad input: a phrase of 200 words). Ordinary phrases
# cost a few thousand units.
PHRASE_WORK_LIMIT = 250_000

# Reading a word's postings that are not kept decoded yet (postings.py) costs ~1.5 us each
# at 100,000 events, quiet: an OR of 80 common words (~1 M postings by capped.work) took
# 1.5 s, of 150 words 2.5-3.4 s. Beyond this many a complete answer would take over ~2 s
# quiet, and is refused with a message instead (issue 12's bad input: a query of very many
# words). The bench's heaviest ordinary queries read ~160,000.
WORD_WORK_LIMIT = 1_000_000

Ranked = list[tuple[int, float]]  # (document number, score), best first


@dataclass(frozen=True, slots=True)
class Answer:
    ranked: Ranked
    total: int


def _terms(q: wq.Query, out: list[wq.Term]) -> list[wq.Term]:
    if type(q) is wq.Term:
        out.append(q)
    elif isinstance(q, (wq.And, wq.Or)):
        for sub in q.subqueries:
            _terms(sub, out)
    return out  # negated parts and positional ones add no weight


def _top(searcher: Searcher, q: wq.Query, limit: int | None, filter_q: wq.Query | None,
         scope: frozenset[int] | None) -> tuple[Ranked, frozenset[int] | None]:  # fmt: skip
    """The top ``limit`` of ``q`` (None: all) within the filter (``filter_q``, whose matches
    are ``scope``), and every match if the ranking saw them all (None if it skipped some)."""
    flat = bm25.rank(searcher, q, limit, scope)
    if flat is not None:
        return flat.best, flat.matches
    results = searcher.search(q, limit=limit, filter=filter_q, terms=False)
    ranked = [(hit.docnum, float(hit.score or 0.0)) for hit in results]
    return ranked, frozenset(d for d, _s in ranked) if limit is None else None


def _matches(sets: IdSets, q: wq.Query, scope: frozenset[int] | None) -> frozenset[int]:
    """The matches of ``q`` within ``scope`` (the listing filter's set; None: all)."""
    found = sets.of(q)
    return found & scope if scope is not None else found


def _scope(sets: IdSets, filter_q: wq.Query | None) -> frozenset[int] | None:
    return sets.of(filter_q) if filter_q is not None else None


def _positional(q: wq.Query) -> bool:
    if isinstance(q, (wq.Phrase, wq.Sequence, CheckedPhrase)):
        return True
    return any(_positional(sub) for sub in q.children())


def _positions(q: wq.Query) -> list[wq.Query]:
    if isinstance(q, (wq.Phrase, wq.Sequence)):
        return [q]
    if isinstance(q, CheckedPhrase):  # with required pairs, the pairs bound its cost
        return [] if q.required else [q]
    return [p for sub in q.children() for p in _positions(sub)]


def _words(q: wq.Query) -> list[wq.Query]:
    if isinstance(q, wq.Phrase):
        return [wq.Term(q.fieldname, w) for w in q.words]
    if isinstance(q, CheckedPhrase):  # a gap (no alternatives) costs no look-up
        return [wq.Or([wq.Term(q.fieldname, t) for t in alts]) for alts in q.positions if alts]
    return list(q.subqueries)


def check_cost(searcher: Searcher, q: wq.Query, filter_q: wq.Query | None) -> None:
    """Refuse (SearchTooCostly) a query whose words occur too many times in all (see
    WORD_WORK_LIMIT), or whose phrases would check too many positions: the events holding
    all of a phrase's words (and the filter's), times its length."""
    occurrences = capped.work(q, searcher.reader())
    if occurrences > WORD_WORK_LIMIT:
        raise SearchTooCostly(
            _(
                "This search asks for too many words at once: together they occur in "
                "{n} places, and reading them all would take too long. Search for fewer "
                "words at a time, or turn word families off."
            ).format(n=f"{occurrences:,}")
        )
    sets = for_searcher(searcher)
    scope = _scope(sets, filter_q)
    work = 0
    for phrase in _positions(q):
        words = _words(phrase)
        candidates = set(sets.of(words[0])) if scope is None else set(sets.of(words[0]) & scope)
        for word in words[1:]:
            candidates &= sets.of(word)
        work += len(candidates) * (4 + len(words))
        if work > PHRASE_WORK_LIMIT:
            raise SearchTooCostly(
                _(
                    "Every word of this phrase is very common ({n} events hold them all): "
                    "checking their order everywhere would take too long. Shorten the phrase, "
                    "add a rarer word or a filter, or search without the quotes."
                ).format(n=len(candidates))
            )


def answer(searcher: Searcher, q: wq.Query, limit: int | None,
           filter_q: wq.Query | None) -> Answer:  # fmt: skip
    """The top ``limit`` of ``q`` (None: all), with the exact number of matches."""
    sets = for_searcher(searcher)
    scope = _scope(sets, filter_q)
    if _positional(q):
        # Every candidate's positions are checked whatever N is: one scored pass over all
        # matches costs less than a top-N pass and a second one to count.
        ranked, _all = _top(searcher, q, None, filter_q, scope)
        return Answer(ranked if limit is None else ranked[:limit], len(ranked))
    ranked, matches = _top(searcher, q, limit, filter_q, scope)
    if matches is not None:
        total = len(matches)
    elif limit is not None and len(ranked) >= limit:
        total = len(_matches(sets, q, scope))
    else:
        total = len(ranked)  # fewer than asked for: nothing was skipped, these are all
    return Answer(ranked, total)


def widened_answer(searcher: Searcher, q: wq.Query, core: wq.Query, limit: int | None,
                   filter_q: wq.Query | None) -> Answer:  # fmt: skip
    """All matches of the widened ``q`` (see the module's docstring); ``core`` is the same
    query with the words as typed."""
    sets = for_searcher(searcher)
    scope = _scope(sets, filter_q)
    full = _matches(sets, q, scope)
    best, core_matches = _top(searcher, core, limit, filter_q, scope)
    ranked = [(d, s) for d, s in best if d in full]
    # full is already within the filter
    core_ids = (core_matches if core_matches is not None else sets.of(core)) & full
    if limit is not None and len(ranked) < min(limit, len(core_ids)):
        # A negated family word excluded some of the core's best: take the core whole.
        whole, _all = _top(searcher, core, None, filter_q, scope)
        ranked = [(d, s) for d, s in whole if d in full]
    if limit is None or len(ranked) < limit:
        ranked += _second_tier(sets, q, core, full - core_ids)
    return Answer(ranked if limit is None else ranked[:limit], len(full))


def _second_tier(sets: IdSets, q: wq.Query, core: wq.Query, rest: frozenset[int]) -> Ranked:
    if not rest:
        return []
    typed = {(t.fieldname, t.text) for t in _terms(core, [])}
    weight: Counter[int] = Counter()
    for term in _terms(q, []):
        if (term.fieldname, term.text) not in typed:
            for docnum in sets.term(term.fieldname, term.text) & rest:
                weight[docnum] += term.boost
    return sorted(((d, float(weight[d])) for d in rest), key=lambda ds: (-ds[1], -ds[0]))
