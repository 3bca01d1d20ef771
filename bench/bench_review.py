"""Review queue, evidence viewer and map at 100k events: how fast the next event shows, how
fast a 50-page PDF's first page shows, how fast the map follows a filter, and the memory.

    .venv/bin/python -m bench.bench_review [--catalogue PATH] [--steps 60] [--search]

The parent copies the catalogue (the synthetic 100k one of ``bench.synth`` by default),
archives a 50-page report into it through the services, then runs the measurements in a
child process, as the user ``bench.synth`` creates (an admin, so a reviewer). Offscreen
unless DISPLAY is set.

Measures:
* queue_open_ms: the queue window asked for -> its list read and the first event shown;
* next_p50_ms / next_p95_ms: Ctrl+Down -> the next event's page and actions on screen;
* viewer_first_page_ms (median of 5): the viewer asked for -> page 1 of the PDF painted;
* map_p50_ms / map_p95_ms: a tag facet ticked or unticked -> the map's new totals painted;
  map_tick_p50_ms / map_tick_max_ms: the ticks alone (a selection the map has not seen);
  map_untick_max_ms: back to the whole catalogue (totals the map keeps);
  map_month_status_tick_max_ms: months and statuses ticked (their selections read in SQL);
* peak_rss_mb: the GUI process with the main window, the queue, a viewer and the map open
  (peak_after_*_mb: the peak so far after each step);
  with ``--search``, the window also has the search index open and has searched once in
  each interface language's script (search_<language>_ms: the query typed -> answered).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"next_p95_ms": 100.0, "viewer_first_page_ms": 500.0, "map_p95_ms": 150.0,
           "map_tick_max_ms": 150.0,
           "peak_rss_mb": 450.0}  # fmt: skip
PAGES = 50


def make_report(path: Path, pages: int = PAGES) -> Path:
    """A text-heavy report: each page a full column of lines, as a monitoring report is."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), pagesize=A4)
    line = "Detentions were reported in Minsk, Grodno, Brest and Gomel; lawyers were refused "
    for number in range(1, pages + 1):
        canvas.setFont("Helvetica", 9)
        for row in range(70):
            canvas.drawString(40, 800 - row * 11, f"{number}.{row} {line}")
        canvas.showPage()
    canvas.save()
    return path


def archive_report(catalogue: Path, work: Path, user: str) -> None:
    """Attach the report to the source of the first event waiting for review."""
    from belarchive.services import sources
    from belarchive.services.catalogue import Catalogue
    from belarchive.storage.detail import load_event_detail
    from belarchive.storage.review import waiting_for_review
    from bench.synth import PASSPHRASE

    cat = Catalogue.open(catalogue)
    try:
        cat.sign_in(user, PASSPHRASE)
        with cat.session() as session:
            first = waiting_for_review(session.connection())[0].uuid
            detail = load_event_detail(session, first)
        if not detail.citations:
            raise SystemExit("the first event waiting for review cites no source")
        report = make_report(work / "monthly-report.pdf")
        sources.attach_file(cat, user, detail.citations[0].source.uuid, report)
    finally:
        cat.close()


def build_index(catalogue: Path, user: str, env: dict[str, str]) -> None:
    """The catalogue's search index, built before the window opens (as on a machine that has
    used the catalogue before), with the child's folders: the lemma tables it makes are
    the ones the window then reads from its cache, as at every start after the first."""
    os.environ.update({k: env[k] for k in ("BELARCHIVE_CONFIG_DIR", "BELARCHIVE_DATA_DIR")})
    from belarchive.search import api
    from belarchive.services import search_sync
    from belarchive.services.catalogue import Catalogue
    from bench.synth import PASSPHRASE

    cat = Catalogue.open(catalogue)
    try:
        cat.sign_in(user, PASSPHRASE)
        search_sync.attach(cat)
        for query in SEARCHES.values():
            api.search(cat, query)  # makes each language's lemma table
        search_sync.detach(cat)
    finally:
        cat.close()


def _until(app: object, done: object, limit: float = 30.0) -> float:
    """Process events until ``done()``; the milliseconds it took."""
    started = time.perf_counter()
    while not done():  # type: ignore[operator]
        app.processEvents()  # type: ignore[attr-defined]
        if time.perf_counter() - started > limit:
            raise TimeoutError(f"the GUI did not answer within {limit:g} s")
        time.sleep(0.0005)
    return (time.perf_counter() - started) * 1000


# One search per script of the interface languages (the lemma tables and word families of
# each are loaded by the first); words the synthetic catalogue holds.
SEARCHES = {"el": "συλλήψεις", "ru": "задержания", "be": "затрыманні", "en": "detained"}


def child(catalogue: Path, user: str, steps: int, search: bool = False) -> dict[str, float]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication([sys.argv[0]])
    from belarchive.gui.app import launch

    window = launch(catalogue, user=user, search=search)
    _until(app, lambda: window.browser is not None and window.browser.model.rowCount() > 0)
    marks: dict[str, float] = {}
    # The first listing's background reads (order, facet counts) finish first: a reviewer
    # opens the queue on a settled window, and the pool would otherwise serve those first.
    settle = time.perf_counter() + 3
    _until(app, lambda: time.perf_counter() > settle)
    started = time.perf_counter()
    marks["peak_after_open_mb"] = _peak_mb()
    window.open_review_queue()
    queue = window.review_queue
    _until(app, lambda: queue.detail is not None)
    marks["queue_open_ms"] = (time.perf_counter() - started) * 1000
    marks["waiting"] = queue.model.rowCount()
    timings = []
    for _ in range(steps):
        before = queue.detail
        started = time.perf_counter()
        QTest.keyClick(queue.list, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
        _until(app, lambda b=before: queue.detail is not b)  # type: ignore[misc]
        queue.page.viewport().repaint()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    marks["next_p50_ms"] = statistics.median(timings)
    marks["next_p95_ms"] = timings[max(0, int(len(timings) * 0.95) - 1)]
    marks["peak_after_queue_mb"] = _peak_mb()
    marks.update(viewer_first_page(app, window, queue))
    marks["peak_after_viewers_mb"] = _peak_mb()
    marks.update(map_redraw(app, window))
    if search:
        marks["peak_after_map_mb"] = _peak_mb()
        marks.update(searches(app, window))
    marks["peak_rss_mb"] = _peak_mb()
    window.shutdown()
    return marks


def _peak_mb() -> float:
    """The process's peak resident memory so far (where it grew: the marks between steps)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def searches(app: object, window: object) -> dict[str, float]:
    """Type a query in each language into the window's search box: the time until it is
    answered (the index opened first, off the GUI thread)."""
    box = window.browser.search  # type: ignore[attr-defined]
    answers: list[object] = []
    box.answered.connect(answers.append)
    marks = {}
    for language, query in SEARCHES.items():
        answers.clear()
        started = time.perf_counter()
        box.set_query(query)
        _until(app, lambda: bool(answers), limit=120.0)
        marks[f"search_{language}_ms"] = (time.perf_counter() - started) * 1000
        marks[f"search_{language}_total"] = float(answers[-1].total)  # type: ignore[attr-defined]
    return marks


def viewer_first_page(app: object, window: object, queue: object) -> dict[str, float]:
    from belarchive.gui.evidence.viewer import open_viewer

    cat = window.ctx.catalogue  # type: ignore[attr-defined]
    queue.show_row(0)  # type: ignore[attr-defined]
    _until(app, lambda: queue.detail is not None and queue.row() == 0)  # type: ignore[attr-defined]
    _until(app, lambda: queue.detail.uuid == queue.current_uuid())  # type: ignore[attr-defined]
    citation = next(c for c in queue.detail.citations if c.source.attachments)  # type: ignore[attr-defined]
    attachment = citation.source.attachments[-1]
    # Opened five times for a median, one at a time: the memory target is for the
    # window with a viewer open, and five rendered A4 pages side by side add ~40 MB.
    timings, viewer = [], None
    for _ in range(5):
        if viewer is not None:
            viewer.close()
        started = time.perf_counter()
        viewer = open_viewer(cat, attachment, "", None)
        _until(app, lambda v=viewer: v.pane is not None and v.pane.canvas.pixmap() is not None
               and not v.pane.canvas.pixmap().isNull())  # type: ignore[misc]  # fmt: skip
        timings.append((time.perf_counter() - started) * 1000)
    pages = viewer.pane.pages.count  # type: ignore[union-attr]
    return {"viewer_first_page_ms": statistics.median(timings), "viewer_pages": pages}


def map_redraw(app: object, window: object) -> dict[str, float]:
    """Tick and untick tag facets with the map in front: each change timed until the map
    has its new totals and has painted them. A tick asks for a selection the map has not
    seen; an untick goes back to the whole catalogue, whose totals the map keeps until the
    catalogue changes: both are reported, and apart."""
    dock = window.map_dock  # type: ignore[attr-defined]
    dock.raise_()
    view, facets = dock.widget(), window.browser.facets  # type: ignore[attr-defined]
    keys = [k for k in facets._items if k[0] == "tags"][:10]
    # Months and statuses: the map leaves those selections to SQL (storage.map_selection).
    others = [k for k in facets._items if k[0] in ("months", "statuses")][:6]
    done: list[int] = []
    view.loaded.connect(lambda: done.append(1))
    timings: dict[bool, list[float]] = {True: [], False: []}
    by_sql: list[float] = []
    for section, key in keys + others:
        for on in (True, False):
            done.clear()
            started = time.perf_counter()
            facets.tick(section, key, on)
            _until(app, lambda: bool(done))
            view.canvas.repaint()
            took = (time.perf_counter() - started) * 1000
            if (section, key) in others:
                by_sql += [took] if on else []
            else:
                timings[on].append(took)
    every = sorted(timings[True] + timings[False])
    ticks = sorted(timings[True])
    return {"map_p50_ms": statistics.median(every),
            "map_p95_ms": every[max(0, int(len(every) * 0.95) - 1)],
            "map_tick_p50_ms": statistics.median(ticks),
            "map_tick_max_ms": ticks[-1],
            "map_untick_max_ms": max(timings[False]),
            "map_month_status_tick_max_ms": max(by_sql, default=0.0),
            "map_places": len(view.canvas.totals)}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.bench_review")
    parser.add_argument("--catalogue", type=Path, default=None)
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--search", action="store_true",
                        help="also open the search index (built first) and search")  # fmt: skip
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    from bench.bench_gui import default_catalogue, first_admin

    if args.child is not None:
        print(json.dumps(child(args.catalogue, args.child, args.steps, args.search)))
        return 0
    source = args.catalogue or default_catalogue()
    work = Path(tempfile.mkdtemp(prefix="bench-review-"))
    target = work / "Bench.belarchive"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.lock", "index"))
    from bench.synth import PASSPHRASE

    user = first_admin(target)
    archive_report(target, work, user)
    env = {"BELARCHIVE_PASSPHRASE": PASSPHRASE, **os.environ,
           "BELARCHIVE_CONFIG_DIR": str(work / "config"),
           "BELARCHIVE_DATA_DIR": str(work / "data")}  # fmt: skip
    if args.search:
        build_index(target, user, env)
    if not env.get("DISPLAY"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = subprocess.run([sys.executable, "-m", "bench.bench_review", "--catalogue", str(target),
                          "--child", user, "--steps", str(args.steps),
                          *(["--search"] if args.search else [])], env=env,
                         stdout=subprocess.PIPE, text=True, check=True, timeout=900)  # fmt: skip
    marks = json.loads(out.stdout.strip().splitlines()[-1])
    for key, value in marks.items():
        target_value = TARGETS.get(key)
        verdict = ("ok" if value <= target_value else "OVER") if target_value else ""
        limit = f"(target < {target_value:g})" if target_value else ""
        print(f"{key:24} {value:10.1f} {limit:18} {verdict}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
