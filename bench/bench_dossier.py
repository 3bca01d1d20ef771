"""Benchmark PDF dossiers: 1,000 and 10,000 incidents from a synthetic catalogue.

    .venv/bin/python bench/bench_dossier.py [--sizes 1000 10000] [--keep DIR] [--no-render]
    .venv/bin/python -m bench.bench_dossier --synth    # on bench/synth.py's cached catalogues
    .venv/bin/python -m bench.bench_dossier --synth --pseudonymise  # + the leak scan

Builds one synthetic catalogue through the services (bulk path for events, one
transaction for citations) — or, with --synth, uses bench/synth.py's cached catalogue of
each size (three languages, realistic distribution) — then builds each dossier in a fresh
child process so its peak memory (ru_maxrss) is the dossier's alone, and renders every
page with pdftoppm.
Targets: 1,000 < 10 s; 10,000 < 90 s with peak < 500 MB; every page renders.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from belarchive.config import sample_chronicle_path
from belarchive.services import sources, users, verification
from belarchive.services.bulk import create_events_bulk
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import ActorInput, EventInput, FigureInput, SourceInput
from belarchive.services.sources import add_citation
from bench.synth import PASSPHRASE

_PSEUDO_ENV = "BELARCHIVE_BENCH_PSEUDONYMISE"
START = date(2020, 8, 9)
PER_DAY = 10  # 10,000 events over 1,000 days: 1,000 events = the first 100 days
TAGS = (
    "detention",
    "death",
    "torture",
    "police_violence",
    "abduction",
    "intimidation",
    "forced_exile",
    "protest",
)
PLACES = ("minsk", "grodno", "brest", "gomel", "mogilev", "vitebsk", "okrestina", "lida")
QUALIFIERS = ("exact", "at_least", "approximately", "more_than")
NAMES = ("Ράμαν Μπαντάρενκα", "Роман Бондаренко", "Ольга Ковалькова", "Марыя Калеснікава")


def _sentences() -> list[str]:
    text = sample_chronicle_path().read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if len(line.strip()) > 40]


def synth_inputs(n: int, seed: int = 7) -> list[EventInput]:
    rnd = random.Random(seed)
    lines = _sentences()
    out = []
    for i in range(n):
        day = START + timedelta(days=i // PER_DAY)
        body = " ".join(rnd.sample(lines, 3))
        figures = [FigureInput("detained", rnd.randint(1, 400), qualifier=rnd.choice(QUALIFIERS))]
        if rnd.random() < 0.05:
            figures.append(FigureInput("killed", 1))
        actors = (ActorInput(rnd.choice(NAMES), role="victim"),) if rnd.random() < 0.2 else ()
        out.append(
            EventInput(
                title=f"{body[:60].rstrip()} ({i + 1})",
                date=day.isoformat(),
                description=body,
                language="el",
                tags=(rnd.choice(TAGS),),
                places=(rnd.choice(PLACES),),
                actors=actors,
                figures=tuple(figures),
            )
        )
    return out


def build_catalogue(root: Path, n: int) -> Path:
    path = root / "Bench.belarchive"
    cat = Catalogue.create(path, admin="anna", passphrase=PASSPHRASE)
    users.add_user(cat, "anna", "rita", "reviewer", PASSPHRASE)
    cat.sign_in("rita", PASSPHRASE)
    srcs = []
    for k in range(20):
        sid = sources.add_source(
            cat,
            "anna",
            SourceInput(
                title=f"Χρονικό {k + 1}: καταγραφή συλλήψεων",
                kind="ngo_report",
                publisher="Viasna",
                url=f"https://spring96.org/el/news/{k}",
                published="2020-11-09",
                reliability="B",
            ),
        ).uuid
        blob = root / f"source-{k}.html"
        blob.write_bytes(f"<html>archived copy {k}</html>".encode())
        sources.attach_file(cat, "anna", sid, blob)
        srcs.append(sid)
    t = time.perf_counter()
    change = create_events_bulk(cat, "anna", synth_inputs(n))
    uuids = sorted(change.created)
    with cat.write("anna") as uow:
        for i, u in enumerate(uuids):
            add_citation(
                uow, u, srcs[i % len(srcs)], quote="τουλάχιστον 340 συλλήψεις", credibility=2
            )
    for u in uuids[:20]:  # a few verified entries, through the real workflow
        verification.set_status(cat, "anna", u, "in_review")
        verification.set_status(cat, "rita", u, "verified")
    print(f"catalogue: {n} events in {time.perf_counter() - t:.1f} s", flush=True)
    cat.close()
    return path


def run_one(cat_path: Path, n: int, out: Path, synth: bool) -> dict[str, object]:
    """In the child process: build one dossier, report time, peak memory, size, pages."""
    from belarchive.exporting.pdf import DossierOptions, build_dossier

    cat = Catalogue.open(cat_path)
    author = "bench" if synth else "anna"  # the export is audited, signed by its author
    cat.sign_in(author, PASSPHRASE)
    # Our own catalogue holds the largest size: the first n events are the first n/10 days.
    date_to = None if synth else START + timedelta(days=n // PER_DAY - 1)
    pseudonymise = os.environ.get(_PSEUDO_ENV) == "1"
    opts = DossierOptions(
        template="chronicle", lang="el", user=author, date_to=date_to, pseudonymise=pseudonymise
    )
    t = time.perf_counter()
    result = build_dossier(cat, opts, out)
    seconds = time.perf_counter() - t
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak_mb = usage.ru_maxrss / 1024
    # CPU time too: on a shared machine wall time also measures the neighbours.
    cpu = usage.ru_utime + usage.ru_stime
    return {
        "incidents": result.incidents,
        "seconds": round(seconds, 1),
        "cpu_s": round(cpu, 1),
        "pages": result.pages,
        "peak_mb": round(peak_mb),
        "size_mb": round(out.stat().st_size / 2**20, 1),
    }


def render_all(pdf: Path, pages: int, work: Path) -> str:
    """Render every page at 20 dpi, two processes; return stderr (empty = no error)."""
    half = pages // 2
    procs = [
        subprocess.Popen(
            [
                "pdftoppm",
                "-png",
                "-r",
                "20",
                "-f",
                str(a),
                "-l",
                str(b),
                str(pdf),
                str(work / f"p{a}"),
            ],
            stderr=subprocess.PIPE,
        )
        for a, b in ((1, half), (half + 1, pages))
        if a <= b
    ]
    errors = b"".join(p.communicate()[1] for p in procs).decode()
    rendered = len(list(work.glob("p*.png")))
    if rendered != pages:
        errors += f"\nrendered {rendered} of {pages} pages"
    return errors.strip()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--keep", type=Path, default=None)
    ap.add_argument("--no-render", action="store_true")
    ap.add_argument("--synth", action="store_true", help="use bench/synth.py's catalogues")
    ap.add_argument(
        "--pseudonymise", action="store_true", help="victims and witnesses as pseudonyms"
    )
    ap.add_argument(
        "--child", nargs=4, metavar=("CAT", "N", "OUT", "SYNTH"), help=argparse.SUPPRESS
    )
    args = ap.parse_args()
    if args.pseudonymise:
        os.environ[_PSEUDO_ENV] = "1"  # read by the child processes
    if args.child:
        cat, n, out, synth = args.child
        print(json.dumps(run_one(Path(cat), int(n), Path(out), synth == "1")))
        return
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-dossier-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        cat_path = root / "Bench.belarchive"
        if not args.synth and not cat_path.exists():
            build_catalogue(root, max(args.sizes))
        for n in args.sizes:
            if args.synth:
                from bench.synth import cached_catalogue

                cat_path = cached_catalogue(n)
            out = root / f"dossier-{n}.pdf"
            proc = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    str(cat_path),
                    str(n),
                    str(out),
                    "1" if args.synth else "0",
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            row = json.loads(proc.stdout.strip().splitlines()[-1])
            if not args.no_render:
                work = root / f"render-{n}"
                shutil.rmtree(work, ignore_errors=True)
                work.mkdir()
                t = time.perf_counter()
                errors = render_all(out, int(row["pages"]), work)
                row["render_s"] = round(time.perf_counter() - t, 1)
                row["render_errors"] = errors or "none"
                shutil.rmtree(work, ignore_errors=True)
            print(json.dumps(row), flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
