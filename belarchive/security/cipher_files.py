"""Files encrypted at rest with AES-256-GCM, in chunks, readable at any offset.

A sealed catalogue keeps its archived copies and its search index in this format. It is the
STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár 2015), so a reader can check every
chunk on its own and a truncated, reordered or spliced file fails instead of decrypting to
something else:

- a 16-byte header: ``BELSEAL1`` and 8 random bytes, the nonce prefix of this file;
- then chunks of up to ``CHUNK`` plaintext bytes, each encrypted with the nonce
  ``prefix + index (4 bytes) `` and, as associated data, the header, the file's *context*
  (what it is: an archived copy's SHA-256, "index") and whether it is the last chunk.

Chunks have a fixed size, so the plaintext offset of any byte maps to one chunk: the search
index seeks and reads a few kilobytes without decrypting the rest of a segment.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from belarchive.i18n import _

MAGIC = b"BELSEAL1"
HEADER = 16
CHUNK = 32 * 1024
TAG = 16
SEALED_CHUNK = CHUNK + TAG


class Tampered(Exception):
    """An encrypted file that does not decrypt whole: damaged, cut short or altered."""


def subkey(master: bytes, purpose: str) -> bytes:
    """A 256-bit key for one purpose, so no two uses ever share a key (HKDF-SHA256)."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=f"belarchive sealed catalogue v1: {purpose}".encode())  # fmt: skip
    return hkdf.derive(master)


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + index.to_bytes(4, "big")


def _associated(header: bytes, context: str, last: bool) -> bytes:
    return header + context.encode() + (b"\x01" if last else b"\x00")


def plain_length(sealed_size: int) -> int:
    """The plaintext size of a sealed file of ``sealed_size`` bytes."""
    body = max(sealed_size - HEADER, 0)
    chunks = max(-(-body // SEALED_CHUNK), 1)
    return max(body - TAG * chunks, 0)


def encrypt_chunks(key: bytes, context: str, pieces: Iterable[bytes], out: BinaryIO) -> int:
    """Write ``pieces`` (of any sizes) encrypted to ``out``; returns the plaintext size."""
    aead, prefix = AESGCM(key), os.urandom(8)
    header = MAGIC + prefix
    out.write(header)
    pending, index, total = b"", 0, 0
    for piece in pieces:
        pending += piece
        total += len(piece)
        # Keep one full chunk back: only at the end do we know which chunk is the last.
        while len(pending) > CHUNK:
            chunk, pending = pending[:CHUNK], pending[CHUNK:]
            out.write(
                aead.encrypt(_nonce(prefix, index), chunk, _associated(header, context, False))
            )
            index += 1
    out.write(aead.encrypt(_nonce(prefix, index), pending, _associated(header, context, True)))
    return total


def read_pieces(fh: BinaryIO, size: int = 1 << 20) -> Iterable[bytes]:
    while piece := fh.read(size):
        yield piece


def write_file(path: Path, key: bytes, context: str, pieces: Iterable[bytes]) -> int:
    """Encrypt into ``path`` through a temporary name in the same folder, flushed to disk
    and renamed: a crash or a full disk never leaves a half-written file under the name."""
    fd, tmp_name = tempfile.mkstemp(prefix=".sealing-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            total = encrypt_chunks(key, context, pieces, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return total


class SealedReader(io.RawIOBase):
    """Random-access reading of a sealed file; wrap it in ``io.BufferedReader``."""

    def __init__(self, path: Path, key: bytes, context: str) -> None:
        super().__init__()
        self._fh = open(path, "rb")  # noqa: SIM115 - closed by close()
        self._header = self._fh.read(HEADER)
        if len(self._header) != HEADER or not self._header.startswith(MAGIC):
            self._fh.close()
            raise Tampered(_("{file} is not an encrypted belarchive file.").format(file=path.name))
        self._aead, self._context = AESGCM(key), context
        self._prefix = self._header[len(MAGIC) :]
        sealed_size = os.fstat(self._fh.fileno()).st_size
        self._chunks = max(-(-(sealed_size - HEADER) // SEALED_CHUNK), 1)
        self.length = plain_length(sealed_size)
        self._pos = 0
        self._cached: tuple[int, bytes] = (-1, b"")

    def _chunk(self, index: int) -> bytes:
        if self._cached[0] == index:
            return self._cached[1]
        self._fh.seek(HEADER + index * SEALED_CHUNK)
        sealed = self._fh.read(SEALED_CHUNK)
        last = index == self._chunks - 1
        try:
            plain = self._aead.decrypt(
                _nonce(self._prefix, index), sealed, _associated(self._header, self._context, last)
            )
        except InvalidTag:
            raise Tampered(_("An encrypted file is damaged or altered (a chunk fails).")) from None
        self._cached = (index, plain)
        return plain

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        if self._pos >= self.length:
            return 0
        index, offset = divmod(self._pos, CHUNK)
        data = self._chunk(index)[offset : offset + len(buffer)]
        buffer[: len(data)] = data
        self._pos += len(data)
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.length}[whence]
        self._pos = max(base + offset, 0)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        if not self.closed:
            self._fh.close()
            self._cached = (-1, b"")
        super().close()


def open_file(path: Path, key: bytes, context: str) -> io.BufferedReader:
    return io.BufferedReader(SealedReader(path, key, context), buffer_size=CHUNK)


def read_all(path: Path, key: bytes, context: str) -> bytes:
    """The whole plaintext, every chunk checked (raises Tampered), the last one included:
    its flag is what tells a file cut at a chunk boundary from a whole one."""
    return b"".join(iter_plain(path, key, context))


def iter_plain(path: Path, key: bytes, context: str) -> Iterable[bytes]:
    reader = SealedReader(path, key, context)
    try:
        for index in range(reader._chunks):
            yield reader._chunk(index)
    finally:
        reader.close()


def check_whole(path: Path, key: bytes, context: str) -> None:
    """Decrypt every chunk (raises Tampered): the check that a file was not cut or altered."""
    for _chunk in iter_plain(path, key, context):
        pass
