"""Content-addressed store of archived copies: files/ab/cd/abcd... named by SHA-256.

A file is copied to a temporary name while it is hashed, flushed to disk, then renamed into
place, so a crash never leaves a half-written file under a real hash.

``FileStore`` is the one way in: a plain store for an open catalogue, ``SealedFileStore``
for a sealed one, where each copy is encrypted (``security.cipher_files``) and named by a
keyed hash of its SHA-256, so the folder does not even tell whether a known document is in
it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from belarchive.errors import NotFoundError, ValidationError
from belarchive.i18n import _
from belarchive.security import cipher_files

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


def _check_source(source: Path) -> None:
    if not source.exists():
        raise NotFoundError(_("The file {path} does not exist.").format(path=source))
    if not source.is_file():
        raise ValidationError(_("{path} is not a regular file.").format(path=source))


def store(root: Path, source: Path) -> Stored:
    """Copy ``source`` into the store (once per content) and return its hash."""
    _check_source(source)
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
        raise ValidationError(_not_archived(source.name, exc)) from exc


def _not_archived(name: str, exc: OSError) -> str:
    return _("Could not archive {name}: {reason}.").format(name=name, reason=exc.strerror)


@dataclass(frozen=True, slots=True)
class FileProblem:
    sha256: str
    original_name: str
    problem: str  # "missing" or "changed"


class FileStore:
    """The archived copies of one catalogue (``files/``)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, sha256: str) -> Path:
        return blob_path(self.root, sha256)

    def exists(self, sha256: str) -> bool:
        return self.path_of(sha256).exists()

    def store(self, source: Path) -> Stored:
        return store(self.root, source)

    def store_bytes(self, data: bytes, name: str) -> Stored:
        """Archive ``data`` (an embedded copy being imported), through a staged file in
        the store's own folder: never in a system temporary folder."""
        self.root.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".staging-", dir=self.root) as tmp:
            staged = Path(tmp) / (name or "incoming")
            staged.write_bytes(data)
            return self.store(staged)

    def chunks(self, sha256: str) -> Iterator[bytes]:
        """The copy's bytes, in pieces (OSError when it is missing)."""
        with self.path_of(sha256).open("rb") as fh:
            yield from cipher_files.read_pieces(fh, CHUNK)

    def read_bytes(self, sha256: str) -> bytes:
        return b"".join(self.chunks(sha256))

    def status(self, sha256: str) -> str:
        """'ok', 'changed' or 'missing'."""
        if not self.exists(sha256):
            return "missing"
        digest = hashlib.sha256()
        try:
            for piece in self.chunks(sha256):
                digest.update(piece)
        except cipher_files.Tampered:
            return "changed"
        return "ok" if digest.hexdigest() == sha256 else "changed"

    def verify(self, expected: Iterable[tuple[str, str]]) -> list[FileProblem]:
        """Re-hash every stored file; name those that changed or went missing."""
        problems = []
        for sha, name in expected:
            state = self.status(sha)
            if state != "ok":
                problems.append(FileProblem(sha, name, state))
        return problems

    def copy_out(self, sha256: str, target: Path) -> None:
        with target.open("wb") as out:
            for piece in self.chunks(sha256):
                out.write(piece)


class SealedFileStore(FileStore):
    """Archived copies encrypted with the catalogue's files key."""

    def __init__(self, root: Path, files_key: bytes, names_key: bytes) -> None:
        super().__init__(root)
        self._key, self._names = files_key, names_key

    def path_of(self, sha256: str) -> Path:
        import hmac

        name = hmac.new(self._names, sha256.encode("ascii"), hashlib.sha256).hexdigest()
        return blob_path(self.root, name)

    def store(self, source: Path) -> Stored:
        _check_source(source)
        try:
            sha = hash_file(source)
            final = self.path_of(sha)
            if self.status(sha) == "ok":
                return Stored(sha, source.stat().st_size, final, True)
            final.parent.mkdir(parents=True, exist_ok=True)
            with source.open("rb") as src:
                size = cipher_files.write_file(final, self._key, sha, cipher_files.read_pieces(src))
        except OSError as exc:
            raise ValidationError(_not_archived(source.name, exc)) from exc
        return Stored(sha, size, final, False)

    def store_bytes(self, data: bytes, name: str) -> Stored:
        """Encrypted straight from memory: a sealed catalogue never stages an imported copy
        on disk in the clear, not even for a moment."""
        sha = hashlib.sha256(data).hexdigest()
        final = self.path_of(sha)
        if self.status(sha) == "ok":
            return Stored(sha, len(data), final, True)
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            cipher_files.write_file(final, self._key, sha, [data])
        except OSError as exc:
            raise ValidationError(_not_archived(name, exc)) from exc
        return Stored(sha, len(data), final, False)

    def chunks(self, sha256: str) -> Iterator[bytes]:
        # The context is the copy's SHA-256: a copy moved under another's name fails.
        return iter(cipher_files.iter_plain(self.path_of(sha256), self._key, sha256))

    def encrypt_from(self, plain: FileStore, sha256: str) -> None:
        """Seal one copy of an open store (sealing an existing catalogue)."""
        final = self.path_of(sha256)
        final.parent.mkdir(parents=True, exist_ok=True)
        cipher_files.write_file(final, self._key, sha256, plain.chunks(sha256))
