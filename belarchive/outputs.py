"""One guard for every file the program writes outside a catalogue's own bookkeeping.

Exports (JSON, CSV), dossiers, backups and copies of archived files go through
``output_path``: it resolves the path (``~``, ``..``, symbolic links) and refuses any place
inside a catalogue folder — the database, ``catalogue.json``, the index and the files store
are evidence, and an export written over one of them would destroy it while reporting
success. Files are then written under a temporary name beside the target and renamed into
place (``write_atomically``, ``replace_atomically``): a failed or cancelled write never
leaves a truncated file under the real name, and an existing file is replaced only whole.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, TypeVar

from belarchive.errors import ExportError, is_disk_full
from belarchive.i18n import _

T = TypeVar("T")
CATALOGUE_DB = "catalogue.sqlite"


def catalogue_folder_of(path: Path) -> Path | None:
    """The catalogue folder that ``path`` (resolved) lies in, or None."""
    for folder in (path, *path.parents):
        if (folder / CATALOGUE_DB).is_file():
            return folder
    return None


def output_path(path: Path | str, *, what: str, allow: Path | None = None) -> Path:
    """The resolved place to write ``what`` ("the dossier", "the export"), or ExportError.

    ``allow`` is the one folder inside a catalogue that may receive the file (a catalogue's
    own ``backups/`` for its backups).
    """
    raw = Path(path).expanduser()
    if raw.is_dir():
        raise ExportError(
            _("{path} is a folder; give a file name for {what} inside it.").format(
                path=raw, what=what
            )
        )
    try:
        target = raw.resolve()
    except (OSError, RuntimeError) as exc:  # a symbolic-link loop
        raise ExportError(
            _("Cannot use {path} for {what}: {reason}.").format(path=raw, what=what, reason=exc)
        ) from exc
    inside = catalogue_folder_of(target.parent)
    allowed = allow is not None and target.parent == allow.expanduser().resolve()
    if inside is not None and not allowed:
        raise ExportError(
            _(
                "Refusing to write {what} to {path}: it is inside the catalogue folder "
                "{folder}, which holds the evidence. Choose a place outside it."
            ).format(what=what, path=target, folder=inside)
        )
    folder = target.parent
    if not folder.is_dir():
        raise ExportError(
            _("Cannot write {what}: the folder {folder} does not exist.").format(
                what=what, folder=folder
            )
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(
            _("Cannot write {what}: no permission to write in {folder}.").format(
                what=what, folder=folder
            )
        )
    if target.exists() and not os.access(target, os.W_OK):
        raise ExportError(
            _("Cannot write {what}: {path} exists and is read-only.").format(what=what, path=target)
        )
    return target


def replace_atomically(path: Path, produce: Callable[[Path], T], *, suffix: str = ".part") -> T:
    """``produce(tmp)`` writes a temporary file beside ``path``; it then replaces ``path``."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    except OSError as exc:
        raise ExportError(
            _("Cannot write to {folder}: {reason}.").format(
                folder=path.parent, reason=exc.strerror or exc
            )
        ) from exc
    os.close(fd)
    tmp = Path(name)
    try:
        result = produce(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if is_disk_full(exc):
            raise ExportError(
                _(
                    "The disk holding {folder} is full: {name} was not written (an older file "
                    "of that name is unchanged). Free some space and try again."
                ).format(folder=path.parent, name=path.name)
            ) from exc
        raise ExportError(
            _("Cannot write {path}: {reason}.").format(path=path, reason=exc.strerror or exc)
        ) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return result


def write_atomically(
    path: Path, write: Callable[[IO[str]], T], *, encoding: str = "utf-8", newline: str = "\n"
) -> T:
    """Text through ``write(fh)`` into a temporary file beside ``path``, then renamed."""

    def produce(tmp: Path) -> T:
        with tmp.open("w", encoding=encoding, newline=newline) as fh:
            return write(fh)

    return replace_atomically(path, produce, suffix="")


def safe_file_name(name: str, fallback: str) -> str:
    """A stored original name as a plain file name: no folders, no "..", nothing hidden."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip().lstrip(".")
    cleaned = "".join(c for c in base if c.isprintable() and c not in '<>:"|?*')
    return cleaned[:200] or fallback
