"""Import a chronicle end to end (decode, parse, match, commit with provenance).

    .venv/bin/python -m bench.bench_chronicle_import [--lines 4000] [--style sample|digest]

``sample``: the bundled Greek sample repeated with shifted years (so every copy's dates are
distinct events), as irregular as the real thing. ``digest``: the Russian Markdown day
digest fixture (headings, bullets, news items with source links) repeated the same way.
With ``--twice`` the same chronicle is imported a second time under another name with
``--on-duplicate link``, so every item is matched against the first import's incidents.
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
from bench.synth import PASSPHRASE

_YEAR = re.compile(r"\b2020\b")


DIGEST = Path(__file__).resolve().parents[1] / "tests/fixtures/chronicles/ru-digest-2020-11.md"


def make_chronicle(lines: int, target: Path, style: str = "sample") -> Path:
    if style == "digest":
        text = DIGEST.read_text(encoding="utf-8").splitlines()
        part = text[text.index("# Воскресенье, 1 ноября") :]
        header = "# {year} год"
    else:
        sample = sample_chronicle_path().read_text(encoding="utf-8").splitlines()
        part = sample[: next(i for i, s in enumerate(sample) if s.startswith("Η κυβέρνηση ήδη"))]
        header = "Χρονικό του {year} ."
    out: list[str] = []
    year = 1900
    while len(out) < lines:
        out.append(header.format(year=year))
        out.extend(_YEAR.sub(str(year), s).replace("ноября", f"ноября {year}") for s in part)
        year += 1
    target.write_text("\n".join(out[:lines]) + "\n", encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=4_000)
    parser.add_argument("--style", choices=("sample", "digest"), default="sample")
    parser.add_argument("--twice", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = make_chronicle(args.lines, Path(tmp) / "chronicle.txt", args.style)
        cat = Catalogue.create(Path(tmp) / "Bench.belarchive", admin="bench", passphrase=PASSPHRASE)
        t0 = time.perf_counter()
        preview = preview_chronicle(cat, path)
        t1 = time.perf_counter()
        result = commit_chronicle(cat, "bench", preview, on_duplicate="link")
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
        if args.twice:
            copy = Path(tmp) / "again.md"
            copy.write_text(path.read_text(encoding="utf-8") + "\n\nПовтор.\n", encoding="utf-8")
            t3 = time.perf_counter()
            again = preview_chronicle(cat, copy)
            t4 = time.perf_counter()
            linked = commit_chronicle(cat, "bench", again, on_duplicate="link")
            t5 = time.perf_counter()
            print(f"second import: matched     {len(again.matches):>10,}")
            print(f"second preview (+matching) {t4 - t3:>10.2f} s")
            print(f"second commit (linking)    {t5 - t4:>10.2f} s ({len(linked.linked):,} linked)")
        cat.close()


if __name__ == "__main__":
    main()
