"""How many heaps the C library's allocator keeps: fewer for the window's process.

glibc gives each thread that allocates a heap ("arena") of its own, up to eight per core.
Memory freed in one arena serves only that arena's threads, and is rarely given back to the
system. The window runs its reads and searches on a pool of threads, so each search's
passing allocations (posting blocks, SQL results, answer lists) landed in another arena and
stayed there: with the 100k catalogue, four searches left the window ~12 MB larger than
with two arenas (`bench_review --search`, docs/performance.md). Python holds its lock
around nearly all of that work, so the threads seldom allocate at the same moment: the
searches' times in the same runs moved within the machine's noise.

``MALLOC_ARENA_MAX`` set by the user wins; other C libraries are left as they are.
"""

from __future__ import annotations

import ctypes
import os
import sys

WINDOW_ARENAS = 2
_M_ARENA_MAX = -8  # glibc's <malloc.h>


def limit_malloc_arenas(count: int = WINDOW_ARENAS) -> bool:
    """Cap glibc's arenas at ``count`` for the threads that allocate from now on; whether
    the cap was set (False: not glibc, or the user chose with ``MALLOC_ARENA_MAX``)."""
    if not sys.platform.startswith("linux") or "MALLOC_ARENA_MAX" in os.environ:
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # no mallopt in this C library
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_ARENA_MAX, count))
