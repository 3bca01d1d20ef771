"""Folders of index rebuilds in progress, and the ones a killed rebuild left behind.

A rebuild writes into ``index.build-<id>`` beside the live index and holds an OS lock on
``index.build-<id>.lock`` while it works. A folder whose lock nobody holds was left by a
rebuild that was killed or crashed. If it says how far it got (``resume.json``, written
after each batch the build committed, see indexer.py), the next rebuild carries on from
there; any other is removed the next time the index is opened or rebuilt — at once, not
after an hour. (Where the OS has no ``flock``, a folder is taken for abandoned only when it
has not changed for an hour.)
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

BUILD_PREFIX = "index.build-"
LOCK_SUFFIX = ".lock"
RESUME_FILE = "resume.json"
ABANDONED_BUILD_SECONDS = 3600


def _lock_path(build: Path) -> Path:
    return build.with_name(build.name + LOCK_SUFFIX)


@contextmanager
def claimed(build: Path) -> Iterator[Path]:
    """Hold the build folder's lock for as long as the build runs."""
    fd = os.open(_lock_path(build), os.O_CREAT | os.O_RDWR, 0o600)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield build
    finally:
        os.close(fd)
        _lock_path(build).unlink(missing_ok=True)


def _abandoned(build: Path) -> bool:
    lock = _lock_path(build)
    if fcntl is None or not lock.exists():
        return time.time() - build.stat().st_mtime > ABANDONED_BUILD_SECONDS
    fd = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False  # a rebuild is running (in this process or another)
    finally:
        os.close(fd)
    return True


def resumable(index_folder: Path, usable: Callable[[Path], bool]) -> Path | None:
    """A build folder a killed rebuild left with its progress recorded, and ``usable`` for
    this catalogue and index format, if there is one."""
    for build in sorted(index_folder.parent.glob(BUILD_PREFIX + "*")):
        try:
            if build.is_dir() and usable(build) and _abandoned(build):
                return build
        except OSError:
            continue
    return None


def remove_abandoned(index_folder: Path, keep: Path | None = None) -> list[Path]:
    """Remove the build folders (and their lock files) that no running rebuild holds,
    except ``keep`` (the one a rebuild is about to resume)."""
    removed = []
    for build in index_folder.parent.glob(BUILD_PREFIX + "*"):
        if keep is not None and build in (keep, _lock_path(keep)):
            continue
        try:
            if build.name.endswith(LOCK_SUFFIX):
                if not build.with_name(build.name[: -len(LOCK_SUFFIX)]).exists():
                    build.unlink(missing_ok=True)  # the lock of a folder already gone
                continue
            if _abandoned(build):
                shutil.rmtree(build, ignore_errors=True)
                _lock_path(build).unlink(missing_ok=True)
                removed.append(build)
        except OSError:
            continue
    return removed
