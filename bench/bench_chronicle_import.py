"""Import a 10,000-line chronicle end to end (decode, parse, commit with provenance).

    .venv/bin/python -m bench.bench_chronicle_import [--lines 10000]

The chronicle is the bundled Greek sample repeated with shifted years (so every copy's dates
are distinct events), which keeps the text as irregular as the real thing.
"""

from __future__ import annotations

import argparse
import re
import resource
import tempfile
import time
from pathlib import Path

from belarchive.config import sample_chronicle_path
from belarchive.services.catalogue import Catalogue
from belarchive.services.importing import commit_chronicle, preview_chronicle

_YEAR = re.compile(r"\b2020\b")


def make_chronicle(lines: int, target: Path) -> Path:
    sample = sample_chronicle_path().read_text(encoding="utf-8").splitlines()
    dated_part = sample[: next(i for i, s in enumerate(sample) if s.startswith("Η κυβέρνηση ήδη"))]
    out: list[str] = []
    year = 1900
    while len(out) < lines:
        out.append(f"Χρονικό του {year} .")
        out.extend(_YEAR.sub(str(year), s) for s in dated_part)
        year += 1
    target.write_text("\n".join(out[:lines]) + "\n", encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = make_chronicle(args.lines, Path(tmp) / "chronicle.txt")
        cat = Catalogue.create(Path(tmp) / "Bench.belarchive", admin="bench")
        t0 = time.perf_counter()
        preview = preview_chronicle(cat, path, language="el")
        t1 = time.perf_counter()
        result = commit_chronicle(cat, "bench", preview)
        t2 = time.perf_counter()
        n = len(result.event_uuids)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"chronicle lines            {args.lines:>10,}")
        print(f"file size                  {path.stat().st_size / 1e6:>10.1f} MB")
        print(f"proposed events            {len(preview.events):>10,}")
        print(f"preview (decode+parse)     {t1 - t0:>10.2f} s")
        print(f"commit (one transaction)   {t2 - t1:>10.2f} s")
        print(f"events per second (total)  {n / (t2 - t0):>10.0f}")
        print(f"peak RSS                   {rss:>10.0f} MB")
        cat.close()


if __name__ == "__main__":
    main()
