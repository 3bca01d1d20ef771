"""Prefix queries over the folded words, expanded once and matched from a preloaded list.

Whoosh's Prefix ORs one matcher per expansion into a binary tree of union matchers: a
three-letter prefix has dozens to hundreds of expansions (most of them rare words of the
Zipf tail), so each matching event climbs a tree ten levels deep (up to 700 ms for
`βουλ*` at 100,000 events). Here the expansions' postings are read into one sorted list
per segment with, as weight, how many of them each event contains (the score Whoosh's
constant-score prefix gave), and the collector walks that list (~20 ms for 20,000 events).

For a quick (not complete) answer, a prefix of fewer than FULL_PREFIX letters expands to
its MAX_SHORT_EXPANSIONS most frequent words only, and the results say so in their notes;
a complete answer expands it to every word.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from whoosh import query as wq
from whoosh.matching import ListMatcher, NullMatcher
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from belarchive.i18n import _
from belarchive.search import postings

FULL_PREFIX = 3
MAX_SHORT_EXPANSIONS = 50


class _Counts(ListMatcher):  # type: ignore[misc]
    """ListMatcher remembering its largest weight: Whoosh's recomputes it over the whole
    list each time the collector asks (every ten hits: 0.5 s for `минск*`)."""

    _top: float | None = None

    def block_max_weight(self) -> float:
        if self._top is None:
            self._top = max(self._weights)
        return self._top


class ExpandedPrefix(wq.Prefix):  # type: ignore[misc]
    """A prefix whose expansions are fixed once per search by ``expand`` (top-level reader,
    so that every segment uses the same words)."""

    def __init__(self, fieldname: str, text: str, boost: float = 1.0) -> None:
        super().__init__(fieldname, text, boost=boost)
        self.expansions: list[bytes] | None = None

    def expand(self, reader: IndexReader, complete: bool = True) -> str | None:
        """Fix the expansions; returns a note if a short prefix was cut down."""
        words: list[bytes] = list(reader.expand_prefix(self.fieldname, self.text))
        note = None
        if not complete and len(self.text) < FULL_PREFIX and len(words) > MAX_SHORT_EXPANSIONS:
            words.sort(key=lambda w: -reader.doc_frequency(self.fieldname, w))
            note = _(
                "'{prefix}*' stands for its {n} most common words of {total} so far; the "
                "search completes with all of them."
            ).format(prefix=self.text, n=MAX_SHORT_EXPANSIONS, total=len(words))
            words = sorted(words[:MAX_SHORT_EXPANSIONS])
        self.expansions = words
        return note

    def _btexts(self, ixreader: IndexReader) -> Any:
        if self.expansions is None:
            return super()._btexts(ixreader)
        return iter(self.expansions)

    def matcher(self, searcher: Searcher, context: Any = None) -> Any:
        reader = searcher.reader()
        counts: Counter[int] = Counter()
        for word in self._btexts(reader):
            counts.update(postings.live_ids(reader, self.fieldname, word))
        if not counts:
            return NullMatcher()
        ids = sorted(counts)
        return _Counts(ids, weights=[counts[i] * self.boost for i in ids])


def expand_all(q: wq.Query, reader: IndexReader, *, complete: bool = True) -> list[str]:
    """Fix the expansions of every ExpandedPrefix in ``q``; returns their notes."""
    notes: list[str] = []
    if isinstance(q, ExpandedPrefix):
        note = q.expand(reader, complete)
        if note:
            notes.append(note)
    for sub in q.children():
        notes += expand_all(sub, reader, complete=complete)
    return notes
