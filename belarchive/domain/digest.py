"""SHA-256 of short texts hashed by the thousand inside one write (seals, the audit chain).

hashlib lets go of the interpreter lock for inputs of 2 KiB or more and takes it back a few
microseconds later. A writer thread doing that for each of 10,000 rows starved the window's
thread: CPython only asks a holder to let go when no other thread has taken the lock during
the last switch interval, and the writer retaking it counts as a switch. The window froze for
50–90 ms at a time during a bulk edit (bench/bench_bulk.py). Hashing in pieces below that
size keeps the lock the whole time, so the writer is asked to let go every 5 ms as for any
Python code. Large files keep hashlib's own way: their release is long and worth it.
"""

from __future__ import annotations

import hashlib

# CPython's HASHLIB_GIL_MINSIZE is 2048: a piece must stay below it.
_PIECE = 2000


def text_sha256(text: str) -> str:
    """The hex SHA-256 of ``text`` in UTF-8."""
    data = text.encode("utf-8")
    if len(data) < _PIECE:
        return hashlib.sha256(data).hexdigest()
    digest = hashlib.sha256()
    view = memoryview(data)
    for start in range(0, len(data), _PIECE):
        digest.update(view[start : start + _PIECE])
    return digest.hexdigest()
