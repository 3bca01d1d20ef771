"""Structured formats: CSV import of 100,000 rows, CSV export, JSON export/import of 10,000.

Each measured step runs in its own process so that its peak RSS is its own:

    .venv/bin/python -m bench.bench_structured                 # 100k CSV rows, 10k JSON events
    .venv/bin/python -m bench.bench_structured --csv-rows 20000 --json-events 2000

The CSV comes from bench/synth.py's ``generate_inputs`` (Greek, Russian and English events
with tags, places, actors and figures) written with this program's own CSV headers; the
JSON side starts from synth.py's cached catalogue (citations, sources, verification
decisions), copied so the cache is never migrated or changed.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from belarchive.exporting.csv_io import figure_cell
from bench.synth import PASSPHRASE, cached_catalogue, generate_inputs

CSV_HEADERS = (
    "title",
    "date",
    "language",
    "tags",
    "places",
    "actors",
    "detained",
    "detained_qualifier",
    "killed",
    "killed_qualifier",
    "injured",
    "injured_qualifier",
    "participants",
    "participants_qualifier",
    "description",
    "uuid",
)


def make_csv(path: Path, rows: int, seed: int = 0) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(CSV_HEADERS)
        for e in generate_inputs(rows, seed):
            cells: dict[str, Any] = {
                "title": e.title,
                "date": e.date or "",
                "language": e.language,
                "tags": "; ".join(e.tags),
                "places": "; ".join(e.places),
                "actors": "; ".join(f"{a.name} ({a.role})" for a in e.actors),
                "description": e.description,
                "uuid": e.uuid,
            }
            for f in e.figures:  # one figure per kind in the CSV (the highest)
                kind = str(f.kind)
                if kind in CSV_HEADERS and int(cells.get(f"_{kind}", -1)) < f.value_min:
                    cells[f"_{kind}"] = f.value_min
                    cells[kind] = figure_cell(f.value_min, f.value_max)
                    cells[f"{kind}_qualifier"] = str(f.qualifier)
            writer.writerow([cells.get(h, "") for h in CSV_HEADERS])


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- steps (each in a child process) ----------------------------------------------------------
def step_csv_import(csv_path: str, cat_path: str) -> dict[str, Any]:
    from belarchive.importing.csv_io import import_csv, preview_csv
    from belarchive.services.catalogue import Catalogue

    cat = Catalogue.create(Path(cat_path), admin="bench", passphrase=PASSPHRASE)
    start = time.perf_counter()
    preview = preview_csv(Path(csv_path))
    parsed = time.perf_counter() - start
    start = time.perf_counter()
    result = import_csv(cat, "bench", Path(csv_path))
    total = time.perf_counter() - start
    return {
        "rows": len(preview.rows),
        "created": len(result.created),
        "bad_rows": len(result.bad_rows),
        "preview_s": round(parsed, 2),
        "import_s": round(total, 2),
        "events_per_s": round(len(result.created) / total),
        "peak_rss_mb": round(_rss_mb()),
    }


def step_csv_export(cat_path: str, out: str) -> dict[str, Any]:
    from belarchive.exporting.csv_io import export_csv
    from belarchive.services.catalogue import Catalogue

    cat = Catalogue.open(Path(cat_path))
    start = time.perf_counter()
    rows = export_csv(cat, Path(out))
    took = time.perf_counter() - start
    return {
        "rows": rows,
        "export_s": round(took, 2),
        "rows_per_s": round(rows / took),
        "mb": round(Path(out).stat().st_size / 2**20, 1),
        "peak_rss_mb": round(_rss_mb()),
    }


def step_json_export(cat_path: str, out: str) -> dict[str, Any]:
    from belarchive.exporting.json_io import export_json
    from belarchive.services.catalogue import Catalogue

    cat = Catalogue.open(Path(cat_path))
    start = time.perf_counter()
    summary = export_json(cat, Path(out))
    took = time.perf_counter() - start
    return {
        "events": summary.events,
        "sources": summary.sources,
        "history": summary.history,
        "export_s": round(took, 2),
        "events_per_s": round(summary.events / took),
        "mb": round(Path(out).stat().st_size / 2**20, 1),
        "peak_rss_mb": round(_rss_mb()),
    }


def step_json_import(json_path: str, cat_path: str) -> dict[str, Any]:
    from belarchive.importing.json_io import import_json
    from belarchive.services.catalogue import Catalogue

    cat = Catalogue.create(Path(cat_path), admin="importer", passphrase=PASSPHRASE)
    start = time.perf_counter()
    result = import_json(cat, "importer", Path(json_path))
    took = time.perf_counter() - start
    return {
        "events": result.created["events"],
        "history": result.created["history"],
        "import_s": round(took, 2),
        "events_per_s": round(result.created["events"] / took),
        "peak_rss_mb": round(_rss_mb()),
    }


STEPS = {
    "csv-import": step_csv_import,
    "csv-export": step_csv_export,
    "json-export": step_json_export,
    "json-import": step_json_import,
}


def _child(step: str, *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_structured", "--step", step, *args],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"{step:12} {result}", flush=True)
    return result


def _same_but_header(a: Path, b: Path) -> bool:
    def body(p: Path) -> list[bytes]:
        return [ln for ln in p.read_bytes().split(b"\n") if not ln.startswith(b'"header":')]

    return body(a) == body(b)


def run(csv_rows: int, json_events: int) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="bench-structured-"))
    try:
        csv_path = work / "events.csv"
        start = time.perf_counter()
        make_csv(csv_path, csv_rows)
        print(
            f"generated {csv_rows:,} rows ({csv_path.stat().st_size / 2**20:.1f} MB) in "
            f"{time.perf_counter() - start:.1f} s",
            flush=True,
        )
        results = {"csv_import": _child("csv-import", str(csv_path), str(work / "csv.belarchive"))}
        results["csv_export"] = _child(
            "csv-export", str(work / "csv.belarchive"), str(work / "out.csv")
        )
        source = work / "synth.belarchive"
        shutil.copytree(cached_catalogue(json_events), source)  # never migrate the shared cache
        results["json_export"] = _child("json-export", str(source), str(work / "a.json"))
        results["json_import"] = _child(
            "json-import", str(work / "a.json"), str(work / "b.belarchive")
        )
        _child("json-export", str(work / "b.belarchive"), str(work / "b.json"))
        results["json_round_trip_identical"] = _same_but_header(work / "a.json", work / "b.json")
        print(f"round trip identical: {results['json_round_trip_identical']}")
        return results
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.bench_structured")
    parser.add_argument("--csv-rows", type=int, default=100_000)
    parser.add_argument("--json-events", type=int, default=10_000)
    parser.add_argument("--step", choices=sorted(STEPS), help=argparse.SUPPRESS)
    parser.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step:
        print(json.dumps(STEPS[args.step](*args.args)))
        return 0
    run(args.csv_rows, args.json_events)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
