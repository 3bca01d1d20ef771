"""Content-addressed store of archived copies: files/ab/cd/abcd... named by SHA-256.

A file is copied to a temporary name while it is hashed, flushed to disk, then renamed into
place, so a crash never leaves a half-written file under a real hash.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from belarchive.errors import NotFoundError, ValidationError

CHUNK = 1 << 20


def blob_path(root: Path, sha256: str) -> Path:
    return root / sha256[:2] / sha256[2:4] / sha256


def hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Stored:
    sha256: str
    size: int
    path: Path
    already_present: bool


def store(root: Path, source: Path) -> Stored:
    """Copy ``source`` into the store (once per content) and return its hash."""
    if not source.exists():
        raise NotFoundError(f"The file {source} does not exist.")
    if not source.is_file():
        raise ValidationError(f"{source} is not a regular file.")
    root.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", dir=root)
    tmp = Path(tmp_name)
    try:
        with source.open("rb") as src, os.fdopen(fd, "wb") as out:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        final = blob_path(root, sha)
        if final.exists() and hash_file(final) == sha:
            tmp.unlink()
            return Stored(sha, size, final, True)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, final)
        return Stored(sha, size, final, False)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ValidationError(f"Could not archive {source.name}: {exc.strerror}.") from exc


@dataclass(frozen=True, slots=True)
class FileProblem:
    sha256: str
    original_name: str
    problem: str  # "missing" or "changed"


def verify(root: Path, expected: Iterable[tuple[str, str]]) -> list[FileProblem]:
    """Re-hash every stored file; name those that changed or went missing."""
    problems: list[FileProblem] = []
    for sha, name in expected:
        path = blob_path(root, sha)
        if not path.exists():
            problems.append(FileProblem(sha, name, "missing"))
        elif hash_file(path) != sha:
            problems.append(FileProblem(sha, name, "changed"))
    return problems
