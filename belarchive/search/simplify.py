"""Dropping what the index does not hold from a compiled query, before Whoosh runs it.

The compiler widens words into alternatives it cannot check without the index: a word's
lemma, its family's forms, the script-neutral keys of a quoted name. Most of them are
absent from any given catalogue. An absent Term still costs a matcher, and a phrase
position with several alternatives is slower to check than one term, so alternatives with
no postings are removed here: a Sequence left with one term per position becomes a Phrase
again, and one with alternatives a CheckedPhrase.
"""

from __future__ import annotations

from whoosh import query as wq
from whoosh.reading import IndexReader

from belarchive.search import postings
from belarchive.search.phrases import CheckedPhrase

# Fields whose terms the compiler adds as alternatives or restrictions, often absent.
_WIDENED = ("body", "lemma", "xkey", "pair")


def _present(q: wq.Query, reader: IndexReader) -> bool:
    return bool(postings.doc_frequency(reader, q.fieldname, q.text))


def simplify(q: wq.Query, reader: IndexReader) -> wq.Query:
    """``q`` without alternatives the index does not hold (NullQuery if nothing is left)."""
    if isinstance(q, wq.Sequence):
        return _sequence(q, reader)
    if isinstance(q, wq.Or):
        kept = [s for s in (simplify(sub, reader) for sub in q.subqueries) if s is not wq.NullQuery]
        if not kept:
            return wq.NullQuery
        return kept[0] if len(kept) == 1 else wq.Or(kept, boost=q.boost)
    if isinstance(q, wq.And):
        parts = [simplify(sub, reader) for sub in q.subqueries]
        if any(p is wq.NullQuery for p in parts):
            return wq.NullQuery
        return wq.And(parts, boost=q.boost)
    if isinstance(q, wq.Not):
        return wq.Not(simplify(q.query, reader))
    if type(q) is wq.Term and q.fieldname in _WIDENED and not _present(q, reader):
        return wq.NullQuery
    return q


def _position(q: wq.Query, reader: IndexReader) -> list[wq.Term]:
    terms = q.subqueries if isinstance(q, wq.Or) else [q]
    return [t for t in terms if isinstance(t, wq.Term) and _present(t, reader)]


def _sequence(q: wq.Sequence, reader: IndexReader) -> wq.Query:
    positions = [_position(sub, reader) for sub in q.subqueries]
    if any(not alts for alts in positions):
        return wq.NullQuery
    if all(len(alts) == 1 for alts in positions):
        return wq.Phrase(positions[0][0].fieldname, [alts[0].text for alts in positions])
    # Whoosh's Sequence of unions walks its spans at ~45 us an event holding every word (a
    # name's spellings in a phrase: "сообщила Минск", 5,988 such events at 100k, 271-283
    # ms warm); CheckedPhrase reads the positions of those events itself: 162-163 ms.
    texts = [[t.text for t in alts] for alts in positions]
    return CheckedPhrase(positions[0][0].fieldname, texts, [])
