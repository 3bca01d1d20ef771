"""What the CLI and the GUI call: search, check and rebuild one catalogue's index.

Each open catalogue gets one SearchIndex (kept here, keyed weakly by the Catalogue
object), so the CLI, the GUI and the change listener all share one writer and one searcher.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from belarchive.errors import CatalogueError, SearchQueryError
from belarchive.i18n import _, ngettext, number
from belarchive.search.families import index_digest
from belarchive.search.index import SearchIndex
from belarchive.search.indexer import CancelFlag, Progress, never_cancel, no_progress
from belarchive.search.results import SearchResults, Snippet
from belarchive.search.searching import DEFAULT_LIMIT, run, snippets_for
from belarchive.search.store import IndexHealth

if TYPE_CHECKING:
    from belarchive.services.catalogue import Catalogue
    from belarchive.storage.queries import EventFilter

_indexes: weakref.WeakKeyDictionary[Catalogue, SearchIndex] = weakref.WeakKeyDictionary()
_registry_lock = threading.Lock()


def index_for(catalogue: Catalogue) -> SearchIndex:
    """The one SearchIndex of this open catalogue (not yet opened or checked)."""
    with _registry_lock:
        found = _indexes.get(catalogue)
        if found is None:
            found = _indexes[catalogue] = SearchIndex(catalogue)
        return found


def existing_index(catalogue: Catalogue) -> SearchIndex | None:
    """This catalogue's SearchIndex if one was made for it (searched or attached), else None."""
    with _registry_lock:
        return _indexes.get(catalogue)


def open_index(
    catalogue: Catalogue, progress: Progress = no_progress, cancel: CancelFlag = never_cancel
) -> IndexHealth:
    """Make the index usable: rebuild if missing or damaged, catch up if behind."""
    return index_for(catalogue).ensure_ready(progress, cancel)


def search(
    catalogue: Catalogue,
    query: str,
    limit: int | None = DEFAULT_LIMIT,
    *,
    filters: EventFilter | None = None,
    cross_script: bool = True,
    word_families: bool = True,
    complete: bool = True,
) -> SearchResults:
    """Ranked events matching ``query`` (``limit`` None: all of them); raises
    SearchQueryError if the query is malformed.

    ``filters`` are the listing filters (date range, tags, places, statuses, languages,
    or a set of uuids); the query's own field filters combine with them (AND).
    ``word_families`` widens words to their lemmas, families and concept tags;
    ``cross_script`` matches names in other scripts; ``complete`` False allows a quick,
    partial answer to a costly phrase or prefix (see searching.run).
    """
    index = index_for(catalogue)
    index.ensure_ready()
    version = index.state.audit_seq if index.state else -1
    options = _Options(limit, filters, cross_script, word_families, complete, version)
    try:
        try:
            return _with_lag(index, _run(index, catalogue, query, options))
        except (SearchQueryError, CatalogueError):
            raise
        except Exception:
            if not index.refresh_if_stale():
                raise
            # A merge committed under this query's searcher: once more, on the new one.
            return _with_lag(index, _run(index, catalogue, query, options))
    except (SearchQueryError, CatalogueError):
        raise
    except Exception as exc:  # damage under an open index: Whoosh raises many kinds
        index.mark_suspect()
        raise CatalogueError(
            _(
                "The search index could not be read; it will be checked (and rebuilt if damaged) "
                "on the next search."
            ),
            detail=f"{type(exc).__name__}: {exc}",
        ) from exc


@dataclass(frozen=True, slots=True)
class _Options:
    limit: int | None
    filters: EventFilter | None
    cross_script: bool
    word_families: bool
    complete: bool
    version: int


def _with_lag(index: SearchIndex, results: SearchResults) -> SearchResults:
    """Say so when a large bulk edit's changes are not searchable yet (index.behind_events)."""
    behind = index.behind_events
    if not behind:
        return results
    note = ngettext(
        "{n} event changed by a bulk edit is still being indexed; until then a search finds "
        "it as it was.",
        "{n} events changed by a bulk edit are still being indexed; until then a search "
        "finds them as they were.",
        behind,
    ).format(n=number(behind))
    return replace(results, notes=(*results.notes, note), behind=behind)


def _run(index: SearchIndex, catalogue: Catalogue, query: str, o: _Options) -> SearchResults:
    with index.searcher() as searcher:
        return run(searcher, catalogue.reader, query, limit=o.limit, filters=o.filters,
                   cross_script=o.cross_script, word_families=o.word_families,
                   complete=o.complete, version=o.version,
                   family_terms=_family_terms_indexed(index))  # fmt: skip


def _family_terms_indexed(index: SearchIndex) -> bool:
    """Whether the index holds the family terms of the table a search widens with."""
    state = index.state
    return state is not None and bool(state.families) and state.families == index_digest()


def snippets(
    catalogue: Catalogue,
    query: str,
    uuids: list[str],
    *,
    cross_script: bool = True,
    word_families: bool = True,
) -> dict[str, Snippet]:
    """Highlighted snippets of these events for ``query`` (those no longer indexed are
    left out); SearchQueryError if the query is malformed."""
    index = index_for(catalogue)
    index.ensure_ready()
    with index.searcher() as searcher:
        return snippets_for(searcher, catalogue.reader, query, uuids,
                            cross_script=cross_script, word_families=word_families)  # fmt: skip


def check_index(catalogue: Catalogue) -> IndexHealth:
    """Diagnose the index without changing it."""
    return index_for(catalogue).check()


def rebuild_index(
    catalogue: Catalogue,
    progress: Progress = no_progress,
    cancel: CancelFlag = never_cancel,
    *,
    procs: int = 2,
) -> IndexHealth:
    """Rebuild the index from the database; ``progress(done, total)`` is called per chunk and
    ``cancel()`` polled between chunks (raising Cancelled leaves the old index in place)."""
    return index_for(catalogue).rebuild(progress, cancel, procs=procs)


def close_index(catalogue: Catalogue) -> None:
    with _registry_lock:
        found = _indexes.pop(catalogue, None)
    if found is not None:
        found.close()
