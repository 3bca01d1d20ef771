"""Tag, place and concept names resolved through the catalogue's vocabulary, and the
listing's filters as a Whoosh filter query."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import Engine
from whoosh import query as wq

from belarchive.errors import ValidationError
from belarchive.gazetteer_data import gazetteer_files, read_places
from belarchive.search import analysis
from belarchive.search.compile import date_query
from belarchive.search.transliteration import name_keys

if TYPE_CHECKING:
    from belarchive.storage.queries import EventFilter


@lru_cache(maxsize=4)
def _gazetteer(paths: tuple[str, ...], _mtimes: tuple[float, ...]) -> dict[str, list[str]]:
    """Name variants per place key from the bundled gazetteer (re-read when it changes)."""
    out: dict[str, list[str]] = {}
    for path in paths:
        for p in read_places(Path(path)):
            out.setdefault(p["key"], [n for ns in p["names"].values() for n in ns])
    return out


def gazetteer_variants() -> dict[str, list[str]]:
    paths = gazetteer_files()
    try:
        return _gazetteer(tuple(map(str, paths)), tuple(p.stat().st_mtime for p in paths))
    except (OSError, ValueError, KeyError, ValidationError):
        return {}


@dataclass(frozen=True, slots=True)
class _Tag:
    id: int
    key: str
    parent_id: int | None
    labels: tuple[str, ...]
    normalised: frozenset[str]  # the labels as a query's words are normalised


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    tags: tuple[_Tag, ...]
    variants: dict[str, set[str]]  # place key -> its names, the gazetteer's included


def _rows(engine: Engine) -> tuple[list[Any], list[Any]]:
    with engine.connect() as conn:
        tags = conn.exec_driver_sql("SELECT id, key, parent_id, labels_json FROM tag")
        places = conn.exec_driver_sql("SELECT key, names_json FROM place")
        return [tuple(r) for r in tags], [tuple(r) for r in places]


def _vocabulary(tag_rows: list[Any], place_rows: list[Any]) -> _Vocabulary:
    tags = []
    for tid, key, parent, labels_json in tag_rows:
        labels = tuple(json.loads(str(labels_json or "{}")).values())
        tags.append(_Tag(tid, str(key), parent, labels, frozenset(map(analysis.normalise, labels))))
    variants: dict[str, set[str]] = {
        str(k): {n for ns in json.loads(str(js or "{}")).values() for n in ns}
        for k, js in place_rows
    }
    for place_key, names in gazetteer_variants().items():
        if place_key in variants:  # only places this catalogue has; new names may come
            variants[place_key].update(names)
    return _Vocabulary(tuple(tags), variants)


class DbResolver:
    """Resolves tag and place names through the catalogue's vocabulary tables.

    The tables are read once per ``version`` (the audit head: every vocabulary change is
    audited), so a query with a tag or place filter costs no database round trip. Most new
    versions change events, not the vocabulary: the rows are then read again (~0.5 ms) but
    not parsed again. Parsing them (JSON names of every tag and place, merged with the
    gazetteer's) took ~3 ms of each first search after an edit.
    """

    _cache: ClassVar[dict[tuple[int, int], _Vocabulary]] = {}
    # The rows last parsed and what they gave (compared by content, so any catalogue's).
    _parsed: ClassVar[list[tuple[tuple[list[Any], list[Any]], _Vocabulary]]] = []

    def __init__(self, engine: Engine, version: int = -1) -> None:
        self.engine = engine
        self.version = version

    def _tables(self) -> _Vocabulary:
        key = (id(self.engine), self.version)
        cached = self._cache.get(key) if self.version >= 0 else None
        if cached is not None:
            return cached
        rows = _rows(self.engine)
        if self._parsed and self._parsed[0][0] == rows:
            fresh = self._parsed[0][1]
        else:
            fresh = _vocabulary(*rows)
            self._parsed[:] = [(rows, fresh)]
        if self.version >= 0:
            self._cache.clear()  # one catalogue version at a time is plenty
            self._cache[key] = fresh
        return fresh

    def tag_keys(self, value: str) -> list[str]:
        tags = self._tables().tags
        wanted = analysis.normalise(value.strip())
        roots = [t.id for t in tags if t.key == value.strip().lower() or wanted in t.normalised]
        children: dict[int | None, list[int]] = {}
        for tag in tags:
            children.setdefault(tag.parent_id, []).append(tag.id)
        keys_by_id = {t.id: t.key for t in tags}
        out, stack = [], list(roots)
        while stack:
            current = stack.pop()
            out.append(keys_by_id[current])
            stack.extend(children.get(current, []))
        return sorted(set(out))

    def place_keys(self, value: str, cross_script: bool) -> list[str]:
        variants = self._tables().variants
        wanted = analysis.normalise(value.strip())
        wanted_keys = name_keys(value) if cross_script else []
        found = set()
        for key, names in variants.items():
            if (
                value.strip().lower() == key
                or any(analysis.normalise(n) == wanted for n in names)
                or (wanted_keys and any(name_keys(n) == wanted_keys for n in names))
            ):
                found.add(key)
        return sorted(found)

    def concept_tag_keys(self, word: str) -> list[str]:
        stems = set(analysis.query_terms(word))
        named = [t.key for t in self._tables().tags
                 if any(_one_word_with(label, stems) for label in t.labels)]  # fmt: skip
        return sorted({k for key in named for k in self.tag_keys(key)})


def _one_word_with(label: str, stems: set[str]) -> bool:
    """Whether ``label`` is a single word with one of these stems (Σύλληψη, συλλήψεις)."""
    parts = analysis.words(label)
    return len(parts) == 1 and bool(stems & set(analysis.query_terms(parts[0])))


def listing_filter(f: EventFilter | None, resolver: DbResolver) -> wq.Query | None:
    """The caller's listing filters as a Whoosh filter query (None: no filtering)."""
    if f is None:
        return None
    parts: list[wq.Query] = []
    if f.date_from or f.date_to:
        parts.append(date_query(f.date_from, f.date_to))
    if f.periods:
        parts.append(wq.Or([date_query(first, last) for first, last in f.periods]))
    if f.tags:
        keys = sorted({k for tag in f.tags for k in resolver.tag_keys(tag)})
        parts.append(wq.Or([wq.Term("tag", k) for k in keys]) if keys else wq.NullQuery)
    for field, values in (("place", f.places), ("status", f.statuses), ("lang", f.languages)):
        if values:
            parts.append(wq.Or([wq.Term(field, v) for v in values]))
    if f.uuids is not None:
        parts.append(wq.Or([wq.Term("uuid", u) for u in f.uuids]) if f.uuids else wq.NullQuery)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.And(parts)
