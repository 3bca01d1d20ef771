"""Index documents: loaded from the database as column tuples, analysed once, in Python.

Each word of an event is analysed once (a few dict look-ups once the cache is warm) and
every index field is derived from that single pass; Whoosh then only splits the
pre-analysed term strings. Reads use plain SQL over id ranges, never ORM objects: a
rebuild of 100,000 events must not spend its time building Python objects.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection

from belarchive.search import analysis, families, lemmas, pairs, stemming
from belarchive.search.schema import NO_DATE
from belarchive.storage import dialect

# Per Cyrillic language class ("ru", "be", "und"):
# word -> [stem, folded, name keys or None, lemma ("" if none or the word itself)].
# The vocabulary is Zipfian, so after the first few hundred events nearly every word is a hit.
_word_cache: dict[str, dict[str, list[Any]]] = {"ru": {}, "be": {}, "und": {}}
_CACHE_LIMIT = 300_000


@dataclass(slots=True)
class EventDoc:
    """What the index holds about one event, straight from the database."""

    id: int
    uuid: str
    title: str
    description: str
    language: str
    date_edtf: str | None
    earliest: date | None
    latest: date | None
    status: str
    tags: list[str] = field(default_factory=list)
    places: list[tuple[str, dict[str, list[str]]]] = field(default_factory=list)
    actors: list[tuple[str, list[str]]] = field(default_factory=list)
    citations: list[tuple[str, str]] = field(default_factory=list)  # (source title, quote)
    annotations: list[tuple[str, str]] = field(default_factory=list)  # (text, passage)


def _cyrillic_class(language: str | None) -> str:
    return language if language in ("be", "ru") else "und"


def analyse_word(word: str, language: str) -> list[Any]:
    """[stem, folded, keys, lemma] of ``word`` in a text of Cyrillic class ``language``;
    the keys slot stays None until ``word_keys`` first needs it."""
    cache = _word_cache[language]
    info = cache.get(word)
    if info is None:
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        folded = analysis.normalise(word)
        rule = analysis.index_rule(word, None if language == "und" else language)
        info = cache[word] = [stemming.stem(folded, rule), folded, None, lemmas.lemma(word, rule)]
    return info


def word_keys(info: list[Any], word: str, language: str) -> set[str]:
    """The script-neutral keys of a word, computed once and kept in its cache entry."""
    if info[2] is None:
        info[2] = analysis.cross_keys(word, None if language == "und" else language)
    keys: set[str] = info[2]
    return keys


def _positional(stem: str, keys: set[str]) -> str:
    """A body position holding the stem and a name's script-neutral keys ("~" + key), so
    that a quoted name matches in any script (see analysis.ALTERNATIVES)."""
    return analysis.ALTERNATIVES.join([stem, *("~" + k for k in sorted(keys))])


@dataclass(slots=True)
class _Fields:
    body: list[str] = field(default_factory=list)
    folded: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)
    lemmas: set[str] = field(default_factory=set)
    # Neighbours with a common word (pairs.py), once per time they stand side by side: the
    # pair's weight in the index is how often the two-word phrase occurs.
    pairs: list[str] = field(default_factory=list)
    # The stems of the positions that also hold a name's keys (the body holds them joined).
    named: list[str] = field(default_factory=list)

    def add_text(self, text: str, language: str, *, names_only_keys: bool = True) -> None:
        """Analyse ``text`` into the fields; this loop is the hot path of a rebuild."""
        if not text:
            return
        body, folded, lemma_set, word_pairs = self.body, self.folded, self.lemmas, self.pairs
        cache = _word_cache[language]
        common = pairs.common_terms()
        before: tuple[str, ...] = ()
        for match in analysis.TOKEN_RE.finditer(text):
            word = match.group()
            info = cache.get(word) or analyse_word(word, language)
            folded.add(info[1])
            if info[3]:
                lemma_set.add(info[3])
            stem = info[0]
            if word[0].isupper() or not names_only_keys:
                here = self._name_position(text, match, info, language, names_only_keys)
            elif len(before) == 1 and stem:  # most words: the pair inlined (pairs.indexed)
                body.append(stem)
                if before[0] in common or stem in common:
                    word_pairs.append(before[0] + pairs.SEPARATOR + stem)
                before = (stem,)
                continue
            else:
                body.append(stem)
                here = (stem,)
            if before and stem:
                word_pairs.extend(pairs.indexed(before, here, common))
            before = here if stem else ()  # an emptied word is a gap (analysis.py)
        body.append("")  # a position gap: no phrase runs across two parts

    def _name_position(
        self, text: str, match: re.Match[str], info: list[Any], language: str,
        names_only_keys: bool,
    ) -> tuple[str, ...]:  # fmt: skip
        """Add a capitalised word (any word, for a name) to the body with the script-neutral
        keys it is given; returns its position's terms."""
        word, stem = match.group(), info[0]
        status = 2 if not names_only_keys else analysis.name_status(text, match.start())
        if status == 2:
            found = word_keys(info, word, language)
        elif status == 1:
            found = {k for k in word_keys(info, word, language) if analysis.initial_key_ok(k)}
        else:
            found = set()
        self.keys |= found
        if found:
            self.body.append(_positional(stem, found))
            self.named.append(stem)
        else:
            self.body.append(stem)
        return (stem, *("~" + k for k in sorted(found)))

    def add(self, other: _Fields) -> None:
        self.body.extend(other.body)
        self.folded |= other.folded
        self.keys |= other.keys
        self.lemmas |= other.lemmas
        self.pairs.extend(other.pairs)
        self.named.extend(other.named)


_place_cache: dict[str, _Fields] = {}


def _place_fields(key: str, names: dict[str, list[str]]) -> _Fields:
    """Every name variant of a place, analysed once per place (not once per event)."""
    cache_key = key + "\x00" + repr(names)
    cached = _place_cache.get(cache_key)
    if cached is None:
        cached = _place_cache[cache_key] = _Fields()
        for variants in names.values():
            for variant in variants:
                cached.add_text(variant, "und", names_only_keys=False)
    return cached


def build_fields(doc: EventDoc, family_terms: families.FamilyTerms | None = None) -> dict[str, Any]:
    """The Whoosh document of one event; ``family_terms``: the table's terms, taken once a
    batch (families.current_terms) so that a batch is written with one table."""
    lang = _cyrillic_class(doc.language)
    f = _Fields()
    f.add_text(doc.title, lang)
    f.add_text(doc.title, lang)  # twice: title matches rank higher (see schema.py)
    f.add_text(doc.description, lang)
    for text, passage in doc.annotations:
        f.add_text(text, lang)
        f.add_text(passage, lang)
    for source_title, quote in doc.citations:
        f.add_text(quote, lang)
        f.add_text(source_title, "und")
    actor_words: set[str] = set()
    for name, variants in doc.actors:
        for variant in (name, *variants):
            f.add_text(variant, "und", names_only_keys=False)
            for word in analysis.words(variant):
                actor_words.add(analysis.normalise(word))
                actor_words.update("~" + k for k in analysis.cross_keys(word, None))
    for key, names in doc.places:
        f.add(_place_fields(key, names))
    return {
        "uuid": doc.uuid,
        "body": analysis.pre_analysed(f.body),
        "folded": analysis.pre_analysed(sorted(f.folded)),
        "xkey": " ".join(sorted(f.keys)),
        "lemma": " ".join(sorted(f.lemmas)),
        "family": " ".join(
            (family_terms or families.current_terms()).of(set(f.body).union(f.named), f.lemmas)
        ),
        "pair": " ".join(sorted(f.pairs)),
        "tag": " ".join(doc.tags),
        "place": " ".join(key for key, _names in doc.places),
        "actor": " ".join(sorted(actor_words)),
        "status": doc.status,
        "lang": doc.language,
        "date_from": doc.earliest.toordinal() if doc.earliest else NO_DATE,
        "date_to": doc.latest.toordinal() if doc.latest else NO_DATE,
        "stored_title": doc.title,
        "stored_text": analysis.tag_language(doc.description, doc.language),
        "stored_date": doc.date_edtf or "",
    }


# -- loading ------------------------------------------------------------------------------------
# The event table kept off its indexes: on "deleted = false AND id IN (...)" SQLite chose
# the (deleted, title) index and walked every current event to find one (8-17 ms at 100k,
# a third of an edit's way to being searchable); by id it is a look-up (0.05 ms).
_EVENTS_SQL = (
    "SELECT id, uuid, title, description, language, date_edtf, date_earliest, date_latest, "
    "status FROM {event} WHERE deleted = false AND {where} ORDER BY id"
)
_PARTS_SQL: dict[str, str] = {
    "tags": "SELECT et.event_id, t.key FROM eventtag et JOIN tag t ON t.id = et.tag_id "
    "WHERE {where}",
    "places": "SELECT ep.event_id, p.key, p.names_json FROM eventplace ep "
    "JOIN place p ON p.id = ep.place_id WHERE {where}",
    "actors": "SELECT ea.event_id, a.name, a.variants_json FROM eventactor ea "
    "JOIN actor a ON a.id = ea.actor_id WHERE {where}",
    "citations": "SELECT c.event_id, s.title, c.quote FROM citation c "
    "JOIN source s ON s.id = c.source_id WHERE {where}",
    "annotations": "SELECT a.event_id, a.text, a.passage FROM annotation a WHERE {where}",
}
_PART_EVENT_COLUMN = {
    "tags": "et",
    "places": "ep",
    "actors": "ea",
    "citations": "c",
    "annotations": "a",
}


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _load(
    conn: Connection, where_event: str, where_part: str, params: Sequence[Any]
) -> list[EventDoc]:
    docs: dict[int, EventDoc] = {}
    sql = _EVENTS_SQL.format(event=dialect.not_indexed(conn, "event"), where=where_event)
    for row in conn.exec_driver_sql(sql, tuple(params)):
        docs[row[0]] = EventDoc(
            row[0],
            row[1],
            row[2],
            row[3] or "",
            row[4] or "und",
            row[5],
            _day(row[6]),
            _day(row[7]),
            row[8],
        )
    if not docs:
        return []
    names_cache: dict[str, Any] = {}
    for part, sql in _PARTS_SQL.items():
        alias = _PART_EVENT_COLUMN[part]
        where = where_part.replace("{a}", alias)
        for row in conn.exec_driver_sql(sql.format(where=where), tuple(params)):
            doc = docs.get(row[0])
            if doc is not None:
                _attach(doc, part, row, names_cache)
    return list(docs.values())


def _attach(doc: EventDoc, part: str, row: Sequence[Any], cache: dict[str, Any]) -> None:
    if part == "tags":
        doc.tags.append(row[1])
    elif part == "places":
        names = cache.get(row[2])
        if names is None:
            names = cache[row[2]] = json.loads(row[2] or "{}")
        doc.places.append((row[1], names))
    elif part == "actors":
        doc.actors.append((row[1], json.loads(row[2] or "[]")))
    elif part == "citations":
        doc.citations.append((row[1] or "", row[2] or ""))
    else:
        doc.annotations.append((row[1] or "", row[2] or ""))


def load_range(conn: Connection, first_id: int, last_id: int) -> list[EventDoc]:
    """Current (not deleted) events with first_id <= id <= last_id, with all their parts."""
    return _load(conn, "id BETWEEN ? AND ?", "{a}.event_id BETWEEN ? AND ?", (first_id, last_id))


def load_uuids(conn: Connection, uuids: Iterable[str]) -> list[EventDoc]:
    """Current events among ``uuids`` (deleted or unknown ones are simply absent)."""
    wanted = json.dumps(sorted(set(uuids)))
    ids = [
        r[0]
        for r in conn.exec_driver_sql(
            "SELECT id FROM event WHERE uuid IN (SELECT value FROM json_each(?))", (wanted,)
        )
    ]
    if not ids:
        return []
    id_list = json.dumps(ids)
    return _load(
        conn,
        "id IN (SELECT value FROM json_each(?))",
        "{a}.event_id IN (SELECT value FROM json_each(?))",
        (id_list,),
    )


def id_bounds(conn: Connection) -> tuple[int, int, int]:
    """(smallest id, largest id, number) of the current events."""
    row = conn.exec_driver_sql(
        "SELECT coalesce(min(id), 0), coalesce(max(id), -1), count(*) FROM event "
        "WHERE deleted = false"
    ).one()
    return int(row[0]), int(row[1]), int(row[2])
