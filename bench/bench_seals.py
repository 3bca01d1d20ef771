"""What binding evidence rows to the audit chain costs one write (issue 16, item 2).

    .venv/bin/python -m bench.bench_seals [--writes 300]

On a fresh catalogue of 200 events with figures, citations and a review, times single-event
edits through the services (each ends by sealing the event), and the seal computation alone
for one event inside a transaction. Target: under 1 ms added per write.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from belarchive.services import events, seals, sources
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventInput, EventPatch, FigureInput, SourceInput
from bench.synth import PASSPHRASE


def _catalogue(root: Path, n: int) -> tuple[Catalogue, list[str]]:
    cat = Catalogue.create(root / "Seals.belarchive", admin="anna", passphrase=PASSPHRASE)
    source = sources.add_source(cat, "anna", SourceInput(title="Viasna", kind="ngo_report")).uuid
    uuids = []
    for i in range(n):
        uuid = events.create_event(cat, "anna", EventInput(
            title=f"Detentions {i}", date="2020-11-08", tags=("detention",), places=("minsk",),
            figures=(FigureInput("detained", 10 + i),)))  .uuid  # fmt: skip
        sources.cite(cat, "anna", uuid, source, quote=f"{10 + i} detained")
        uuids.append(uuid)
    return cat, uuids


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--writes", type=int, default=300)
    args = ap.parse_args()
    cat, uuids = _catalogue(Path(tempfile.mkdtemp()), 200)
    edit_ms, seal_ms = [], []
    for i in range(args.writes):
        uuid = uuids[i % len(uuids)]
        version = events.event_detail(cat, uuid)["version"]
        t = time.perf_counter()
        events.update_event(cat, "anna", uuid, version, EventPatch(description=f"edit {i}"))
        edit_ms.append((time.perf_counter() - t) * 1000)
        with cat.writer.connect() as conn:
            run = seals.sqlalchemy_runner(conn)
            t = time.perf_counter()
            seals.seal_entries(run, [uuid], [])
            seal_ms.append((time.perf_counter() - t) * 1000)
    for name, values in (("whole edit", edit_ms), ("seal alone", seal_ms)):
        q = statistics.quantiles(values, n=20)
        print(f"{name}: p50 {statistics.median(values):.2f} ms, p95 {q[18]:.2f} ms")
    cat.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
