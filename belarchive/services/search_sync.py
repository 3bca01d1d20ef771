"""Keeps a catalogue's search index in step with its database.

``attach`` opens the index (rebuilding or catching up as needed) and registers the index as
a change listener: after every committed transaction the catalogue calls it with the
``Change`` value, and the events it names are re-indexed before the write returns.
"""

from __future__ import annotations

from belarchive.search import api
from belarchive.search.indexer import CancelFlag, Progress, never_cancel, no_progress
from belarchive.search.store import IndexHealth
from belarchive.services.catalogue import Catalogue


def attach(
    cat: Catalogue, progress: Progress = no_progress, cancel: CancelFlag = never_cancel
) -> IndexHealth:
    """Open the index of ``cat`` and keep it updated after every write from now on."""
    index = api.index_for(cat)
    health = index.ensure_ready(progress, cancel)
    cat.remove_listener(index.apply_change)
    cat.add_listener(index.apply_change)
    return health


def detach(cat: Catalogue) -> None:
    index = api.index_for(cat)
    cat.remove_listener(index.apply_change)
    api.close_index(cat)
