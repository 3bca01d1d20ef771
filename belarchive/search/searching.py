"""Running a query: parse, resolve, widen, search, snippets, and "did you mean"."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from whoosh.searching import Searcher

from belarchive.i18n import _
from belarchive.search import analysis, capped, families
from belarchive.search.compile import Compiled, compile_query
from belarchive.search.prefix import expand_all
from belarchive.search.query import parse
from belarchive.search.resolver import DbResolver, listing_filter
from belarchive.search.results import Highlighter, SearchHit, SearchResults, Snippet
from belarchive.search.simplify import simplify
from belarchive.search.suggestions import suggest

if TYPE_CHECKING:
    from whoosh.searching import Results

    from belarchive.storage.queries import EventFilter

DEFAULT_LIMIT = 50
# Hits after this many carry their uuid and score only (no title, snippet or date).
SNIPPET_HITS = 200
NO_TEXT = Snippet("")
# A quick (not complete) answer to a phrase or prefix query that would walk more postings
# than this searches the leading part of the index that fits (capped.py): ~100 ms at
# 100,000 events. Complete answers, the default, search all of it.
SCAN_BUDGET = 6000


def run(
    searcher: Searcher,
    engine: Engine,
    text: str,
    *,
    limit: int | None = DEFAULT_LIMIT,
    filters: EventFilter | None = None,
    cross_script: bool = True,
    word_families: bool = True,
    complete: bool = True,
    version: int = -1,
) -> SearchResults:
    """Parse and run ``text`` (SearchQueryError if malformed) against ``searcher``.

    ``word_families`` widens plain words with their lemmas, word families and concept tags;
    ``complete`` False allows a quick partial answer to a costly phrase or prefix (the
    GUI's first page, completed in the background); ``version`` (the audit head the index
    is at) lets vocabulary look-ups be cached.
    """
    started = time.perf_counter()
    resolver = DbResolver(engine, version)
    table, problem = _family_table(word_families)
    compiled = compile_query(parse(text), resolver, cross_script=cross_script, families=table)
    if problem:
        compiled.notes.append(problem)
    reader = searcher.reader()
    compiled.query = simplify(compiled.query, reader)
    cut_prefixes = expand_all(compiled.query, reader, complete=complete)
    compiled.notes.extend(cut_prefixes)
    fraction = None if complete or limit is None else _scan_fraction(searcher, compiled, limit)
    collected = capped.search(
        searcher,
        compiled.query,
        None if limit is None else max(1, limit),
        filter_q=listing_filter(filters, resolver),
        fraction=fraction,
    )
    if fraction is not None and not collected.exact:
        compiled.notes.append(
            _(
                "Searched so far: the first {share} of the catalogue; the total is an "
                "estimate until the search completes."
            ).format(share=f"{fraction:.0%}")
        )
    hits = _hits(searcher, compiled, collected.results, limit)
    suggestion = suggest(searcher, text, compiled, cross_script) if compiled.words else None
    elapsed = (time.perf_counter() - started) * 1000
    return SearchResults(
        text,
        tuple(hits),
        collected.total,
        collected.exact and not cut_prefixes,  # a cut prefix found only some of its words
        suggestion,
        tuple(compiled.notes),
        elapsed,
        cross_script,
        expansions=tuple(compiled.expansions),
        word_families=word_families,
    )


def _family_table(wanted: bool) -> tuple[tuple[families.Family, ...] | None, str]:
    """The word family table, or None and why not: a broken table is reported with its
    line and the search runs on the words as typed, never on half a table."""
    if not wanted:
        return None, ""
    try:
        return families.load(), ""
    except families.FamilyTableError as exc:
        return None, exc.message


def _hits(
    searcher: Searcher, compiled: Compiled, results: Results, limit: int | None
) -> list[SearchHit]:
    marker = Highlighter(compiled)
    highlight = bool(compiled.stems or compiled.prefixes or compiled.keys or compiled.lemmas)
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
    return hits


def snippets_for(
    searcher: Searcher,
    engine: Engine,
    text: str,
    uuids: list[str],
    *,
    cross_script: bool = True,
    word_families: bool = True,
) -> dict[str, Snippet]:
    """The highlighted snippet of each of ``uuids`` for the query ``text`` (a list shows
    snippets row by row as they scroll into view, not for every match at once)."""
    table, _problem = _family_table(word_families)
    compiled = compile_query(
        parse(text), DbResolver(engine), cross_script=cross_script, families=table
    )
    marker = Highlighter(compiled)
    out: dict[str, Snippet] = {}
    for uuid in uuids:
        docnum = searcher.document_number(uuid=uuid)
        if docnum is None:
            continue
        stored = searcher.stored_fields(docnum)
        language, body = _split_language(stored.get("stored_text", ""))
        out[uuid] = marker.snippet(body, language)
    return out


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
        code, _space, rest = stored[1:].partition(" ")
        return code, rest
    return "und", stored
