"""Writing the index: a full build from the database, and applying committed changes.

A full build reads the database in one read transaction (a consistent snapshot, WAL lets
writers carry on meanwhile), in id ranges of ``CHUNK`` events, and records the audit head
it saw *before* reading: changes committed during the build are applied afterwards by the
catch-up, and applying a change twice does no harm.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from pathlib import Path

from sqlalchemy import Connection, Engine
from whoosh.index import FileIndex
from whoosh.writing import NO_MERGE

from belarchive.errors import Cancelled
from belarchive.i18n import _
from belarchive.search import builds, documents, families, segments, store
from belarchive.search.schema import INDEX_FORMAT

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
CancelFlag = Callable[[], bool]

CHUNK = 2000
# Below this many events, worker processes cost more than they save.
MULTIPROCESS_FROM = 20_000
# Whoosh spills postings to temporary runs beyond this (its estimate: ~170 bytes a posting,
# now ~250 postings an event with lemmas and word pairs), shared between the worker
# processes, and merging spilled runs is what made large builds slow. A build is written
# in batches of BATCH events, each committed on its own, so that each worker's share
# (12,500) fits in its 512 MB. Each batch leaves a segment per worker, and more segments
# cost every query and the disk. At 100,000 events (performance.md):
#   one batch at 3 GB: 64 s, ~4.8 GB resident at the peak, 2 segments;
#   one batch at 1 GB: 133 s, 1.77 GB (PSS of all processes), 2 segments, 270 MiB;
#   batches of 25,000 at 1 GB: 80 s, 1.78 GB, 8 segments, 376 MiB (chosen);
#   batches of 16,000 at 768 MB: 88 s, 1.32 GB, 14 segments, 440 MiB, queries ~60 % slower.
# Each worker then held 770-850 MiB for its 512 MB, Whoosh's pool keeping a copy of each
# term and weight per posting; with one copy (whoosh_patches, patch 7) 480-510 MiB, and
# the whole build peaks at 1.17-1.18 GiB (slower machine: 124 s either way). With each
# term's postings kept together (whoosh_writer) a worker holds ~245 MiB for the same
# batch: 0.6 GB at the peak, 80 s. Batches of 50,000 (4 segments) at 2.4 GB: 0.86 GB, but
# 95 s, the parent waiting longer at each batch's commit.
WRITER_MEMORY_MB = 1024
BATCH = 25_000
UPDATE_MEMORY_MB = 64
# Beyond its limit Whoosh spills the posting pool to pickled runs and merges them at the
# commit: a fifth of the time of re-indexing 9,000 events at 64 MB (38.6 s against 30.4 s
# at 512 MB, performance.md). ~48 KB an event (~220 postings at Whoosh's ~170 bytes each)
# keeps a large batch in memory, within a cap.
UPDATE_MEMORY_PER_EVENT_KB = 48
UPDATE_MEMORY_CAP_MB = 512


# From this many events on, ``apply(procs=2)`` indexes in worker processes.
PARALLEL_UPDATE_FROM = 2000


def update_memory_mb(events: int) -> int:
    """Whoosh's pool limit for re-indexing ``events`` events."""
    wanted = events * UPDATE_MEMORY_PER_EVENT_KB // 1024
    return min(UPDATE_MEMORY_CAP_MB, max(UPDATE_MEMORY_MB, wanted))


def no_progress(_done: int, _total: int) -> None:
    return None


def never_cancel() -> bool:
    return False


def audit_head(conn: Connection) -> int:
    return int(conn.exec_driver_sql("SELECT coalesce(max(seq), 0) FROM auditentry").scalar() or 0)


def _writer(ix: FileIndex, procs: int, total: int) -> object:
    # A sealed index is built in this process: Whoosh's worker processes pass documents
    # through plaintext temporary files.
    if procs > 1 and total >= MULTIPROCESS_FROM and not store.is_sealed(Path(ix.storage.folder)):
        return ix.writer(
            procs=procs, multisegment=True, limitmb=WRITER_MEMORY_MB // procs, compound=False
        )
    return ix.writer(limitmb=WRITER_MEMORY_MB, compound=False)


def build(
    engine: Engine,
    folder: Path,
    catalogue_id: str,
    *,
    progress: Progress = no_progress,
    cancel: CancelFlag = never_cancel,
    procs: int = 2,
) -> store.IndexState:
    """Build a complete index of the catalogue into ``folder``, or finish the one a killed
    build left there (``resume.json``).

    Events are written in batches of ``BATCH`` by id, each committed as its own segments,
    and after each the folder records how far it got: a build killed part-way resumes
    after its last batch. Batches also keep each worker's postings in memory (no spilled
    runs to merge), which made a 100,000-event build faster and smaller (performance.md).
    """
    resumed = resume_point(folder, catalogue_id)
    family_terms = families.current_terms()  # one table for the whole build
    ix = store.open_index(folder) if resumed else store.create_index(folder)
    with engine.connect() as conn:
        first, last, total = documents.id_bounds(conn)
        # The audit head before the first read: changes committed since are applied by
        # the catch-up after the swap (applying one twice does no harm).
        seq, start, done = resumed or (audit_head(conn), first, 0)
        progress(done, total)
        while start <= last:
            end = min(last, start + BATCH - 1)
            done += _write_batch(ix, conn, start, end, procs, total, progress, cancel, done,
                                 family_terms)  # fmt: skip
            _write_resume(folder, catalogue_id, seq, end + 1, done)
            start = end + 1
    state = store.IndexState(
        catalogue_id=catalogue_id, audit_seq=seq, doc_count=total, families=family_terms.digest
    )
    with ix.searcher() as searcher:
        state.doc_count = searcher.doc_count()
    ix.close()
    (folder / builds.RESUME_FILE).unlink(missing_ok=True)  # complete: not a build to resume
    store.write_state(folder, state)
    return state


def _write_batch(
    ix: FileIndex, conn: Connection, start: int, end: int, procs: int, total: int,
    progress: Progress, cancel: CancelFlag, done: int, family_terms: families.FamilyTerms,
) -> int:  # fmt: skip
    """Index the events with ids start..end and commit them; returns how many."""
    writer = _writer(ix, procs, total)
    written = 0
    try:
        for chunk in range(start, end + 1, CHUNK):
            if cancel():
                raise Cancelled(_("Rebuilding the search index was cancelled."))
            for doc in documents.load_range(conn, chunk, min(end, chunk + CHUNK - 1)):
                fields = documents.build_fields(doc, family_terms)
                writer.add_document(**fields)  # type: ignore[attr-defined]
                written += 1
            progress(done + written, total)
        if cancel():
            raise Cancelled(_("Rebuilding the search index was cancelled."))
        writer.commit(merge=False)  # type: ignore[attr-defined]
    except BaseException:
        _cancel_quietly(writer)
        raise
    return written


def resume_point(folder: Path, catalogue_id: str) -> tuple[int, int, int] | None:
    """(audit head, next id, events written) of a build to resume in ``folder``, or None."""
    try:
        raw = json.loads((folder / builds.RESUME_FILE).read_text(encoding="utf-8"))
        if raw["catalogue_id"] != catalogue_id or raw["format"] != INDEX_FORMAT:
            return None
        if raw.get("families", "") != families.index_digest():
            return None  # its batches have another table's family terms
        return int(raw["audit_seq"]), int(raw["next_id"]), int(raw["done"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_resume(folder: Path, catalogue_id: str, seq: int, next_id: int, done: int) -> None:
    record = {"catalogue_id": catalogue_id, "format": INDEX_FORMAT, "audit_seq": seq,
              "next_id": next_id, "done": done,
              "families": families.index_digest()}  # fmt: skip
    tmp = folder / (builds.RESUME_FILE + ".tmp")
    tmp.write_text(json.dumps(record), encoding="utf-8")
    tmp.replace(folder / builds.RESUME_FILE)


def _cancel_quietly(writer: object) -> None:
    try:
        writer.cancel()  # type: ignore[attr-defined]
    except Exception:  # the writer may already be closed; the folder is thrown away anyway
        log.debug("writer cancel failed", exc_info=True)


def changed_since(conn: Connection, seq: int) -> set[str]:
    """UUIDs of events touched by audit entries after ``seq`` (directly, or via a source)."""
    touched: set[str] = set()
    rows = conn.exec_driver_sql(
        "SELECT action, entity_type, entity_id, after_json FROM auditentry WHERE seq > ? "
        "AND entity_type IN ('event', 'source')",
        (seq,),
    )
    sources: set[str] = set()
    for action, entity_type, entity_id, after_json in rows:
        if entity_type == "source":
            sources.add(str(entity_id))
            continue
        touched.add(str(entity_id))
        if action == "event.merge" and after_json:
            merged = json.loads(str(after_json)).get("merged")
            if merged:
                touched.add(str(merged))
    if sources:
        touched |= events_citing(conn, sources)
    return touched


def events_citing(conn: Connection, source_uuids: Iterable[str]) -> set[str]:
    rows = conn.exec_driver_sql(
        "SELECT DISTINCT e.uuid FROM citation c JOIN source s ON s.id = c.source_id "
        "JOIN event e ON e.id = c.event_id WHERE s.uuid IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(source_uuids)),),
    )
    return {r[0] for r in rows}


def apply(
    ix: FileIndex,
    conn: Connection,
    uuids: set[str],
    versions: segments.Versions | None = None,
    procs: int = 1,
) -> int:
    """Re-index the current events among ``uuids`` and drop the others; returns docs written.

    The commit adds a segment (~10 ms); merges run off the edit path, unless a burst of
    edits left segments.BACKLOG one-event segments (then it folds in eight of them).
    ``versions``: where the old versions are, if the caller's searcher knew. ``procs``:
    worker processes for a large batch (not for a sealed index, whose workers would pass
    documents through plaintext files)."""
    docs = documents.load_uuids(conn, uuids)
    parallel = (
        procs > 1
        and len(docs) >= PARALLEL_UPDATE_FROM
        and not store.is_sealed(Path(ix.storage.folder))
    )
    memory = update_memory_mb(len(docs))
    writer = (ix.writer(procs=procs, multisegment=True, limitmb=memory // procs,
                        compound=False) if parallel
              else ix.writer(limitmb=memory, compound=False))  # fmt: skip
    family_terms = families.current_terms()
    try:
        segments.delete_uuids(writer, versions or segments.Versions(None, []), uuids)
        for doc in docs:
            writer.add_document(**documents.build_fields(doc, family_terms))
        # Worker processes take no folding merge (it adds documents while they finish);
        # their segments are large anyway.
        writer.commit(mergetype=NO_MERGE if parallel
                      else segments.folding(conn, 0, frozenset(d.uuid for d in docs),
                                            backlog=segments.BACKLOG))  # fmt: skip
    except BaseException:
        _cancel_quietly(writer)
        raise
    return len(docs)


def segment_count(ix: FileIndex) -> int:
    return len(ix._segments())
