"""From the query syntax tree to a Whoosh query, with the catalogue's vocabulary resolved.

Tag and place filters are resolved to vocabulary keys here, at query time (a tag includes
its descendants; a place matches by key, by any name variant, and with cross-script on, by
the script-neutral key of a variant), so editing the vocabulary never needs a re-index.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from whoosh import query as wq

from belarchive.errors import SearchQueryError
from belarchive.i18n import _
from belarchive.search import analysis, lemmas, pairs, stemming
from belarchive.search.families import Family, families_of
from belarchive.search.phrases import CheckedPhrase, PairPhrase
from belarchive.search.prefix import ExpandedPrefix
from belarchive.search.query import And, FieldFilter, Node, Not, Or, Phrase, Word
from belarchive.search.transliteration import name_key

# A cross-script (name key) match counts less than a match in the query's own spelling,
# a lemma's other forms less than that, the rest of a word family and the events tagged
# with the concept less still: the event that says what was typed ranks first.
CROSS_SCRIPT_BOOST = 0.6
LEMMA_BOOST = 0.8
FAMILY_BOOST = 0.5
CONCEPT_BOOST = 0.3
MIN_PREFIX_KEY = 3


class Resolver(Protocol):
    def tag_keys(self, value: str) -> list[str]:
        """Keys of the tag named ``value`` (key or label) and of every tag below it."""
        ...

    def place_keys(self, value: str, cross_script: bool) -> list[str]:
        """Keys of the places ``value`` names (a key or any name variant)."""
        ...

    def concept_tag_keys(self, word: str) -> list[str]:
        """Keys of the tags (and of every tag below them) one of whose labels is ``word``
        in any of its forms (σύλληψη, συλλήψεις -> detention)."""
        ...


@dataclass(frozen=True, slots=True)
class Expansion:
    """What a query word was widened to, for the results to say so."""

    word: str
    kind: str  # "lemma", "family" or "concept"
    shown: str  # the forms, family words or tag keys, as listed to the user


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
    lemmas: set[str] = field(default_factory=set)
    key_prefixes: set[str] = field(default_factory=set)  # names' keys a prefix expands over
    expansions: list[Expansion] = field(default_factory=list)


class _Compiler:
    def __init__(
        self,
        resolver: Resolver,
        cross_script: bool,
        families: tuple[Family, ...] | None,
        family_terms: bool,
    ) -> None:
        self.resolver = resolver
        self.cross_script = cross_script
        self.families = families  # None: words are taken as typed (stems only)
        self.family_terms = family_terms
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
            tail: wq.Query = ExpandedPrefix("folded", folded)
            key = self._name_prefix_key(parts[-1])
            if key:
                tail = wq.Or([tail, ExpandedPrefix("xkey", key, boost=CROSS_SCRIPT_BOOST)])
                if not negated:
                    self.out.key_prefixes.add(key)
            return _and([q for q in head if q is not None] + [tail])
        if len(parts) > 1:  # anti-war, Lukashenko's: Whoosh-style, the parts as a phrase
            return self.phrase(tuple(parts), negated)
        return self.plain(parts[0], negated)

    def _name_prefix_key(self, text: str) -> str:
        """The script-neutral key a capitalised prefix (a name: Тихан*) also expands over,
        or "": only where sensible, three consonants at least and none of the unstable
        vowel marks a cut-off name leaves (Μιν -> mVn), so Тихан* finds Τσιχανόφσκαγια."""
        if not (self.cross_script and text[:1].isupper()):
            return ""
        key = name_key(text)
        return key if len(key) >= MIN_PREFIX_KEY and "V" not in key else ""

    def plain(self, text: str, negated: bool) -> wq.Query:
        terms = analysis.query_terms(text)
        subs: list[wq.Query] = [wq.Term("body", t) for t in terms]
        keys = analysis.query_cross_keys(text) if self.cross_script else set()
        subs += [wq.Term("xkey", k, boost=CROSS_SCRIPT_BOOST) for k in sorted(keys)]
        stems, forms = set(terms), set[str]()
        if self.families is not None:
            stems, forms = self._widen(text, stems, subs, negated)
        if not negated:
            self.out.stems.update(stems)
            self.out.lemmas.update(forms)
            self.out.keys.update(keys)
            self.out.words.append(text)
        return subs[0] if len(subs) == 1 else wq.Or(subs)

    def _widen(
        self, text: str, stems: set[str], subs: list[wq.Query], negated: bool
    ) -> tuple[set[str], set[str]]:
        """Add the word's lemma, its family and its concept's tags to ``subs``; returns
        the stems and lemma terms now searched (for highlighting)."""
        assert self.families is not None
        typed, forms = set(stems), set[str]()  # stems: the word's own terms, as given
        for rule in analysis.query_rules(text):
            form = lemmas.dictionary_form(text, rule)
            if form:
                forms.add(form)
                stems |= {stemming.stem(form, rule)} - {""}
        subs += [wq.Term("body", t, boost=LEMMA_BOOST) for t in sorted(stems - typed)]
        subs += [wq.Term("lemma", f, boost=LEMMA_BOOST) for f in sorted(forms)]
        record = not negated
        if record and forms - {analysis.normalise(text)}:
            self.out.expansions.append(Expansion(text, "lemma", ", ".join(sorted(forms))))
        script = analysis.script_of(text)
        tags: set[str] = set(self.resolver.concept_tag_keys(text))
        for family in families_of(text, self.families):
            extra_stems = family.stems.get(script, frozenset()) - stems
            extra_forms = family.lemma_terms.get(script, frozenset()) - forms
            if self.family_terms:  # one term for all the family's forms (families.py)
                subs.append(wq.Term("family", family.index_term(script), boost=FAMILY_BOOST))
            else:
                subs += [wq.Term("body", t, boost=FAMILY_BOOST) for t in sorted(extra_stems)]
                subs += [wq.Term("lemma", f, boost=FAMILY_BOOST) for f in sorted(extra_forms)]
            stems |= extra_stems
            forms |= extra_forms
            for tag in family.tags:
                tags.update(self.resolver.tag_keys(tag))
            if record:
                self.out.expansions.append(Expansion(text, "family", family.shown(script)))
        subs += [wq.Term("tag", k, boost=CONCEPT_BOOST) for k in sorted(tags)]
        if record and tags:
            self.out.expansions.append(Expansion(text, "concept", ", ".join(sorted(tags))))
        return stems, forms

    def phrase(self, raw_words: Sequence[str], negated: bool) -> wq.Query | None:
        """Words in this order: each position matches one of the word's stems or, with
        cross-script names on, a name's script-neutral key (the index holds both at the
        name's position). searching.simplify turns positions with a single term present
        in the index back into a plain (faster) Phrase."""
        typed = [w for raw in raw_words for w in analysis.words(raw)]
        if not typed:
            return None
        # A word the stemmer empties (όταν) is a gap in the index, not a term: inside a
        # phrase it stands for any one word, at either end it is left out. A phrase of such
        # words alone is answered as one of them is (nothing matches).
        words = list(typed)
        while words and not analysis.query_terms(words[0]):
            words.pop(0)
        while words and not analysis.query_terms(words[-1]):
            words.pop()
        if not words:
            return self.plain(typed[0], negated)
        if len(words) == 1:
            return self.plain(words[0], negated)
        positions: list[wq.Query] = []
        texts: list[list[str]] = []
        common = pairs.common_terms()
        for word in words:
            if not analysis.query_terms(word):
                texts.append([])  # the gap: any word (CheckedPhrase)
                continue
            alts = [wq.Term("body", t) for t in analysis.query_terms(word)]
            # A common word (в, the, στο) is not a name in a phrase: no script-neutral keys,
            # so that its pairs with its neighbours can restrict the phrase (pairs.py).
            if self.cross_script and not common & set(analysis.query_terms(word)):
                keys = sorted(analysis.query_cross_keys(word))
                alts += [wq.Term("body", "~" + k, boost=CROSS_SCRIPT_BOOST) for k in keys]
                if not negated:
                    self.out.keys.update(keys)
            if not negated:
                self.out.stems.update(analysis.query_terms(word))
            positions.append(_or(alts))
            texts.append([t.text for t in alts])
        if not negated:
            self.out.phrases.append(" ".join(words))
        needed = [pairs.required(a, b, common) for a, b in itertools.pairwise(texts) if a and b]
        required = [terms for terms in needed if terms]
        if len(texts) == 2 and required:  # two words with a common one: the pairs answer
            return PairPhrase(required[0], texts)
        if required or not all(texts):  # checked where its pairs (or all its words) are
            return CheckedPhrase("body", texts, required)
        return wq.Sequence(positions)

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
            self.out.notes.append(
                _("No tag is called '{value}'.").format(value=node.value)
                if node.field == "tag"
                else _("No place is called '{value}'.").format(value=node.value)
            )
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


def compile_query(
    node: Node | None,
    resolver: Resolver,
    *,
    cross_script: bool = True,
    families: tuple[Family, ...] | None = None,
    family_terms: bool = False,
) -> Compiled:
    """``families``: the word family table to widen plain words with (lemmas, families,
    concept tags); None searches the words as typed (their inflections only).
    ``family_terms``: the index holds this table's family terms (families.FamilyTerms), so
    a family is one term instead of all its forms; the answer is the same."""
    compiler = _Compiler(resolver, cross_script, families, family_terms)
    whoosh_query = compiler.node(node) if node is not None else None
    if whoosh_query is None and node is not None:
        raise SearchQueryError(_("The query has no letters or digits to search for."))
    if whoosh_query is None:
        whoosh_query = wq.Every()
    elif isinstance(whoosh_query, wq.Not):
        whoosh_query = wq.And([wq.Every(), whoosh_query])
    compiler.out.query = whoosh_query
    return compiler.out
