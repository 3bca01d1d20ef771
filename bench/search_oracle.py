"""The correctness oracle for search: the complete answer, by scanning the analysed text.

It takes the query exactly as the search compiles it (words widened, vocabulary resolved)
and evaluates it event by event over the fields the indexer builds (documents.py), in
plain Python: no Whoosh index, matcher, collector, cap or patch is involved. Every exact
mode of the search (the default, complete answers) must return precisely this set; the
tests and bench/bench_search.py hold it to that.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Engine
from whoosh import query as wq

from belarchive.search import analysis, families
from belarchive.search.compile import compile_query
from belarchive.search.documents import build_fields, id_bounds, load_range
from belarchive.search.phrases import CheckedPhrase, PairPhrase
from belarchive.search.query import parse
from belarchive.search.resolver import DbResolver, listing_filter
from belarchive.storage.queries import EventFilter

_KEYWORDS = ("folded", "xkey", "lemma", "pair", "tag", "place", "actor")


@dataclass(slots=True)
class ScannedEvent:
    """One event's index fields, as plain Python values."""

    uuid: str
    # The term at each position, or the set of terms sharing it (a name and its keys);
    # plain strings keep 100,000 events in memory ("" is a gap between parts).
    body: list[str | frozenset[str]]
    terms: frozenset[str]  # every body term, for a quick "not here"
    keywords: dict[str, set[str]]
    ids: dict[str, str]  # status, lang, uuid
    date_from: int
    date_to: int


def scan(engine: Engine, chunk: int = 2000) -> Iterator[ScannedEvent]:
    """Every current event, analysed by the indexer's own code."""
    family_terms = families.current_terms()  # once, as a rebuild takes them
    with engine.connect() as conn:
        first, last, _count = id_bounds(conn)
        for start in range(first, last + 1, chunk):
            for doc in load_range(conn, start, start + chunk - 1):
                yield _scanned(build_fields(doc, family_terms))


def _scanned(fields: dict[str, object]) -> ScannedEvent:
    body: list[str | frozenset[str]] = [
        frozenset(slot.split(analysis.ALTERNATIVES)) if analysis.ALTERNATIVES in slot else slot
        for slot in str(fields["body"])[1:].split(" ")
    ]
    # A gap ("") holds a place, not a term: the index has no term "" to find.
    terms = {t for slot in body for t in ((slot,) if isinstance(slot, str) else slot)} - {""}
    return ScannedEvent(
        uuid=str(fields["uuid"]),
        body=body,
        terms=frozenset(terms),
        keywords={
            name: set(str(fields[name]).lstrip(analysis.PRE_MARK).split()) for name in _KEYWORDS
        },
        ids={name: str(fields[name]) for name in ("status", "lang", "uuid")},
        date_from=int(str(fields["date_from"])),
        date_to=int(str(fields["date_to"])),
    )


def _positions(q: wq.Query) -> list[set[str]]:
    if isinstance(q, wq.Phrase):
        return [{w} for w in q.words]
    if isinstance(q, (CheckedPhrase, PairPhrase)):  # word pairs: a shortcut, not the meaning
        return [set(alts) for alts in q.positions]
    out = []
    for sub in q.subqueries:
        terms = sub.subqueries if isinstance(sub, wq.Or) else [sub]
        out.append({t.text for t in terms})
    return out


def _holds(slot: str | frozenset[str], terms: set[str]) -> bool:
    if isinstance(slot, str):
        return bool(slot) and slot in terms
    return bool(slot & terms)


def _in_sequence(e: ScannedEvent, positions: list[set[str]]) -> bool:
    """The positions in a row; an empty one (a phrase word the stemmer empties) is any
    slot of the analysed text."""
    if not all(p & e.terms for p in positions if p):
        return False
    body, width = e.body, len(positions)
    return any(
        all(not positions[i] or _holds(body[start + i], positions[i]) for i in range(width))
        for start in range(len(body) - width + 1)
    )


def _range(value: int, q: wq.NumericRange) -> bool:
    return (q.start is None or value >= q.start) and (q.end is None or value <= q.end)


def matches(q: wq.Query, e: ScannedEvent) -> bool:
    if q is wq.NullQuery:
        return False
    if isinstance(q, wq.Every):
        return True
    if isinstance(q, wq.And):
        return all(matches(s, e) for s in q.subqueries)
    if isinstance(q, wq.Or):
        return any(matches(s, e) for s in q.subqueries)
    if isinstance(q, wq.Not):
        return not matches(q.query, e)
    if isinstance(q, (wq.Phrase, wq.Sequence, CheckedPhrase, PairPhrase)):
        return _in_sequence(e, _positions(q))
    if isinstance(q, wq.Prefix):
        return any(word.startswith(q.text) for word in e.keywords[q.fieldname])
    if isinstance(q, wq.NumericRange):
        return _range(e.date_from if q.fieldname == "date_from" else e.date_to, q)
    if isinstance(q, wq.Term):
        if q.fieldname == "body":
            return q.text in e.terms
        if q.fieldname in e.ids:
            return bool(e.ids[q.fieldname] == q.text)
        return q.text in e.keywords[q.fieldname]
    raise TypeError(f"the oracle does not know {type(q).__name__}")


def complete_answer(
    engine: Engine,
    text: str,
    *,
    filters: EventFilter | None = None,
    cross_script: bool = True,
    word_families: bool = True,
    events: list[ScannedEvent] | None = None,
) -> set[str]:
    """The uuids of every event matching ``text``: what an exact search must return."""
    resolver = DbResolver(engine)
    table = families.load() if word_families else None
    compiled = compile_query(parse(text), resolver, cross_script=cross_script, families=table)
    listing = listing_filter(filters, resolver)
    return {
        e.uuid
        for e in (events if events is not None else scan(engine))
        if matches(compiled.query, e) and (listing is None or matches(listing, e))
    }
