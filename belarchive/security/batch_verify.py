"""Checking a long log's Ed25519 signatures on the other cores while the replay goes on.

``audit verify`` replays the log in order (the chain, who held which key and role), which
must be sequential, and checks one signature per entry, which need not be: each check is a
pure function of (public key, digest, signature). For a long log the signatures go, in
batches, to worker processes (about 70 % of the work at ~50 µs each), and the replay waits
for them only at the end. A short log is checked inline: starting workers would cost more.

The first failing entry is reported whatever the order the batches finish in: batches keep
their place, and a failure is the earliest failing item of the earliest failing batch.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Hashable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from belarchive.security import keys

BATCH = 8_000
WORKERS_FROM = 40_000  # entries; below this, checking inline is faster than starting workers

Item = tuple[str, str, str]  # public key hex, digest hex, signature hex


def first_bad(items: list[Item]) -> int | None:
    """Index of the first item whose signature does not verify (runs in a worker)."""
    for index, (key, digest, signature) in enumerate(items):
        if not keys.signature_ok(key, digest, signature):
            return index
    return None


class SignatureBatches:
    """Collects signatures to check; ``first_failure`` tells the tag of the first bad one."""

    def __init__(self, expected: int) -> None:
        workers = min(2, os.cpu_count() or 1)
        self._pool: ProcessPoolExecutor | None = None
        if expected >= WORKERS_FROM and workers > 1:
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            self._pool = ProcessPoolExecutor(
                workers, mp_context=multiprocessing.get_context(method)
            )
        self._items: list[Item] = []
        self._tags: list[Hashable] = []
        self._running: list[tuple[Future[int | None], list[Hashable]]] = []
        self._failed: Any = None

    def add(self, tag: Hashable, key: str, digest: str, signature: str) -> None:
        if self._failed is not None:
            return  # an earlier entry already failed: later ones cannot be first
        if self._pool is None:
            if not keys.signature_ok(key, digest, signature):
                self._failed = tag
            return
        self._items.append((key, digest, signature))
        self._tags.append(tag)
        if len(self._items) >= BATCH:
            self._submit()

    def _submit(self) -> None:
        assert self._pool is not None
        if self._items:
            future = self._pool.submit(first_bad, self._items)
            self._running.append((future, self._tags))
            self._items, self._tags = [], []
        # Let go of the tags of batches already found good: memory stays at a few batches.
        while self._running and self._running[0][0].done():
            future, tags = self._running.pop(0)
            bad = future.result()
            if bad is not None:
                self._failed = tags[bad]
                self._cancel()
                return

    def first_failure(self) -> Any:
        """Wait for every batch; the tag of the first bad signature, or None."""
        if self._pool is not None and self._failed is None:
            self._submit()
            for future, tags in self._running:
                bad = future.result()
                if bad is not None:
                    self._failed = tags[bad]
                    break
        self._cancel()
        return self._failed

    def _cancel(self) -> None:
        self._running = []
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
