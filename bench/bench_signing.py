"""What signed history costs (issue 10's targets).

    .venv/bin/python -m bench.bench_signing [--events 150000] [--writes 300]

* one write: an event edit through the services, and the Ed25519 signature alone (target:
  signing adds under 2 ms);
* bulk: N events created in batches of 10,000, every audit entry signed (target: 100k in
  under 60 s);
* ``audit verify`` over the whole log, every signature, key and role checked (target:
  300k entries in under 30 s);
* unlocking: the two Argon2id derivations of a sign-in at the production cost (target:
  under 1 s).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from belarchive.security import keys, passphrases
from belarchive.services import audit, events
from belarchive.services.bulk import create_events_bulk
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventInput, EventPatch
from belarchive.storage.engine import raw_connect
from bench import synth
from bench.synth import PASSPHRASE


def _single_writes(cat: Catalogue, n: int) -> None:
    uuid = events.create_event(cat, "bench", EventInput(title="Edited", date="2020")).uuid
    edit_ms = []
    for i in range(n):
        version = events.event_detail(cat, uuid)["version"]
        t = time.perf_counter()
        events.update_event(cat, "bench", uuid, version, EventPatch(description=f"edit {i}"))
        edit_ms.append((time.perf_counter() - t) * 1000)
    signer, digest = cat.signer_for("bench"), "ab" * 32
    t = time.perf_counter()
    for _ in range(10_000):
        signer.sign_hex(digest)
    sign_ms = (time.perf_counter() - t) / 10_000 * 1000
    q = statistics.quantiles(edit_ms, n=20)
    print(f"single edit (signed, 2-3 entries): p50 {statistics.median(edit_ms):.2f} ms, "
          f"p95 {q[18]:.2f} ms")  # fmt: skip
    print(f"one Ed25519 signature: {sign_ms * 1000:.0f} µs")


def _bulk(cat: Catalogue, n: int) -> float:
    inputs = list(synth.generate_inputs(n, 0))
    t = time.perf_counter()
    for start in range(0, n, synth.BATCH):
        create_events_bulk(cat, "bench", inputs[start : start + synth.BATCH])
    took = time.perf_counter() - t
    print(f"bulk: {n:,} events with signed audit entries in {took:.1f} s")
    return took


def _verify(cat: Catalogue) -> None:
    conn = raw_connect(cat.db_path)
    try:
        t = time.perf_counter()
        report = audit.verify_chain(conn)
        took = time.perf_counter() - t
    finally:
        conn.close()
    assert report.ok and report.signatures is not None, report.problem
    print(f"audit verify: {report.checked:,} entries ({report.signatures.signed:,} signed) "
          f"in {took:.1f} s")  # fmt: skip


def _unlock() -> None:
    cost = passphrases.COST
    t = time.perf_counter()
    hashed = passphrases.hash_passphrase("a passphrase of some length")
    hash_s = time.perf_counter() - t
    signer = keys.generate("bench")
    wrapped = keys.wrap(signer, "a passphrase of some length")
    t = time.perf_counter()
    assert passphrases.matches(hashed, "a passphrase of some length")
    keys.unwrap(wrapped, "bench", signer.public_hex, "a passphrase of some length")
    unlock_s = time.perf_counter() - t
    print(f"unlock at {cost}: check + unwrap {unlock_s:.2f} s (one derivation {hash_s:.2f} s)")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=150_000)
    ap.add_argument("--writes", type=int, default=300)
    args = ap.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    _unlock()
    root = Path(tempfile.mkdtemp())
    cat = Catalogue.create(root / "Signing.belarchive", admin="bench", passphrase=PASSPHRASE)
    _single_writes(cat, args.writes)
    _bulk(cat, args.events)
    _verify(cat)
    cat.close()
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
