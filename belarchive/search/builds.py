"""Folders of index rebuilds in progress, and the ones a killed rebuild left behind.

A rebuild writes into ``index.build-<id>`` beside the live index and holds an OS lock on
``index.build-<id>.lock`` while it works. A folder whose lock nobody holds was left by a
rebuild that was killed or crashed, and is removed the next time the index is opened or
rebuilt — at once, not after an hour. (Where the OS has no ``flock``, a folder is taken for
abandoned only when it has not changed for an hour.)
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

BUILD_PREFIX = "index.build-"
LOCK_SUFFIX = ".lock"
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


def remove_abandoned(index_folder: Path) -> list[Path]:
    """Remove the build folders (and their lock files) that no running rebuild holds."""
    removed = []
    for build in index_folder.parent.glob(BUILD_PREFIX + "*"):
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
