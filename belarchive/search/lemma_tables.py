"""Compact lemma dictionaries: simplemma's forms kept as sorted 64-bit hashes.

simplemma keeps a language's dictionary as a Python dict of bytes, loaded whole on the
first word looked up: Russian holds 633,000 forms and takes +112 MiB, Ukrainian (which
Belarusian is looked up in) +82 MiB, Greek +31 MiB, English +13 MiB. A window that had
indexed or searched Russian and Belarusian text held ~200 MiB of them for the rest of the
session. Here a dictionary is an array of its forms' 64-bit BLAKE2b hashes, sorted, beside
the index of each form's lemma in the list of distinct lemmas: ~12 MiB for Russian, one
binary search a lookup (~1.2 us). The hash stands for the form: a word outside the
dictionary shares the 64 bits of one inside it about once in 10^13 lookups, and a clash
between two of the dictionary's own forms is refused when the table is made.

A table is made from simplemma's data once (2 s for Russian; the dictionary is let go
again) and kept in the cache folder as a plain binary file (never a pickle: the cache
folder is not trusted to hold code), named by simplemma's version and this format; a
missing or damaged file is made again, and a cache folder that cannot be written only
costs the making at each start.
"""

from __future__ import annotations

import hashlib
import logging
import struct
import sys
import threading
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from pathlib import Path

from belarchive import config
from belarchive.errors import ExportError
from belarchive.outputs import replace_atomically

log = logging.getLogger(__name__)

FORMAT = 1
_MAGIC = b"BELEMMA"
_HEADER = struct.Struct("<7sBIII")  # magic, format, forms, lemmas, bytes of the lemmas


class LemmaTableError(Exception):
    """A table that cannot be made (two forms share a hash) or read (damaged file)."""


def form_hash(form: str) -> int:
    return int.from_bytes(hashlib.blake2b(form.encode(), digest_size=8).digest(), "little")


class LemmaTable:
    """One language's forms (as hashes, sorted) and the lemma of each."""

    def __init__(self, hashes: array[int], lemma_ids: array[int], lemmas: list[str]) -> None:
        self.hashes = hashes
        self.lemma_ids = lemma_ids
        self.lemmas = lemmas

    def get(self, form: str) -> str | None:
        """The lemma of exactly ``form`` (None: not in the dictionary)."""
        h = form_hash(form)
        i = bisect_left(self.hashes, h)
        if i < len(self.hashes) and self.hashes[i] == h:
            return self.lemmas[self.lemma_ids[i]]
        return None

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
        return cls(hashes, array("I", (i for _h, i in rows)), list(distinct))

    def to_bytes(self) -> bytes:
        lemmas = "\n".join(self.lemmas).encode()
        hashes, ids = array("Q", self.hashes), array("I", self.lemma_ids)
        if sys.byteorder == "big":  # the file is little-endian everywhere
            hashes.byteswap()
            ids.byteswap()
        header = _HEADER.pack(_MAGIC, FORMAT, len(hashes), len(self.lemmas), len(lemmas))
        return header + hashes.tobytes() + ids.tobytes() + lemmas

    @classmethod
    def from_bytes(cls, data: bytes) -> LemmaTable:
        try:
            magic, version, forms, count, size = _HEADER.unpack_from(data)
        except struct.error as exc:
            raise LemmaTableError("too short") from exc
        if magic != _MAGIC or version != FORMAT:
            raise LemmaTableError("not a lemma table of this format")
        start = _HEADER.size
        if len(data) != start + 12 * forms + size:
            raise LemmaTableError("its length does not match its header")
        hashes, ids = array("Q"), array("I")
        hashes.frombytes(data[start : start + 8 * forms])
        ids.frombytes(data[start + 8 * forms : start + 12 * forms])
        if sys.byteorder == "big":
            hashes.byteswap()
            ids.byteswap()
        lemmas = data[start + 12 * forms :].decode().split("\n") if count else []
        if len(lemmas) != count or (forms and max(ids) >= count):
            raise LemmaTableError("its lemmas do not match its forms")
        return cls(hashes, ids, lemmas)


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
    except (OSError, LemmaTableError, UnicodeDecodeError) as exc:
        log.warning("lemma table %s unreadable (%s): making it again", path, exc)
    made = make(language)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # A reader sees the old file or the whole new one, never a part of it.
        replace_atomically(path, lambda tmp: tmp.write_bytes(made.to_bytes()))
    except (OSError, ExportError) as exc:
        log.warning("lemma table %s not kept (%s)", path, exc)
    return made


def make(language: str) -> LemmaTable:
    """The table of a language, from simplemma's own dictionary (let go afterwards: its
    factory here keeps nothing)."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    dictionary = DefaultDictionaryFactory(cache_max_size=0).get_dictionary(language)
    return LemmaTable.from_pairs(dictionary.items())
