"""Where a copy handed to an outside viewer (a PDF reader, an image viewer) is written.

A viewer needs a file. For an open catalogue it is a private temporary folder. For a sealed
catalogue the decrypted copy must never reach the disk, so it goes to a memory-backed
folder (``/dev/shm`` or the session's runtime folder, both tmpfs on Linux): it is gone at
power-off, and belarchive removes it when it exits. Where no such folder exists, a sealed
catalogue refuses to hand copies to outside viewers rather than leave plaintext on disk.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from belarchive.errors import CatalogueError
from belarchive.i18n import _

_MADE: list[Path] = []


def _memory_backed() -> Path | None:
    candidates = [Path("/dev/shm"), Path(os.environ.get("XDG_RUNTIME_DIR", "/nonexistent"))]
    for folder in candidates:
        if folder.is_dir() and os.access(folder, os.W_OK) and _is_tmpfs(folder):
            return folder
    return None


def _is_tmpfs(folder: Path) -> bool:
    try:
        mounts = Path("/proc/mounts").read_text(encoding="utf-8").splitlines()
    except OSError:
        return False
    best = ("", "")
    for line in mounts:
        parts = line.split()
        if len(parts) > 2 and str(folder).startswith(parts[1]) and len(parts[1]) > len(best[0]):
            best = (parts[1], parts[2])
    return best[1] in ("tmpfs", "ramfs")


def viewing_folder(sealed: bool) -> Path:
    """A new private folder (mode 0700) for one copy; removed when belarchive exits."""
    parent = None
    if sealed:
        parent = _memory_backed()
        if parent is None:
            raise CatalogueError(
                _(
                    "This catalogue is sealed, and this system has no memory-backed folder for a "
                    "viewer's copy (/dev/shm): opening it outside belarchive would leave it "
                    "readable on disk. Save a copy to a place you choose instead."
                )
            )
    folder = Path(tempfile.mkdtemp(prefix="belarchive-view-", dir=parent))
    _MADE.append(folder)
    return folder


@atexit.register
def remove_all() -> None:
    while _MADE:
        shutil.rmtree(_MADE.pop(), ignore_errors=True)
