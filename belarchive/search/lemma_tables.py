"""Compact lemma dictionaries: simplemma's forms kept as sorted 64-bit hashes.

simplemma keeps a language's dictionary as a Python dict of bytes, loaded whole on the
first word looked up: Russian holds 633,000 forms and takes +112 MiB, Ukrainian (which
Belarusian is looked up in) +82 MiB, Greek +31 MiB, English +13 MiB. A window that had
indexed or searched Russian and Belarusian text held ~200 MiB of them for the rest of the
session. Here a dictionary is an array of its forms' 64-bit BLAKE2b hashes, sorted, beside
the index of each form's lemma among the distinct lemmas, kept as one block of UTF-8 with
their offsets: ~9 MiB for Russian, one binary search a lookup (~1.2 us). The hash stands
for the form: a word outside the dictionary shares the 64 bits of one inside it about once
in 10^13 lookups, and a clash between two of the dictionary's own forms is refused when the
table is made.

A table is made from simplemma's data once (2 s for Russian; the dictionary is let go
again) and kept in the cache folder as a plain binary file (never a pickle: the cache
folder is not trusted to hold code), named by simplemma's version and this format, and
checked by its length and a CRC before use; a missing or damaged file is made again, and
a cache folder that cannot be written only costs the making at each start.
"""

from __future__ import annotations

import hashlib
import logging
import struct
import sys
import threading
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from pathlib import Path

from belarchive import config
from belarchive.errors import ExportError
from belarchive.outputs import replace_atomically

log = logging.getLogger(__name__)

# 2: the lemmas as one UTF-8 block with offsets, not a list of strings (~14 MiB less for
# the four languages, read in a few milliseconds), and a CRC of the file's body.
FORMAT = 2
_MAGIC = b"BELEMMA"
# magic, format, forms, lemmas, bytes of the lemmas, CRC-32 of everything after the header
_HEADER = struct.Struct("<7sBIIII")


class LemmaTableError(Exception):
    """A table that cannot be made (two forms share a hash) or read (damaged file)."""


def form_hash(form: str) -> int:
    return int.from_bytes(hashlib.blake2b(form.encode(), digest_size=8).digest(), "little")


class LemmaTable:
    """One language's forms (as hashes, sorted) and the lemma of each: lemma ``i`` is
    ``text[offsets[i]:offsets[i + 1]]``."""

    def __init__(self, hashes: array[int], lemma_ids: array[int], offsets: array[int],
                 text: bytes) -> None:  # fmt: skip
        self.hashes = hashes
        self.lemma_ids = lemma_ids
        self.offsets = offsets
        self.text = text

    def get(self, form: str) -> str | None:
        """The lemma of exactly ``form`` (None: not in the dictionary)."""
        h = form_hash(form)
        i = bisect_left(self.hashes, h)
        if i < len(self.hashes) and self.hashes[i] == h:
            return self.lemma(self.lemma_ids[i])
        return None

    def lemma(self, index: int) -> str | None:
        if index + 1 >= len(self.offsets):  # a file that passed its checks but lies
            return None
        found = self.text[self.offsets[index] : self.offsets[index + 1]]
        return found.decode("utf-8", "replace") or None

    def lookup(self, token: str) -> str | None:
        """simplemma's dictionary lookup of ``token``: as given, then with its first
        letter's case turned (``DictionaryLookupStrategy.get_lemma``)."""
        found = self.get(token)
        if found:
            return found
        other = token.lower() if token[:1].isupper() else token.capitalize()
        return self.get(other) or None

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]]) -> LemmaTable:
        distinct: dict[str, int] = {}
        rows = sorted(
            (form_hash(form), distinct.setdefault(lemma, len(distinct)))
            for form, lemma in pairs
            if lemma  # simplemma treats an empty lemma as not found
        )
        hashes = array("Q", (h for h, _i in rows))
        if any(hashes[i] == hashes[i - 1] for i in range(1, len(hashes))):
            raise LemmaTableError("two forms of the dictionary share a 64-bit hash")
        encoded = [lemma.encode() for lemma in distinct]
        offsets = array("I", [0])
        for lemma in encoded:
            offsets.append(offsets[-1] + len(lemma))
        return cls(hashes, array("I", (i for _h, i in rows)), offsets, b"".join(encoded))

    def to_bytes(self) -> bytes:
        hashes, ids, offsets = (array("Q", self.hashes), array("I", self.lemma_ids),
                                array("I", self.offsets))  # fmt: skip
        if sys.byteorder == "big":  # the file is little-endian everywhere
            for numbers in (hashes, ids, offsets):
                numbers.byteswap()
        body = hashes.tobytes() + ids.tobytes() + offsets.tobytes() + self.text
        lemmas = len(self.offsets) - 1
        header = _HEADER.pack(_MAGIC, FORMAT, len(hashes), lemmas, len(self.text),
                              zlib.crc32(body))  # fmt: skip
        return header + body

    @classmethod
    def from_bytes(cls, data: bytes) -> LemmaTable:
        try:
            magic, version, forms, count, size, crc = _HEADER.unpack_from(data)
        except struct.error as exc:
            raise LemmaTableError("too short") from exc
        if magic != _MAGIC or version != FORMAT:
            raise LemmaTableError("not a lemma table of this format")
        body = memoryview(data)[_HEADER.size :]
        if len(body) != 12 * forms + 4 * (count + 1) + size:
            raise LemmaTableError("its length does not match its header")
        if zlib.crc32(body) != crc:
            raise LemmaTableError("its contents do not match their checksum")
        hashes, ids, offsets = array("Q"), array("I"), array("I")
        hashes.frombytes(body[: 8 * forms])
        ids.frombytes(body[8 * forms : 12 * forms])
        text_at = 12 * forms + 4 * (count + 1)
        offsets.frombytes(body[12 * forms : text_at])
        if sys.byteorder == "big":
            for numbers in (hashes, ids, offsets):
                numbers.byteswap()
        return cls(hashes, ids, offsets, bytes(body[text_at:]))


class _Simplemma:
    """simplemma's own dictionary, for a version whose forms a table cannot hold."""

    def __init__(self, language: str) -> None:
        self.language = language

    def lookup(self, token: str) -> str | None:
        import simplemma

        if not simplemma.is_known(token, self.language):
            return None
        return simplemma.lemmatize(token, self.language)  # type: ignore[no-any-return]


Lookup = LemmaTable | _Simplemma
_tables: dict[str, Lookup] = {}
_lock = threading.Lock()


def table(language: str) -> Lookup:
    """The dictionary of a simplemma language: its table, read from the cache folder or
    made once (simplemma's own dictionary if no table can hold it)."""
    with _lock:
        found = _tables.get(language)
        if found is None:
            try:
                found = _load(language)
            except LemmaTableError as exc:
                log.warning("no lemma table for %s (%s): simplemma's dictionary", language, exc)
                found = _Simplemma(language)
            _tables[language] = found
        return found


def _path(language: str) -> Path:
    import simplemma

    version = getattr(simplemma, "__version__", "unknown")
    return config.cache_dir() / "lemmas" / f"{language}-simplemma-{version}-{FORMAT}.bin"


def _load(language: str) -> LemmaTable:
    path = _path(language)
    try:
        return LemmaTable.from_bytes(path.read_bytes())
    except FileNotFoundError:
        pass
    except (OSError, LemmaTableError) as exc:
        log.warning("lemma table %s unreadable (%s): making it again", path, exc)
    made = make(language)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # A reader sees the old file or the whole new one, never a part of it.
        replace_atomically(path, lambda tmp: tmp.write_bytes(made.to_bytes()))
    except (OSError, ExportError) as exc:
        log.warning("lemma table %s not kept (%s)", path, exc)
    else:
        _remove_stale(path, language)
    return made


def _remove_stale(kept: Path, language: str) -> None:
    """The language's tables of other simplemma versions or formats: never read again."""
    for other in kept.parent.glob(f"{language}-simplemma-*.bin"):
        if other != kept:
            other.unlink(missing_ok=True)


def make(language: str) -> LemmaTable:
    """The table of a language, from simplemma's own dictionary (let go afterwards: its
    factory here keeps nothing)."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    dictionary = DefaultDictionaryFactory(cache_max_size=0).get_dictionary(language)
    return LemmaTable.from_pairs(dictionary.items())
