"""Running a query: parse, resolve, search, snippets, and "did you mean"."""

from __future__ import annotations

import json
import time
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import Engine
from whoosh import query as wq
from whoosh.searching import Searcher

from belarchive.errors import ValidationError
from belarchive.gazetteer_data import gazetteer_files, read_places
from belarchive.search import analysis, capped
from belarchive.search.compile import Compiled, compile_query, date_query
from belarchive.search.prefix import expand_all
from belarchive.search.query import parse
from belarchive.search.results import Highlighter, SearchHit, SearchResults, Snippet
from belarchive.search.transliteration import name_keys

if TYPE_CHECKING:
    from belarchive.storage.queries import EventFilter

DEFAULT_LIMIT = 50
# Hits after this many carry their uuid and score only (no title, snippet or date).
SNIPPET_HITS = 200
NO_TEXT = Snippet("")
SUGGEST_PREFIX = 1
# A phrase or prefix query that would walk more postings than this is searched in the
# leading part of the index that fits (see capped.py): ~100 ms at 100,000 events.
SCAN_BUDGET = 6000


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


class DbResolver:
    """Resolves tag and place names through the catalogue's vocabulary tables.

    The tables are read once per ``version`` (the audit head: every vocabulary change is
    audited), so a query with a tag or place filter costs no database round trip.
    """

    _cache: ClassVar[dict[tuple[int, int], tuple[list[Any], dict[str, set[str]]]]] = {}

    def __init__(self, engine: Engine, version: int = -1) -> None:
        self.engine = engine
        self.version = version

    def _tables(self) -> tuple[list[Any], dict[str, set[str]]]:
        key = (id(self.engine), self.version)
        cached = self._cache.get(key) if self.version >= 0 else None
        if cached is not None:
            return cached
        with self.engine.connect() as conn:
            tags: list[Any] = list(
                conn.exec_driver_sql("SELECT id, key, parent_id, labels_json FROM tag")
            )
            places = conn.exec_driver_sql("SELECT key, names_json FROM place").all()
        variants: dict[str, set[str]] = {
            str(k): {n for ns in json.loads(str(js or "{}")).values() for n in ns}
            for k, js in places
        }
        for place_key, names in gazetteer_variants().items():
            if place_key in variants:  # only places this catalogue has; new names may come
                variants[place_key].update(names)
        fresh = (tags, variants)
        if self.version >= 0:
            self._cache.clear()  # one catalogue version at a time is plenty
            self._cache[key] = fresh
        return fresh

    def tag_keys(self, value: str) -> list[str]:
        rows, _places = self._tables()
        wanted = analysis.normalise(value.strip())
        roots = [
            r[0]
            for r in rows
            if r[1] == value.strip().lower()
            or wanted in {analysis.normalise(label) for label in json.loads(r[3]).values()}
        ]
        children: dict[int | None, list[int]] = {}
        for tid, _key, parent, _labels in rows:
            children.setdefault(parent, []).append(tid)
        keys_by_id = {r[0]: r[1] for r in rows}
        out, stack = [], list(roots)
        while stack:
            current = stack.pop()
            out.append(keys_by_id[current])
            stack.extend(children.get(current, []))
        return sorted(set(out))

    def place_keys(self, value: str, cross_script: bool) -> list[str]:
        _tags, variants = self._tables()
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


def _distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment); words are short."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def _correction(searcher: Searcher, word: str) -> str | None:
    """The indexed word closest to ``word`` (then the most frequent), or None.

    Distances are measured on folded forms, so a missing accent is no misspelling; the
    suggestion is then shown as written in an event that contains it.
    """
    folded = analysis.normalise(word)
    maxdist = 1 if len(folded) <= 4 else 2
    reader = searcher.reader()
    candidates = list(reader.terms_within("folded", folded, maxdist, prefix=SUGGEST_PREFIX))
    if not candidates:
        return None
    best = min(candidates, key=lambda c: (_distance(folded, c), -reader.doc_frequency("folded", c)))
    if best == folded:
        return None
    shown = _as_written(searcher, best)
    return shown[:1].upper() + shown[1:] if word[:1].isupper() else shown


def _as_written(searcher: Searcher, folded: str) -> str:
    """``folded`` with its accents, as an event containing it spells it (lower case)."""
    for hit in searcher.search(wq.Term("folded", folded), limit=1, scored=False):
        stored = hit.fields()
        text = stored.get("stored_title", "") + " " + stored.get("stored_text", "")
        for written in analysis.words(text):
            if analysis.normalise(written) == folded:
                return analysis.spell_form(written)
    return folded


def _is_unknown(searcher: Searcher, word: str, cross_script: bool) -> bool:
    reader = searcher.reader()
    if any(reader.doc_frequency("body", t) for t in analysis.query_terms(word)):
        return False
    keys = analysis.query_cross_keys(word) if cross_script else set()
    return not any(reader.doc_frequency("xkey", k) for k in keys)


def suggest(searcher: Searcher, text: str, compiled: Compiled, cross_script: bool) -> str | None:
    """The query with each word the index does not know replaced by its closest spelling."""
    suggestion, changed = text, False
    for word in compiled.words:
        if not word[0].isalpha() or not _is_unknown(searcher, word, cross_script):
            continue
        fixed = _correction(searcher, word)
        if fixed:
            suggestion, changed = suggestion.replace(word, fixed, 1), True
    return suggestion if changed else None


def run(
    searcher: Searcher,
    engine: Engine,
    text: str,
    *,
    limit: int = DEFAULT_LIMIT,
    filters: EventFilter | None = None,
    cross_script: bool = True,
    version: int = -1,
) -> SearchResults:
    """Parse and run ``text`` (SearchQueryError if malformed) against ``searcher``;
    ``version`` (the audit head the index is at) lets vocabulary look-ups be cached."""
    started = time.perf_counter()
    resolver = DbResolver(engine, version)
    compiled = compile_query(parse(text), resolver, cross_script=cross_script)
    if compiled.prefixes:
        compiled.notes.extend(expand_all(compiled.query, searcher.reader()))
    fraction = _scan_fraction(searcher, compiled, limit)
    collected = capped.search(
        searcher,
        compiled.query,
        max(1, limit),
        filter_q=listing_filter(filters, resolver),
        fraction=fraction,
    )
    results = collected.results
    if fraction is not None and not collected.exact:
        compiled.notes.append(
            "This query matches so widely that only the first "
            f"{fraction:.0%} of the catalogue was searched: the results are the best found "
            "there, and the total is an estimate."
        )
    marker = Highlighter(compiled)
    highlight = bool(compiled.stems or compiled.prefixes or compiled.keys)
    uuids = searcher.reader().column_reader("uuid")
    hits = []
    for rank, hit in enumerate(results[:limit]):
        if rank >= SNIPPET_HITS:  # callers asking for thousands want ids, not text
            hits.append(SearchHit(uuids[hit.docnum], float(hit.score or 0.0), NO_TEXT, NO_TEXT, ""))
            continue
        stored = hit.fields()
        language, body = _split_language(stored.get("stored_text", ""))
        hits.append(
            SearchHit(
                uuid=stored["uuid"],
                score=float(hit.score or 0.0),
                title=marker.snippet(stored.get("stored_title", ""), language, whole=True),
                snippet=marker.snippet(body, language) if highlight else Snippet(body[:200]),
                date_edtf=stored.get("stored_date", ""),
            )
        )
    exact, total = collected.exact, collected.total
    suggestion = suggest(searcher, text, compiled, cross_script) if compiled.words else None
    elapsed = (time.perf_counter() - started) * 1000
    return SearchResults(
        text, tuple(hits), total, exact, suggestion, tuple(compiled.notes), elapsed, cross_script
    )


def _scan_fraction(searcher: Searcher, compiled: Compiled, limit: int) -> float | None:
    """The share of the index to search if a phrase or prefix query is too costly to answer
    whole (None: all of it). A caller asking for many hits (the GUI's 2,000, an export's
    "all") gets a proportionally larger budget, so the cut never hides what it asked for."""
    if not (compiled.phrases or compiled.prefixes):
        return None
    budget = max(SCAN_BUDGET, 20 * limit)
    cost = capped.work(compiled.query, searcher.reader())
    return budget / cost if cost > budget else None


def _split_language(stored: str) -> tuple[str, str]:
    if stored.startswith(analysis.LANG_MARK):
        code, _, rest = stored[1:].partition(" ")
        return code, rest
    return "und", stored
