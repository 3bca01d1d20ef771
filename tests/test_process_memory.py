"""The window's cap on glibc's heaps: threads that allocate share the capped arenas."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="glibc's arenas exist on Linux only"
)

# Four threads allocate through the C library itself (ctypes lets go of Python's lock), then
# glibc's malloc_stats() lists one "Arena N:" block per heap on stderr.
_THREADS_ALLOCATE = textwrap.dedent(
    """
    import ctypes, sys, threading
    from belarchive.process_memory import limit_malloc_arenas
    cap = int(sys.argv[1])
    print(limit_malloc_arenas(cap) if cap else "uncapped", flush=True)
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p
    libc.free.argtypes = [ctypes.c_void_p]
    start = threading.Barrier(4)
    def allocate():
        start.wait()
        for _ in range(2000):
            libc.free(libc.malloc(300))
    threads = [threading.Thread(target=allocate) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    libc.malloc_stats()
    """
)


def _arenas(cap: int, env: dict[str, str] | None = None) -> tuple[str, int]:
    run_env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    run_env.update(env or {})
    done = subprocess.run([sys.executable, "-c", _THREADS_ALLOCATE, str(cap)], env=run_env,
                          capture_output=True, text=True, check=True, timeout=60)  # fmt: skip
    if "Arena 0:" not in done.stderr:
        pytest.skip("not glibc: no malloc_stats() report")
    return done.stdout.strip(), done.stderr.count("Arena ")


def test_capped_threads_share_the_arenas():
    answer, capped = _arenas(2)
    assert answer == "True"
    assert capped == 2
    _, uncapped = _arenas(0)
    assert uncapped > 2  # each thread had a heap of its own


def test_the_users_own_setting_wins():
    answer, arenas = _arenas(1, {"MALLOC_ARENA_MAX": "3"})
    assert answer == "False"  # left alone
    assert arenas == 3
