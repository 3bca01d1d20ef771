"""Read-only work off the GUI thread, with progress and cancel bridged to Qt signals.

The core writes long work as ``fn(progress, cancel)`` (``progress(done, total)``,
``cancel() -> bool``). Work that only READS (parsing a file, a timeline query, an export) may
run on the QThreadPool in parallel with the writer; anything that writes goes through
``AppContext.write`` instead, so writes stay serialised on one thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, ClassVar

import shiboken6
from PySide6.QtCore import QObject, QThreadPool, Signal

log = logging.getLogger(__name__)

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]
Work = Callable[[ProgressFn, CancelFn], Any]


class BackgroundTask(QObject):
    """One run of ``work`` on the thread pool. Signals arrive on the thread that owns the task
    (the GUI thread), because they are emitted from the pool and queued to the receivers."""

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)

    _live: ClassVar[set[BackgroundTask]] = set()  # keeps running tasks alive when callers drop them

    def __init__(self, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._cancel = threading.Event()
        self.running = False

    def start(self, pool: QThreadPool | None = None) -> BackgroundTask:
        self.running = True
        BackgroundTask._live.add(self)
        # Connected last so the caller's slots run first; then the GUI thread lets go of it.
        self.finished.connect(self._release)
        self.failed.connect(self._release)
        (pool or QThreadPool.globalInstance()).start(self._run)
        return self

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def _run(self) -> None:
        try:
            result = self._work(self.progress.emit, self._cancel.is_set)
        except Exception as exc:
            log.debug("background task failed", exc_info=True)
            self._finish(self.failed, exc)
        else:
            self._finish(self.finished, result)

    def _finish(self, signal: Any, value: object) -> None:
        self.running = False
        try:
            signal.emit(value)
        except RuntimeError:  # the task went with its parent or the quitting application
            log.debug("background task's answer dropped: its Qt object is gone")

    def _release(self, _value: object = None) -> None:
        BackgroundTask._live.discard(self)


def run_read(fn: Callable[[], Any], on_done: Callable[[Any], None],
             on_error: Callable[[BaseException], None] | None = None,
             owner: QObject | None = None) -> BackgroundTask:  # fmt: skip
    """Run a plain read ``fn()`` in the pool; ``on_done(result)`` comes back on the GUI.

    ``owner``: the widget the answer is for. If it has been deleted by the time the answer
    arrives, the answer is dropped instead of reaching a dead widget. The task itself is
    never the owner's Qt child: deleting it with the widget while the pool thread still
    emits on it would crash.
    """
    task = BackgroundTask(lambda _p, _c: fn())

    def alive() -> bool:
        return owner is None or shiboken6.isValid(owner)

    task.finished.connect(lambda result: on_done(result) if alive() else None)
    if on_error is not None:
        task.failed.connect(lambda exc: on_error(exc) if alive() else None)
    return task.start()
