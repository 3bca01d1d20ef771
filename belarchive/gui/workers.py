"""Work off the GUI thread.

* ``WriterWorker``: ONE thread that runs every database write and index commit in order,
  so the GUI thread never waits on SQLite's lock or an fsync.
* ``TaskRunner``: long read-or-write work (import, export, reindex) with progress and cancel,
  written in the core as ``fn(progress, cancel)``; it runs on the writer thread too when it
  writes (so writes stay serialised), or on its own thread when it only reads.

Results and errors come back to the GUI thread through queued signals.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


@dataclass
class Job:
    id: int
    fn: Callable[[], Any]
    on_done: Done | None = None
    on_error: Failed | None = None
    label: str = ""
    cancel_event: threading.Event = field(default_factory=threading.Event)


class _Loop(QObject):
    """Lives in the worker thread; takes jobs from a queue until told to stop."""

    finished = Signal(int, object)
    failed = Signal(int, object)

    def __init__(self, jobs: queue.Queue[Job | None]) -> None:
        super().__init__()
        self._jobs = jobs

    @Slot()
    def run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            try:
                result = job.fn()
            except BaseException as exc:  # every failure goes back to the GUI, never lost
                if not isinstance(exc, Exception):
                    log.exception("job %s died", job.label)
                self.failed.emit(job.id, exc)
            else:
                self.finished.emit(job.id, result)


class WriterWorker(QObject):
    """Serialises writes on one background thread. Use ``submit``; callbacks run on the GUI."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, name: str = "belarchive-writer") -> None:
        super().__init__(parent)
        self._jobs: queue.Queue[Job | None] = queue.Queue()
        self._pending: dict[int, Job] = {}
        self._ids = itertools.count(1)
        self._thread = QThread()
        self._thread.setObjectName(name)
        self._loop = _Loop(self._jobs)
        self._loop.moveToThread(self._thread)
        self._thread.started.connect(self._loop.run)
        self._loop.finished.connect(self._on_finished)
        self._loop.failed.connect(self._on_failed)
        self._thread.start()

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Done | None = None,
        on_error: Failed | None = None,
        label: str = "",
    ) -> Job:
        job = Job(next(self._ids), fn, on_done, on_error, label)
        self._pending[job.id] = job
        if len(self._pending) == 1:
            self.busy_changed.emit(True)
        self._jobs.put(job)
        return job

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def _take(self, job_id: int) -> Job | None:
        job = self._pending.pop(job_id, None)
        if not self._pending:
            self.busy_changed.emit(False)
        return job

    @Slot(int, object)
    def _on_finished(self, job_id: int, result: object) -> None:
        job = self._take(job_id)
        if job and job.on_done:
            job.on_done(result)

    @Slot(int, object)
    def _on_failed(self, job_id: int, exc: object) -> None:
        job = self._take(job_id)
        if job and job.on_error:
            job.on_error(exc)  # type: ignore[arg-type]
        else:
            log.error("background job %s failed: %s", job.label if job else job_id, exc)

    def wait_idle(self, timeout_ms: int = 30_000) -> bool:
        """For tests and shutdown: block until queued jobs ran (processes no GUI events)."""
        done = threading.Event()
        self._jobs.put(Job(0, done.set))
        return done.wait(timeout_ms / 1000)

    def stop(self) -> None:
        self._jobs.put(None)
        self._thread.quit()
        self._thread.wait(10_000)
