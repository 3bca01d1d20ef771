"""Opening (and if need be rebuilding) the search index without holding up saves.

A missing or damaged index on a large catalogue takes a minute or more to rebuild. That
runs on a thread of its own (``IndexOpener.pool``), never on the writer, so the table,
the editor and every save stay usable; progress comes back as ``progress(done, total)``
and searches wait (the search box says the index is being built).

No committed write is lost from the index. The index records the last audit sequence it
applied: the rebuild reads one snapshot and then catches up from the audit log under the
index's write lock. When it has finished, ``search_sync.attach`` runs ON THE WRITER: it
catches up once more and registers the change listener, and since every write of this
process runs on that same thread, no write can commit between the catch-up and the
listener. (Writes by other programs are caught up from the audit log by any later change
or search.)
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThreadPool, Signal

from belarchive.gui.i18n import tr
from belarchive.gui.widgets.background import BackgroundTask, CancelFn, ProgressFn

if TYPE_CHECKING:
    from belarchive.gui.context import AppContext
    from belarchive.services.catalogue import Catalogue

log = logging.getLogger(__name__)

IDLE, BUILDING, READY, FAILED = "idle", "building", "ready", "failed"
STOP_WAIT_MS = 30_000


def _open(cat: Catalogue, progress: ProgressFn, cancel: CancelFn) -> Any:
    from belarchive.search import api

    return api.open_index(cat, progress, cancel)


def _attach(cat: Catalogue) -> Any:
    from belarchive.services import search_sync

    return search_sync.attach(cat)


class IndexOpener(QObject):
    """The search index of the context's catalogue: opened in the background, then attached.

    ``state``: IDLE (never started: searches open the index themselves, as the CLI does),
    BUILDING (searches should wait), READY, FAILED (searches may try again themselves).
    """

    changed = Signal(str)  # the new state
    progress = Signal(int, int)  # done, total (events indexed by a rebuild)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.state = IDLE
        self.done_total = (0, 0)
        self.error: BaseException | None = None
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.task: BackgroundTask | None = None
        self._cat: Catalogue | None = None

    @property
    def searchable(self) -> bool:
        return self.state != BUILDING

    def message(self) -> str:
        """What the search box says while searches wait."""
        done, total = self.done_total
        if self.state != BUILDING:
            return ""
        if total:
            text = tr("The search index is being built ({done} / {total} events); the search "
                      "runs when it is ready.")  # fmt: skip
            return text.format(done=f"{done:,}", total=f"{total:,}")
        return tr("The search index is being opened; the search runs when it is ready.")

    def start(self) -> None:
        """Open the index of the context's current catalogue (a running opening is stopped)."""
        self.stop()
        cat = self._cat = self.ctx.catalogue
        self.error, self.done_total = None, (0, 0)
        task = self.task = BackgroundTask(lambda progress, cancel: _open(cat, progress, cancel))
        task.progress.connect(lambda d, t: self._progress(d, t) if task is self.task else None)
        task.finished.connect(lambda _health: self._opened(task, cat))
        task.failed.connect(lambda exc: self._failed(task, exc))
        self._set(BUILDING)
        task.start(self.pool)

    def stop(self) -> None:
        """Cancel a running opening and wait for its thread (the old index stays as it was)."""
        task, self.task = self.task, None
        if task is not None:
            task.cancel()
        if not self.pool.waitForDone(STOP_WAIT_MS):
            log.warning("the search index is still being built after %d ms", STOP_WAIT_MS)
        if self.state == BUILDING:
            self._set(IDLE)

    def _set(self, state: str) -> None:
        self.state = state
        self.changed.emit(state)

    def _progress(self, done: int, total: int) -> None:
        self.done_total = (done, total)
        self.progress.emit(done, total)

    def _opened(self, task: BackgroundTask, cat: Catalogue) -> None:
        if task is not self.task or cat is not self.ctx.catalogue:
            return  # stopped, or another catalogue was opened meanwhile
        self.ctx.write(lambda: _attach(cat), lambda _h: self._attached(task),
                       lambda exc: self._failed(task, exc), label="attach index")  # fmt: skip

    def _attached(self, task: BackgroundTask) -> None:
        if task is self.task:
            self.task = None
            self._set(READY)

    def _failed(self, task: BackgroundTask, exc: BaseException) -> None:
        if task is not self.task:
            return  # cancelled by stop(): nothing to report
        self.task, self.error = None, exc
        log.warning("search index unavailable: %s", exc)
        self._set(FAILED)
