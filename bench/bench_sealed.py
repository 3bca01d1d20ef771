"""What sealing costs (issue 10, item 4's targets), on the cached synthetic catalogue.

    .venv/bin/python -m bench.bench_sealed [--events 100000] [--queries 200]

One copy of the catalogue stays open, another is sealed (``belarchive encrypt``); both get
a fresh index. Then, each in a child process of its own (so peak memory is its own):

* unlocking: the Argon2id derivation that opens the catalogue key (target: under 1 s);
* opening after the passphrase (target: under 2 s for 100k events);
* listing (the first page by date, and the count) and searching (one word, p50/p95):
  sealed within 1.5x of open;
* peak memory (max RSS) of that work: sealed within open + 100 MB.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.synth import PASSPHRASE

ADMIN = "bench"


def _prepare(n: int, root: Path) -> tuple[Path, Path, dict[str, float]]:
    from belarchive.search import api
    from belarchive.services import sealing
    from belarchive.services.catalogue import Catalogue
    from belarchive.services.unlocking import Unlock
    from bench import synth

    cached = synth.cached_catalogue(n)
    plain, sealed = root / "open.belarchive", root / "sealed.belarchive"
    for target in (plain, sealed):
        shutil.copytree(cached, target, ignore=shutil.ignore_patterns("index", "*-wal", "*-shm"))
        (target / "index").mkdir(exist_ok=True)
    times: dict[str, float] = {}
    t = time.perf_counter()
    sealing.seal_existing(sealed, ADMIN, PASSPHRASE)
    times["seal_s"] = time.perf_counter() - t
    with Catalogue.open(plain) as cat:
        t = time.perf_counter()
        api.rebuild_index(cat, procs=1)
        times["rebuild_open_1proc_s"] = time.perf_counter() - t
        t = time.perf_counter()
        api.rebuild_index(cat)
        times["rebuild_open_s"] = time.perf_counter() - t
    with Catalogue.open(sealed, Unlock(ADMIN, PASSPHRASE)) as cat:
        t = time.perf_counter()
        api.rebuild_index(cat, procs=1)
        times["rebuild_sealed_s"] = time.perf_counter() - t
    return plain, sealed, times


def _child(path: Path, sealed: bool, queries: int) -> dict[str, float]:
    """Open, list and search; what it took, and this process's peak memory."""
    from belarchive.search import api
    from belarchive.security import catalogue_keys
    from belarchive.services.catalogue import Catalogue
    from belarchive.services.unlocking import Unlock
    from belarchive.storage import queries as q
    from belarchive.storage.queries import EventFilter

    out: dict[str, float] = {}
    if sealed:
        t = time.perf_counter()
        catalogue_keys.unlock(path, ADMIN, PASSPHRASE)
        out["unlock_s"] = time.perf_counter() - t
    t = time.perf_counter()
    cat = Catalogue.open(path, Unlock(ADMIN, PASSPHRASE) if sealed else None)
    out["open_s"] = time.perf_counter() - t
    out["open_rss_mb"] = _peak_rss_mb()  # a sealed one: Argon2id's 128 MiB included
    _reset_peak_rss()
    list_ms = []
    for _ in range(10):
        t = time.perf_counter()
        with cat.reader.connect() as conn:
            q.list_events(conn, EventFilter(), sort="date", limit=200)
            q.count_events(conn, EventFilter())
        list_ms.append((time.perf_counter() - t) * 1000)
    out["list_p50_ms"] = statistics.median(list_ms)
    words = _words(cat, queries)
    api.search(cat, words[0])  # opens the index
    search_ms = []
    for word in words:
        t = time.perf_counter()
        api.search(cat, word, limit=50)
        search_ms.append((time.perf_counter() - t) * 1000)
    out["search_p50_ms"] = statistics.median(search_ms)
    out["search_p95_ms"] = statistics.quantiles(search_ms, n=20)[18]
    cat.close()
    out["max_rss_mb"] = _peak_rss_mb()
    return out


def _reset_peak_rss() -> None:
    """Linux: writing 5 to clear_refs resets VmHWM, so the listing and searching that
    follow are measured without the unlock's Argon2id memory."""
    Path("/proc/self/clear_refs").write_text("5", encoding="ascii")


def _peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not getrusage's ru_maxrss, which a
    child inherits from the parent that forked it (here: the one that built the indexes)."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _words(cat: object, count: int) -> list[str]:
    import random

    with cat.reader.connect() as conn:  # type: ignore[attr-defined]
        rows = conn.exec_driver_sql("SELECT title FROM event LIMIT 5000").fetchall()
    words = [w for (title,) in rows for w in title.split() if len(w) > 4 and w.isalpha()]
    rng = random.Random(5)
    return [rng.choice(words) for _ in range(count)]


def _run_child(path: Path, sealed: bool, queries: int) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_sealed", "--child", str(path),
         "--queries", str(queries)] + (["--sealed"] if sealed else []),
        capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--child", type=Path)
    parser.add_argument("--sealed", action="store_true")
    parser.add_argument("--workdir", type=Path, help="keep the prepared catalogues here (reused)")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child, args.sealed, args.queries)))
        return
    with tempfile.TemporaryDirectory(prefix="bench-sealed-") as tmp:
        root = args.workdir or Path(tmp)
        plain, sealed = root / "open.belarchive", root / "sealed.belarchive"
        if not (args.workdir and plain.exists() and sealed.exists()):
            root.mkdir(parents=True, exist_ok=True)
            plain, sealed, times = _prepare(args.events, root)
            print(f"{args.events:,} events: sealing took {times['seal_s']:.1f} s; index "
                  f"rebuild open {times['rebuild_open_s']:.1f} s (2 processes), "
                  f"{times['rebuild_open_1proc_s']:.1f} s (1 process); sealed "
                  f"{times['rebuild_sealed_s']:.1f} s (1 process)")  # fmt: skip
        a = _run_child(plain, False, args.queries)
        b = _run_child(sealed, True, args.queries)
    print(f"unlock (Argon2id, production cost): {b['unlock_s']:.2f} s")
    for key, label in (("open_s", "open"), ("open_rss_mb", "peak RSS at open MB"),
                       ("list_p50_ms", "list page + count p50"),
                       ("search_p50_ms", "search p50"), ("search_p95_ms", "search p95"),
                       ("max_rss_mb", "peak RSS list+search MB")):  # fmt: skip
        ratio = b[key] / a[key] if a[key] else float("nan")
        print(f"{label:24} open {a[key]:9.2f}   sealed {b[key]:9.2f}   x{ratio:.2f}")


if __name__ == "__main__":
    main()
