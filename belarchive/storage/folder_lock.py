"""One writer at a time per catalogue folder, across processes: an OS lock on ``.writer.lock``.

SQLite already serialises transactions, but an operation made of several steps — a
restore takes a copy of the database it is about to replace, then replaces it — must keep
every other writer out for all of them, or a commit made between the steps is lost. Every
write transaction (``Catalogue.write``) and every such operation holds this lock.

The lock is re-entrant within a process (a restore that opens the catalogue, which may
write, must not wait for itself) and released by the OS when a process dies. Where the OS
has no ``flock`` (Windows), only the in-process part applies.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from belarchive.errors import CatalogueError
from belarchive.i18n import _

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = ".writer.lock"
WAIT_SECONDS = 30.0

_guard = threading.Lock()
_held: dict[Path, tuple[int, int, threading.RLock]] = {}  # folder → (fd, depth, thread lock)


def _entry(folder: Path) -> threading.RLock:
    with _guard:
        if folder not in _held:
            _held[folder] = (-1, 0, threading.RLock())
        return _held[folder][2]


@contextmanager
def writer_lock(folder: Path, wait: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold the catalogue folder's writer lock (waiting up to ``wait`` seconds for it)."""
    folder = Path(folder).resolve()
    thread_lock = _entry(folder)
    if not thread_lock.acquire(timeout=wait):
        raise CatalogueError(_("The catalogue is busy (another task is writing); try again."))
    try:
        with _guard:
            fd, depth, _lock = _held[folder]
        if depth == 0:
            fd = _acquire_file(folder, wait)
        with _guard:
            _held[folder] = (fd, depth + 1, thread_lock)
        try:
            yield
        finally:
            with _guard:
                fd, depth, _lock = _held[folder]
                _held[folder] = (fd if depth > 1 else -1, depth - 1, thread_lock)
            if depth == 1 and fd >= 0:
                os.close(fd)  # closing releases the OS lock
    finally:
        thread_lock.release()


def _acquire_file(folder: Path, wait: float) -> int:
    try:
        fd = os.open(folder / LOCK_NAME, os.O_CREAT | os.O_RDWR, 0o600)
    except OSError:
        return -1  # a read-only folder: SQLite will refuse the write with its own message
    if fcntl is None:
        return fd
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise CatalogueError(
                    _(
                        "The catalogue is busy (another program is writing or restoring); try "
                        "again. Nothing was changed."
                    )
                ) from None
            time.sleep(0.02)
