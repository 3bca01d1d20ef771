"""Benchmark the chronicle parser: sample-like chronicles of growing size.

    .venv/bin/python bench/bench_chronicle_parse.py [--lines 10000 50000]

Prints lines, events, wall and CPU seconds, and lines per CPU second. The text is the
sample's 57 dated lines repeated (dense: an entry every three lines, figures, places,
names), followed once by the thematic part — a worst case for entries per line.
"""

from __future__ import annotations

import argparse
import time

from belarchive.config import sample_chronicle_path
from belarchive.importing.chronicle import decode_text, parse_chronicle


def make_text(lines: int) -> str:
    sample = sample_chronicle_path().read_text(encoding="utf-8").split("\n")
    chronicle, background = sample[:57], sample[57:]
    body = (chronicle * (lines // len(chronicle) + 1))[: max(0, lines - len(background))]
    return "\n".join(body + background)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, nargs="*", default=[1_000, 10_000, 50_000])
    args = parser.parse_args()
    parse_chronicle("warm-up")  # vocabularies load once per process
    print(
        f"{'lines':>8} {'events':>7} {'decode s':>9} {'wall s':>7} {'cpu s':>6} {'lines/cpu s':>12}"
    )
    for count in args.lines:
        text = make_text(count)
        data = text.encode("cp1253")  # exercise legacy-encoding detection too
        t0 = time.perf_counter()
        decoded = decode_text(data)
        decode_s = time.perf_counter() - t0
        wall, cpu = time.perf_counter(), time.process_time()
        report = parse_chronicle(decoded.text, year=2020)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"{report.line_count:>8} {len(report.events):>7} {decode_s:>9.2f} {wall:>7.2f} "
              f"{cpu:>6.2f} {report.line_count / cpu:>12,.0f}")  # fmt: skip


if __name__ == "__main__":
    main()
