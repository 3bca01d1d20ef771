"""Running a query: parse, resolve, widen, search, snippets, and "did you mean"."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from whoosh import query as wq
from whoosh.searching import Searcher

from belarchive.i18n import _
from belarchive.search import analysis, capped, families, ranking
from belarchive.search.compile import Compiled, compile_query
from belarchive.search.prefix import expand_all
from belarchive.search.query import Node, parse
from belarchive.search.resolver import DbResolver, listing_filter
from belarchive.search.results import Highlighter, SearchHit, SearchResults, Snippet
from belarchive.search.simplify import simplify
from belarchive.search.suggestions import suggest

if TYPE_CHECKING:
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
    family_terms: bool = False,
) -> SearchResults:
    """Parse and run ``text`` (SearchQueryError if malformed) against ``searcher``.

    ``word_families`` widens plain words with their lemmas, word families and concept tags;
    ``complete`` False allows a quick partial answer to a costly phrase or prefix (the
    GUI's first page, completed in the background); ``version`` (the audit head the index
    is at) lets vocabulary look-ups be cached; ``family_terms``, that the index holds the
    family table's terms (compile_query).
    """
    started = time.perf_counter()
    resolver = DbResolver(engine, version)
    table, problem = _family_table(word_families)
    node = parse(text)
    compiled = compile_query(node, resolver, cross_script=cross_script, families=table,
                             family_terms=family_terms)  # fmt: skip
    if problem:
        compiled.notes.append(problem)
    reader = searcher.reader()
    compiled.query = simplify(compiled.query, reader)
    cut_prefixes = expand_all(compiled.query, reader, complete=complete)
    compiled.notes.extend(cut_prefixes)
    filter_q = listing_filter(filters, resolver)
    fraction = None if complete or limit is None else _scan_fraction(searcher, compiled, limit)
    if fraction is not None:
        collected = capped.search(searcher, compiled.query, max(1, limit or 1),
                                  filter_q=filter_q, fraction=fraction)  # fmt: skip
        ranked = [(h.docnum, float(h.score or 0.0)) for h in collected.results]
        total, exact = collected.total, collected.exact
        if not exact:
            compiled.notes.append(
                _(
                    "Searched so far: the first {share} of the catalogue; the total is an "
                    "estimate until the search completes."
                ).format(share=f"{fraction:.0%}")
            )
    else:
        if complete:  # a quick answer judged cheap by _scan_fraction is not checked again
            ranking.check_cost(searcher, compiled.query, filter_q)
        found = _complete(searcher, node, resolver, compiled, limit, filter_q, cross_script)
        ranked, total, exact = found.ranked, found.total, True
    hits = _hits(searcher, compiled, ranked, limit)
    suggestion = suggest(searcher, text, compiled, cross_script) if compiled.words else None
    elapsed = (time.perf_counter() - started) * 1000
    return SearchResults(
        text,
        tuple(hits),
        total,
        exact and not cut_prefixes,  # a cut prefix found only some of its words
        suggestion,
        tuple(compiled.notes),
        elapsed,
        cross_script,
        expansions=tuple(compiled.expansions),
        word_families=word_families,
    )


def _complete(
    searcher: Searcher,
    node: Node | None,
    resolver: DbResolver,
    compiled: Compiled,
    limit: int | None,
    filter_q: wq.Query | None,
    cross_script: bool,
) -> ranking.Answer:
    """Every match, ranked: the words as typed first when the query was widened."""
    if not compiled.expansions:
        return ranking.answer(searcher, compiled.query, limit, filter_q)
    core = compile_query(node, resolver, cross_script=cross_script, families=None).query
    core = simplify(core, searcher.reader())
    expand_all(core, searcher.reader())
    return ranking.widened_answer(searcher, compiled.query, core, limit, filter_q)


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
    searcher: Searcher, compiled: Compiled, ranked: ranking.Ranked, limit: int | None
) -> list[SearchHit]:
    marker = Highlighter(compiled)
    highlight = bool(compiled.stems or compiled.prefixes or compiled.keys or compiled.lemmas)
    # Made only for answers beyond SNIPPET_HITS: on an index of 8 segments building it
    # cost ~13 ms a query, which most queries (50 hits) never use.
    uuids = None
    hits = []
    for rank, (docnum, score) in enumerate(ranked[:limit]):
        if rank >= SNIPPET_HITS:  # callers asking for thousands want ids, not text
            if uuids is None:
                uuids = searcher.reader().column_reader("uuid")
            hits.append(SearchHit(uuids[docnum], score, NO_TEXT, NO_TEXT, ""))
            continue
        stored = searcher.stored_fields(docnum)
        language, body = _split_language(stored.get("stored_text", ""))
        hits.append(
            SearchHit(
                uuid=stored["uuid"],
                score=score,
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
