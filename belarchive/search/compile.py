"""From the query syntax tree to a Whoosh query, with the catalogue's vocabulary resolved.

Tag and place filters are resolved to vocabulary keys here, at query time (a tag includes
its descendants; a place matches by key, by any name variant, and with cross-script on, by
the script-neutral key of a variant), so editing the vocabulary never needs a re-index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from whoosh import query as wq

from belarchive.errors import SearchQueryError
from belarchive.i18n import _
from belarchive.search import analysis
from belarchive.search.prefix import ExpandedPrefix
from belarchive.search.query import And, FieldFilter, Node, Not, Or, Phrase, Word

# A cross-script (name key) match counts less than a match in the query's own spelling.
CROSS_SCRIPT_BOOST = 0.6


class Resolver(Protocol):
    def tag_keys(self, value: str) -> list[str]:
        """Keys of the tag named ``value`` (key or label) and of every tag below it."""
        ...

    def place_keys(self, value: str, cross_script: bool) -> list[str]:
        """Keys of the places ``value`` names (a key or any name variant)."""
        ...


@dataclass(slots=True)
class Compiled:
    """A Whoosh query plus what the snippets and "did you mean" need to know about it."""

    query: wq.Query
    stems: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)
    words: list[str] = field(default_factory=list)  # positive plain words, as typed
    notes: list[str] = field(default_factory=list)
    # Positive phrases: with prefixes, the queries whose cost is checked (searching.py).
    phrases: list[str] = field(default_factory=list)


class _Compiler:
    def __init__(self, resolver: Resolver, cross_script: bool) -> None:
        self.resolver = resolver
        self.cross_script = cross_script
        self.out = Compiled(wq.NullQuery)

    def node(self, node: Node, negated: bool = False) -> wq.Query | None:
        if isinstance(node, Word):
            return self.word(node, negated)
        if isinstance(node, Phrase):
            return self.phrase(node.words, negated)
        if isinstance(node, FieldFilter):
            return self.field(node)
        if isinstance(node, Not):
            inner = self.node(node.item, not negated)
            return wq.Not(inner) if inner is not None else None
        items = [q for q in (self.node(item, negated) for item in node.items) if q is not None]
        if not items:
            return None
        if isinstance(node, Or):
            return wq.Or(items)
        assert isinstance(node, And)
        return _and(items)

    def word(self, word: Word, negated: bool) -> wq.Query | None:
        parts = analysis.words(word.text)
        if not parts:
            return None
        if word.prefix:
            head = [self.plain(p, negated) for p in parts[:-1]]
            folded = analysis.normalise(parts[-1])
            if not negated:
                self.out.prefixes.add(folded)
            tail = ExpandedPrefix("folded", folded)
            return _and([q for q in head if q is not None] + [tail])
        if len(parts) > 1:  # anti-war, Lukashenko's: Whoosh-style, the parts as a phrase
            return self.phrase(tuple(parts), negated)
        return self.plain(parts[0], negated)

    def plain(self, text: str, negated: bool) -> wq.Query:
        terms = analysis.query_terms(text)
        subs: list[wq.Query] = [wq.Term("body", t) for t in terms]
        keys = analysis.query_cross_keys(text) if self.cross_script else set()
        subs += [wq.Term("xkey", k, boost=CROSS_SCRIPT_BOOST) for k in sorted(keys)]
        if not negated:
            self.out.stems.update(terms)
            self.out.keys.update(keys)
            self.out.words.append(text)
        return subs[0] if len(subs) == 1 else wq.Or(subs)

    def phrase(self, raw_words: Sequence[str], negated: bool) -> wq.Query | None:
        words = [w for raw in raw_words for w in analysis.words(raw)]
        if not words:
            return None
        if len(words) == 1:
            return self.plain(words[0], negated)
        alternatives = [analysis.query_terms(w) for w in words]
        if not negated:
            for alts in alternatives:
                self.out.stems.update(alts)
            self.out.phrases.append(" ".join(words))
        width = max(len(a) for a in alternatives)
        phrases = [
            wq.Phrase("body", [a[min(i, len(a) - 1)] for a in alternatives]) for i in range(width)
        ]
        return phrases[0] if len(phrases) == 1 else wq.Or(phrases)

    def field(self, node: FieldFilter) -> wq.Query:
        if node.field == "date":
            return date_query(node.start, node.end)
        if node.field in ("status", "lang"):
            return wq.Term(node.field, node.value)
        if node.field == "actor":
            return self.actor(node.value)
        keys = (
            self.resolver.tag_keys(node.value)
            if node.field == "tag"
            else self.resolver.place_keys(node.value, self.cross_script)
        )
        if not keys:
            self.out.notes.append(f"No {node.field} is called '{node.value}'.")
            return wq.NullQuery
        return _or([wq.Term(node.field, k) for k in keys])

    def actor(self, value: str) -> wq.Query:
        per_word: list[wq.Query] = []
        for word in analysis.words(value):
            subs: list[wq.Query] = [wq.Term("actor", analysis.normalise(word))]
            if self.cross_script:
                subs += [wq.Term("actor", "~" + k) for k in analysis.cross_keys(word, None)]
            per_word.append(_or(subs))
        return _and(per_word) if per_word else wq.NullQuery


def _and(items: list[wq.Query]) -> wq.Query:
    if all(isinstance(q, wq.Not) for q in items):
        items = [wq.Every(), *items]  # a purely negative query excludes from everything
    return items[0] if len(items) == 1 else wq.And(items)


def _or(items: list[wq.Query]) -> wq.Query:
    return items[0] if len(items) == 1 else wq.Or(items)


def date_query(start: date | None, end: date | None) -> wq.Query:
    """Events whose date range overlaps [start, end]; undated events never match."""
    parts: list[wq.Query] = [
        wq.NumericRange("date_from", 1, end.toordinal() if end else None),
    ]
    if start is not None:
        parts.append(wq.NumericRange("date_to", start.toordinal(), None))
    return _and(parts)


def compile_query(node: Node | None, resolver: Resolver, *, cross_script: bool = True) -> Compiled:
    compiler = _Compiler(resolver, cross_script)
    whoosh_query = compiler.node(node) if node is not None else None
    if whoosh_query is None and node is not None:
        raise SearchQueryError(_("The query has no letters or digits to search for."))
    if whoosh_query is None:
        whoosh_query = wq.Every()
    elif isinstance(whoosh_query, wq.Not):
        whoosh_query = wq.And([wq.Every(), whoosh_query])
    compiler.out.query = whoosh_query
    return compiler.out
