"""Full-text search: per-language analysis, the Whoosh index, the query language.

Entry points: ``belarchive.search.api`` (search, check_index, rebuild_index, open_index)
and ``attach`` below, which keeps an open catalogue's index in step with its writes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from belarchive.search import whoosh_patches

if TYPE_CHECKING:
    from belarchive.search.store import IndexHealth
    from belarchive.services.catalogue import Catalogue

whoosh_patches.apply()


def attach(catalogue: Catalogue) -> IndexHealth:
    """Open the index (rebuilding or catching up as needed) and re-index after every write.

    Imported lazily: the services layer imports this package, not the other way round.
    """
    from belarchive.services.search_sync import attach as attach_index

    return attach_index(catalogue)
