"""A team catalogue's archived copies, kept in its database (db/postgresql/files.sql).

The same contract as the folder store (storage.filestore.FileStore): content-addressed by
SHA-256, stored once, read in pieces, re-hashed by ``verify``. The bytes go in through a
connection of their own, in a transaction of their own, before the attachment row commits:
as with a folder, a copy without its row after a failure is harmless, a row without its
copy would not be. That connection takes no write lock: the writer holding the lock is the
one waiting for these bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from belarchive.storage.filestore import CHUNK, FileStore, Stored, _check_source

_HAS = "SELECT 1 FROM archivedcopy WHERE sha256 = ?"
_CHUNKS = "SELECT chunks FROM archivedcopy WHERE sha256 = ?"
_CHUNK = "SELECT data FROM archivedchunk WHERE sha256 = ? AND n = ?"


class ServerFileStore(FileStore):
    def __init__(self, root: Path, engine: Engine) -> None:
        super().__init__(root)
        self.engine = engine

    def exists(self, sha256: str) -> bool:
        with self.engine.connect() as conn:
            return conn.exec_driver_sql(_HAS, (sha256,)).first() is not None

    def store(self, source: Path) -> Stored:
        _check_source(source)
        digest = hashlib.sha256()
        size = 0
        with source.open("rb") as fh:
            while piece := fh.read(CHUNK):
                digest.update(piece)
                size += len(piece)
        sha = digest.hexdigest()
        if self.exists(sha):
            return Stored(sha, size, source, True)
        with source.open("rb") as fh:
            pieces = iter(lambda: fh.read(CHUNK), b"")
            self._insert(sha, size, pieces)
        return Stored(sha, size, source, False)

    def store_bytes(self, data: bytes, name: str) -> Stored:
        sha = hashlib.sha256(data).hexdigest()
        if self.exists(sha):
            return Stored(sha, len(data), Path(name or sha), True)
        pieces = (data[i : i + CHUNK] for i in range(0, len(data), CHUNK))
        self._insert(sha, len(data), pieces)
        return Stored(sha, len(data), Path(name or sha), False)

    def _insert(self, sha: str, size: int, pieces: Iterable[bytes]) -> None:
        with self.engine.begin() as conn:
            insert_copy(conn, sha, size, pieces)

    def chunks(self, sha256: str) -> Iterator[bytes]:
        """The copy's bytes, one chunk at a time (OSError when it is missing)."""
        with self.engine.connect() as conn:
            row = conn.exec_driver_sql(_CHUNKS, (sha256,)).first()
            if row is None:
                raise FileNotFoundError(sha256)
            for n in range(int(row[0])):
                found = conn.exec_driver_sql(_CHUNK, (sha256, n)).first()
                if found is None:
                    raise FileNotFoundError(f"{sha256} chunk {n}")
                yield bytes(found[0])


def insert_copy(conn: Any, sha: str, size: int, pieces: Iterable[bytes]) -> None:
    """One archived copy's row and its chunks, in the caller's transaction (the store's
    own, or a whole catalogue's copy: services.copying)."""
    conn.exec_driver_sql(
        "INSERT INTO archivedcopy (sha256, size, chunks) VALUES (?, ?, ?)",
        (sha, size, -(-size // CHUNK)),
    )
    for n, piece in enumerate(pieces):
        conn.exec_driver_sql(
            "INSERT INTO archivedchunk (sha256, n, data) VALUES (?, ?, ?)", (sha, n, piece)
        )
