"""A Whoosh storage that keeps a sealed catalogue's index encrypted on disk.

Whoosh reads and writes its files only through a ``Storage`` object, so this is the one
documented layer between Whoosh and the disk for a sealed catalogue:

- a file being written is kept in memory and encrypted into place when Whoosh closes it
  (``cipher_files.write_file``: temporary name, fsync, rename);
- a file is read through ``cipher_files.SealedReader``: random access, one 32 KiB chunk
  decrypted at a time, so memory does not grow with the index;
- ``file_length`` reports the plaintext length, which Whoosh's readers rely on;
- Whoosh's temporary files (posting runs, per-document columns) go to memory instead of the
  system's temporary folder, where they would be plaintext: ``MemoryTempStorage``.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.filedb.structfile import StructFile

from belarchive.security import cipher_files

CONTEXT = "search index"


class _SealOnClose(io.BytesIO):
    def __init__(self, path: Path, key: bytes) -> None:
        super().__init__()
        self._path, self._key = path, key

    def close(self) -> None:
        if not self.closed:
            data = self.getvalue()
            cipher_files.write_file(self._path, self._key, CONTEXT, [data])
        super().close()


class _KeepOnClose(io.BytesIO):
    """A memory file that hands its content to its storage when closed (Whoosh's posting
    pool closes the raw file itself, which RamStorage's own files would lose)."""

    def __init__(self, files: dict[str, bytes], name: str) -> None:
        super().__init__()
        self._files, self._name = files, name

    def close(self) -> None:
        if not self.closed:
            self._files[self._name] = self.getvalue()
        super().close()


class MemoryTempStorage(RamStorage):  # type: ignore[misc]
    def create_file(self, name: str, **kwargs: Any) -> StructFile:
        return StructFile(_KeepOnClose(self.files, name), name=name)

    def open_file(self, name: str, **kwargs: Any) -> StructFile:
        if name not in self.files:
            raise NameError(name)
        return StructFile(io.BytesIO(self.files[name]), name=name, **kwargs)

    def temp_storage(self, name: str | None = None) -> MemoryTempStorage:
        return MemoryTempStorage()


class SealedStorage(FileStorage):  # type: ignore[misc]
    supports_mmap = False

    def __init__(self, path: str, key: bytes, readonly: bool = False) -> None:
        super().__init__(path, supports_mmap=False, readonly=readonly)
        self._key = key

    def create_file(
        self, name: str, excl: bool = False, mode: str = "wb", **kwargs: Any
    ) -> StructFile:
        path = Path(self._fpath(name))
        if excl and path.exists():
            raise FileExistsError(path)
        return StructFile(_SealOnClose(path, self._key), name=name, **kwargs)

    def open_file(self, name: str, **kwargs: Any) -> StructFile:
        reader = cipher_files.open_file(Path(self._fpath(name)), self._key, CONTEXT)
        return StructFile(reader, name=name, **kwargs)

    def file_length(self, name: str) -> int:
        return cipher_files.plain_length(os.path.getsize(self._fpath(name)))

    def temp_storage(self, name: str | None = None) -> MemoryTempStorage:
        return MemoryTempStorage()

    def __reduce__(self) -> tuple[Any, ...]:
        # Whoosh's multi-process writer pickles its storage; a sealed index is built in one
        # process (see indexer), so the key never needs to cross a process boundary.
        raise TypeError("a sealed index storage is not sent to other processes")
