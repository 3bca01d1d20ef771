"""Keeping the edit path short: deletes through the open searcher, and tiered merges by
re-indexing.

Every committed edit adds a segment of one or a few events. Two things made edits slow:

- Whoosh's ``update_document`` opens a reader on every segment to find the old version;
  so does the fresh searcher after the commit. With dozens of segments after a burst of
  edits that doubled an edit's cost. The long-lived searcher already has them open and
  is current (every commit and merge refreshes it under the write lock), so deletes
  look the old versions up there (``find_versions``).
- Whoosh's merge reads every posting back through a matcher per term and segment (~40 us
  a posting: 0.4 s for 13 segments of 90 events), and MERGE_SMALL's merged segment grows,
  so each merge cost more than the last. Here segments are merged in tiers of FANOUT
  segments of similar size (1-7 events, 8-63, 64-511), and merging means analysing and
  writing their events afresh from the database (~3 ms an event): 8 events cost ~25 ms,
  64 ~150 ms (once per 64 edits), 512 ~1.2 s (once per 512). Reading the database also
  means an event changed or deleted meanwhile comes out as it is now.

Every tier, tier 0 (one-event segments) included, is merged when edits pause (index.py):
at a person's pace the merge runs between two edits and no edit waits for it. Folding
tier 0 into the commit of the edit that filled it made every eighth edit write nine events
instead of one: +30-90 ms on a 2-core laptop, above the p95 of edit-to-searchable. Only a
burst of edits with no pause (a script) leaves BACKLOG one-event segments; then the edit
that makes them BACKLOG folds FANOUT of them into its own commit, without a writer, table
of contents and searcher of its own for the merge.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection
from whoosh.index import FileIndex
from whoosh.reading import SegmentReader
from whoosh.searching import Searcher

from belarchive.search import documents, families

FANOUT = 8
# One-event segments a burst of edits may leave before an edit folds FANOUT of them into its
# own commit (each segment costs every later edit ~0.15 ms to open, and every search a
# look-up per term).
BACKLOG = 2 * FANOUT
# Segments with more events than this (a rebuild's, a bulk import's) are never merged here.
LARGEST_MERGED = FANOUT**3 - 1


def _tier(doc_count: int) -> int:
    tier = 0
    while doc_count >= FANOUT:
        doc_count //= FANOUT
        tier += 1
    return tier


def _tiers(segments: list[Any]) -> dict[int, list[Any]]:
    """The small segments by tier (those of a rebuild or a bulk import are left out)."""
    tiers: dict[int, list[Any]] = {}
    for seg in segments:
        if seg.doc_count_all() <= LARGEST_MERGED:
            tiers.setdefault(_tier(seg.doc_count_all()), []).append(seg)
    return tiers


def _full_tiers(segments: list[Any]) -> dict[int, list[Any]]:
    return {tier: segs[:FANOUT] for tier, segs in _tiers(segments).items() if len(segs) >= FANOUT}


def needs_merge(ix: FileIndex) -> int | None:
    """The lowest tier with FANOUT segments to merge, or None."""
    return min(_full_tiers(ix._segments()), default=None)


def folding(
    conn: Connection, max_tier: int, skip: frozenset[str] = frozenset(), backlog: int = FANOUT
) -> Any:
    """A Whoosh merge policy: the lowest full tier of small segments, if at most
    ``max_tier`` and holding at least ``backlog`` segments, is replaced by FANOUT of its
    segments' events re-indexed into the segment being written (events in ``skip`` are
    being written by the caller anyway)."""

    def policy(writer: Any, segments: list[Any]) -> list[Any]:
        by_tier = _tiers(segments)
        full = [tier for tier, segs in by_tier.items() if len(segs) >= FANOUT]
        if not full or min(full) > max_tier or len(by_tier[min(full)]) < backlog:
            return segments
        chosen = {seg.segment_id() for seg in by_tier[min(full)][:FANOUT]}
        uuids: set[str] = set()
        for seg in segments:
            if seg.segment_id() in chosen:
                reader = SegmentReader(writer.storage, writer.schema, seg)
                try:
                    uuids.update(fields["uuid"] for fields in reader.all_stored_fields())
                finally:
                    reader.close()
        family_terms = families.current_terms()
        for doc in documents.load_uuids(conn, uuids - skip):
            writer.add_document(**documents.build_fields(doc, family_terms))
        return [seg for seg in segments if seg.segment_id() not in chosen]

    return policy


def merge(ix: FileIndex, conn: Connection, memory_mb: int) -> bool:
    """Merge the lowest full tier of small segments by re-indexing its events; False if
    there was none."""
    if needs_merge(ix) is None:
        return False
    writer = ix.writer(limitmb=memory_mb, compound=False)
    try:
        writer.commit(mergetype=folding(conn, LARGEST_MERGED))
    except BaseException:
        writer.cancel()
        raise
    return True


@dataclass(frozen=True, slots=True)
class Versions:
    """Where the indexed versions of some events are, as a searcher saw the index."""

    segment_ids: list[str] | None  # None: unknown (the writer must look them up itself)
    docnums: list[int]


def find_versions(searcher: Searcher | None, uuids: set[str]) -> Versions:
    """The document numbers of ``uuids`` in ``searcher`` (call under the search lock:
    Whoosh readers are not safe to share between threads)."""
    if searcher is None:
        return Versions(None, [])
    leaves = [reader.segment() for reader, _offset in searcher.reader().leaf_readers()]
    if any(seg is None for seg in leaves):
        return Versions(None, [])
    docnums = [n for uuid in sorted(uuids) for n in searcher.document_numbers(uuid=uuid)]
    return Versions([seg.segment_id() for seg in leaves], docnums)


def delete_uuids(writer: Any, versions: Versions, uuids: set[str]) -> None:
    """Delete the indexed versions of ``uuids``: by the document numbers found earlier if
    the writer has the same segments (it always should), else by Whoosh's own look-up."""
    if versions.segment_ids == [seg.segment_id() for seg in writer.segments]:
        for docnum in versions.docnums:
            writer.delete_document(docnum)
        return
    for uuid in uuids:
        writer.delete_by_term("uuid", uuid)
