"""One catalogue's search index: kept in step with the database, rebuilt when damaged.

One writer at a time (a lock), ``compound=False`` segments, and a long-lived searcher that
is refreshed after each commit: the combination DESIGN.md §6 measured as fastest (an
update is searchable in ~20 ms; opening a fresh searcher per query costs ~100 ms).
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
import uuid as uuidlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh.index import FileIndex
from whoosh.searching import Searcher

from belarchive.errors import CatalogueError
from belarchive.i18n import _
from belarchive.search import builds, indexer, postings, segments, store
from belarchive.search.indexer import CancelFlag, Progress, never_cancel, no_progress
from belarchive.search.store import IndexHealth

if TYPE_CHECKING:
    from belarchive.services.catalogue import Catalogue
    from belarchive.services.changes import Change

log = logging.getLogger(__name__)

# Each update commits a new small segment (~10 ms); the commit that makes eight of them
# re-indexes their events into its own segment (segments.py: +~25 ms, instead of a Whoosh
# merge of 100-200 ms on the edit path). Larger tiers (64 events, ~150 ms) are merged on a
# timer thread once edits pause for IDLE_MERGE_SECONDS.
IDLE_MERGE_SECONDS = 0.5
# How long a bulk edit's process waits for another such process to finish indexing (9,000
# events take 20-40 s) before it leaves its own batch to the window's process.
OUTSIDE_LOCK_WAIT_S = 120.0


class SearchIndex:
    """The index in ``<catalogue>/index``. Thread-safe; one instance per open catalogue."""

    def __init__(self, cat: Catalogue) -> None:
        self.cat = cat
        self.folder: Path = cat.index_dir
        self._ix: FileIndex | None = None
        self._searcher: Searcher | None = None
        self._state: store.IndexState | None = None
        self._write_lock = threading.RLock()
        self._search_lock = threading.RLock()
        self._rebuilding = False
        # Set when applying a change failed: the next change catches up from the state file.
        self._lagging = False
        self._merge_timer: threading.Timer | None = None
        # Large bulk edits running in processes of their own (services.bulk_apart), and how
        # many events they changed that those processes are still indexing.
        self._outside_writers = 0
        self._behind_events = 0
        self._rebuild_lock = threading.Lock()
        self._rebuild_progress = (0, 0)
        # What a killed rebuild left behind, except one it can resume from.
        builds.remove_abandoned(self.folder, keep=self._resumable())

    def _resumable(self) -> Path | None:
        catalogue_id = self.cat.catalogue_id
        return builds.resumable(
            self.folder, lambda build: indexer.resume_point(build, catalogue_id) is not None
        )

    # -- health and opening -------------------------------------------------------------
    def head_seq(self) -> int:
        with self.cat.reader.connect() as conn:
            return indexer.audit_head(conn)

    def check(self) -> IndexHealth:
        """Diagnose the index on disk without changing it."""
        with self._write_lock:
            return store.diagnose(self.folder, self.cat.catalogue_id, self.head_seq())

    def ensure_ready(
        self, progress: Progress = no_progress, cancel: CancelFlag = never_cancel
    ) -> IndexHealth:
        """Open the index, rebuilding it if missing or damaged and catching up if behind.

        While a rebuild runs (on any thread) the old index, if there is one, keeps answering;
        without one, this raises CatalogueError at once rather than wait for the rebuild.
        """
        if self._rebuilding:
            if self._ix is None:
                done, total = self._rebuild_progress
                raise CatalogueError(
                    _(
                        "The search index is being rebuilt ({done} of {total} events); search "
                        "again in a moment."
                    ).format(done=done, total=total)
                )
            return self.check()
        if self._outside_writers and self._ix is not None:
            # Another process writes, then indexes, a large batch: catching up here would
            # index the same events beside it, and wait on its lock (see pause_for_outside).
            return self._health(self._state or store.IndexState())
        if self._ix is not None and not self._lagging and self._up_to_date():
            # No lock: a search must not wait for a merge running on the timer thread.
            return self._health(self._state or store.IndexState())
        with self._write_lock:
            if self._ix is not None and not self._lagging:
                return self._catch_up_health()
            health = self.check()
            if not health.needs_rebuild:
                self._open()
                return self._catch_up_health()
        # Rebuild outside the write lock: writes carry on (the catch-up after the swap
        # applies them) and searches keep using the old index meanwhile.
        log.warning("search index: %s Rebuilding.", health.message)
        return self.rebuild(progress, cancel)

    def _up_to_date(self) -> bool:
        state = self._state
        return state is not None and self.head_seq() == state.audit_seq

    def _catch_up_health(self) -> IndexHealth:
        self.catch_up()
        return self._health(self._state or store.IndexState())

    @staticmethod
    def _health(state: store.IndexState) -> IndexHealth:
        return IndexHealth(
            store.OK,
            "The search index is up to date.",
            doc_count=state.doc_count,
            applied_seq=state.audit_seq,
            head_seq=state.audit_seq,
        )

    def _open(self) -> None:
        self._close_handles()
        try:
            self._ix = store.open_index(self.folder)
            self._state = store.read_state(self.folder)
        except Exception as exc:  # Whoosh reports damage with many exception types
            raise CatalogueError(
                _("The search index cannot be opened; rebuild it."), detail=str(exc)
            ) from exc
        with self._search_lock:
            self._searcher = self._ix.searcher()

    def _close_handles(self) -> None:
        with self._search_lock:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = None
        if self._ix is not None:
            self._ix.close()
        self._ix = None

    def mark_suspect(self) -> None:
        """Reading failed: make the next ensure_ready() diagnose the files again."""
        self._lagging = True

    def close(self) -> None:
        with self._write_lock:
            self._cancel_merge()
            self._close_handles()
        postings.forget()  # decoded postings of this index's segments

    # -- rebuilding -----------------------------------------------------------------------
    def rebuild(
        self, progress: Progress = no_progress, cancel: CancelFlag = never_cancel, procs: int = 2
    ) -> IndexHealth:
        """Build a fresh index beside the old one, then swap it in; the old one stays usable
        for searching until the swap, and stays in place if the build fails or is cancelled.
        One rebuild at a time: a second caller waits for the first, then rebuilds again."""

        def track(done: int, total: int) -> None:
            self._rebuild_progress = (done, total)
            progress(done, total)

        with self._rebuild_lock:
            # A rebuild killed part-way carries on where it stopped (builds.py, indexer.py).
            tmp = self._resumable() or self.folder.with_name(
                f"{builds.BUILD_PREFIX}{uuidlib.uuid4().hex[:8]}"
            )
            builds.remove_abandoned(self.folder, keep=tmp)
            self._rebuilding = True
            try:
                with builds.claimed(tmp):
                    indexer.build(
                        self.cat.reader,
                        tmp,
                        self.cat.catalogue_id,
                        progress=track,
                        cancel=cancel,
                        procs=procs,
                    )
                    with self._write_lock:
                        self._cancel_merge()
                        self._close_handles()
                        store.swap_in(tmp, self.folder)
                        self._lagging = False
                        self._open()
                        self.catch_up()
            finally:
                self._rebuilding = False
                shutil.rmtree(tmp, ignore_errors=True)
        return self.check()

    # -- keeping in step ------------------------------------------------------------------
    def apply_change(self, change: Change) -> None:
        """The catalogue listener: index what a committed transaction changed."""
        if self._rebuilding or change.empty or self._outside_writers:
            return  # the catch-up after the rebuild, or after the other process, applies it
        with self._write_lock:
            if self._ix is None:
                return
            try:
                self._apply(set(change.events), change.audit_seq)
            except Exception:
                self._lagging = True
                raise

    def catch_up(self, procs: int = 1) -> int:
        """Apply every audited change after the recorded sequence number; returns how many
        events were re-indexed. ``procs``: worker processes for a large batch, only in a
        process that may fork (the window's runs Qt's threads and never does)."""
        with self._write_lock:
            if self._ix is None:
                return 0
            return self._apply(set(), 0, procs)

    def catch_up_elsewhere(self) -> bool:
        """In another process that wrote to the catalogue (a large bulk edit,
        services.bulk_apart): index what it changed if the index is ready, and say whether
        it did. Never rebuilds: a missing, damaged or rebuilding index is left to the
        window's process, which then indexes the changes as for its own writes."""
        if any(self.folder.parent.glob(self.folder.name + ".build-*")):
            return False  # a rebuild is under way or was abandoned
        try:
            with self._write_lock:
                if not self._wait_unlocked(OUTSIDE_LOCK_WAIT_S).usable:
                    return False
                self._open()
                self.catch_up(procs=2)
            return True
        except Exception:  # the index locked by a merge, or damaged: the window indexes
            log.warning("search index: not updated by this process", exc_info=True)
            return False
        finally:
            self.close()

    def _wait_unlocked(self, seconds: float) -> IndexHealth:
        """The index's health once no other process writes it (an earlier bulk edit's
        process still indexing, when this one is its undo), or after ``seconds``."""
        deadline = time.monotonic() + seconds
        health = self.check()
        while health.status == store.LOCKED and time.monotonic() < deadline:
            time.sleep(0.2)
            health = self.check()
        return health

    # -- a large batch written and indexed by another process ------------------------------
    def pause_for_outside(self) -> None:
        """A large bulk edit's process is about to write the catalogue and then index what it
        changed (services.bulk_apart): until ``resume_after_outside``, no merge may hold the
        index's lock it needs, and changes wait for the catch-up that follows."""
        with self._write_lock:  # a merge under way finishes first
            self._cancel_merge()
            self._outside_writers += 1

    def indexing_outside(self, events: int) -> None:
        """That process committed ``events`` changed events and is indexing them now;
        searches meanwhile say that those changes are not searchable yet."""
        self._behind_events += events

    @property
    def behind_events(self) -> int:
        """Changed events another process is still indexing (0 when none)."""
        return self._behind_events if self._outside_writers else 0

    def resume_after_outside(self) -> None:
        """The other process is done, or gone: take up its commit, then index what is still
        missing (changes made meanwhile, or the batch itself if it could not index it)."""
        with self._write_lock:
            if self._outside_writers > 1:
                self._outside_writers -= 1
                return
            try:
                # Still counted as outside while catching up: behind_events stays until the
                # batch is searchable, and no change listener indexes beside this.
                if self._ix is not None and not self._rebuilding:
                    self.catch_up()
                    self._schedule_merge()
            except Exception:  # the next change or search catches up from the state file
                self._lagging = True
                log.exception("search index: catching up after a bulk edit failed")
            finally:
                self._outside_writers = 0
                self._behind_events = 0

    def _adopt_newer_state(self, state: store.IndexState) -> store.IndexState:
        """Another process (a large bulk edit) may have indexed changes and recorded them:
        take up its commit rather than index the same events again."""
        disk = store.read_state(self.folder)
        if disk is None or disk.catalogue_id != state.catalogue_id:
            return state
        if disk.audit_seq <= state.audit_seq:
            return state
        self._refresh()
        self._state = disk
        return disk

    def _apply(self, hinted: set[str], hinted_seq: int, procs: int = 1) -> int:
        assert self._ix is not None
        state = self._state or store.IndexState(catalogue_id=self.cat.catalogue_id)
        state = self._adopt_newer_state(state)
        if hinted_seq and hinted_seq <= state.audit_seq:
            hinted = set()  # that change is in the index already
        with self.cat.reader.connect() as conn:
            head = indexer.audit_head(conn)
            target = max(head, hinted_seq)
            if not hinted and target == state.audit_seq:
                return 0  # the common case for a search: nothing new since the last commit
            # The audit log, not the hint, is the truth: it also covers writes made by
            # another program on the same catalogue since our last commit.
            uuids = hinted | indexer.changed_since(conn, state.audit_seq)
            with self._search_lock:
                versions = segments.find_versions(self._searcher, uuids)
            written = indexer.apply(self._ix, conn, uuids, versions, procs) if uuids else 0
        state.audit_seq = target
        self._lagging = False
        self._refresh()
        with self._search_lock:
            assert self._searcher is not None
            state.doc_count = self._searcher.doc_count()
        self._state = state
        store.write_state(self.folder, state)
        if written:
            self._schedule_merge()
        return written

    def _schedule_merge(self) -> None:
        """Queue the merge of the lowest full tier of small segments, if any; a pending one
        is replaced, so merges of larger tiers keep waiting while edits come."""
        assert self._ix is not None
        tier = segments.needs_merge(self._ix)
        if tier is None:
            return
        self._cancel_merge()
        self._merge_timer = threading.Timer(IDLE_MERGE_SECONDS, self.merge_small_segments)
        self._merge_timer.daemon = True
        self._merge_timer.start()

    def _cancel_merge(self) -> None:
        if self._merge_timer is not None:
            self._merge_timer.cancel()
            self._merge_timer = None

    def merge_small_segments(self) -> None:
        """Merge a full tier of the small segments left by edits (runs on a timer thread)."""
        with self._write_lock:
            self._merge_timer = None
            if self._ix is None or self._rebuilding or self._outside_writers:
                return
            try:
                with self.cat.reader.connect() as conn:
                    merged = segments.merge(self._ix, conn, indexer.UPDATE_MEMORY_MB)
                if not merged:
                    return
                self._refresh()
                if self._state is not None:
                    # Merging re-reads the database as it is now: an event deleted since
                    # the last change applied is gone, so count again.
                    with self._search_lock:
                        assert self._searcher is not None
                        self._state.doc_count = self._searcher.doc_count()
                    store.write_state(self.folder, self._state)
                self._schedule_merge()  # a merge can fill the next tier up
            except Exception:  # a failed merge loses nothing: the segments stay as they were
                log.exception("merging small index segments failed")

    def _refresh(self) -> None:
        # A fresh searcher rather than Searcher.refresh(): with compound=False segments it
        # opens in ~1 ms, and refresh() fails on an index that had no segments yet.
        assert self._ix is not None
        fresh = self._ix.searcher()
        with self._search_lock:
            old, self._searcher = self._searcher, fresh
            if old is not None:
                old.close()

    def refresh_if_stale(self) -> bool:
        """Open a searcher on the newest commit if the current one predates it; True if it
        did. A merge deletes the files of the segments it replaced when it commits, and
        Whoosh opens some of a segment's files only when first read: a query that started on
        the searcher of before the merge can find them gone (api.search retries once)."""
        with self._search_lock:
            current = self._searcher
            if self._ix is None or current is None or current.up_to_date():
                return False
        self._refresh()
        return True

    # -- reading --------------------------------------------------------------------------
    @contextmanager
    def searcher(self) -> Iterator[Searcher]:
        """The current searcher, held for the duration of one query."""
        with self._search_lock:
            if self._searcher is None:
                raise CatalogueError(_("The search index is not open; rebuild it."))
            yield self._searcher

    @property
    def state(self) -> store.IndexState | None:
        return self._state
