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

from belarchive.errors import Cancelled
from belarchive.i18n import _
from belarchive.search import documents, segments, store

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
CancelFlag = Callable[[], bool]

CHUNK = 2000
# Below this many events, worker processes cost more than they save.
MULTIPROCESS_FROM = 20_000
# Whoosh spills postings to temporary runs beyond this (its estimate: ~170 bytes a posting,
# ~140 postings an event), shared between the worker processes; at 256 MB a 10,000-event
# build spent more time merging runs than indexing. At 3 GB a 100,000-event build fits
# without spilling and takes 62-64 s, but all its processes together held ~4.8 GB at the
# peak: too much beside the window on an 8 GB laptop. At 1 GB it spills and takes
# 99-103 s with 1.75 GB at the peak (PSS of all processes, issue 12; docs/performance.md).
WRITER_MEMORY_MB = 1024
UPDATE_MEMORY_MB = 64


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
    """Build a complete index of the catalogue into the empty ``folder``."""
    ix = store.create_index(folder)
    with engine.connect() as conn:
        seq = audit_head(conn)  # first read: the snapshot starts here
        first, last, total = documents.id_bounds(conn)
        writer = _writer(ix, procs, total)
        done = 0
        try:
            progress(0, total)
            for start in range(first, last + 1, CHUNK):
                if cancel():
                    raise Cancelled(_("Rebuilding the search index was cancelled."))
                for doc in documents.load_range(conn, start, start + CHUNK - 1):
                    writer.add_document(**documents.build_fields(doc))  # type: ignore[attr-defined]
                    done += 1
                progress(done, total)
            if cancel():
                raise Cancelled(_("Rebuilding the search index was cancelled."))
            writer.commit()  # type: ignore[attr-defined]
        except BaseException:
            _cancel_quietly(writer)
            raise
    state = store.IndexState(catalogue_id=catalogue_id, audit_seq=seq, doc_count=total)
    with ix.searcher() as searcher:
        state.doc_count = searcher.doc_count()
    ix.close()
    store.write_state(folder, state)
    return state


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
    ix: FileIndex, conn: Connection, uuids: set[str], versions: segments.Versions | None = None
) -> int:
    """Re-index the current events among ``uuids`` and drop the others; returns docs written.

    The commit adds a segment (~10 ms) and folds in at most eight one-event segments
    (segments.py); larger merges run off the edit path. ``versions``: where the old versions
    are, if the caller's searcher knew."""
    docs = documents.load_uuids(conn, uuids)
    writer = ix.writer(limitmb=UPDATE_MEMORY_MB, compound=False)
    try:
        segments.delete_uuids(writer, versions or segments.Versions(None, []), uuids)
        for doc in docs:
            writer.add_document(**documents.build_fields(doc))
        writer.commit(mergetype=segments.folding(conn, 0, frozenset(d.uuid for d in docs)))
    except BaseException:
        _cancel_quietly(writer)
        raise
    return len(docs)


def segment_count(ix: FileIndex) -> int:
    return len(ix._segments())
