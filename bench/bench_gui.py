"""GUI benchmark: start-up, 100k-event browsing, filter latency, scroll smoothness, memory.

    .venv/bin/python -m bench.synth --n 100000 --out /tmp/synth100k.belarchive   # once
    .venv/bin/python -m bench.bench_gui --catalogue /tmp/synth100k.belarchive

The parent process copies the catalogue (the app writes a lock file and may write), then runs
one child process per measurement so that start-up is measured cold, from process spawn.
Without ``--catalogue`` the cached synthetic catalogue of ``bench.synth`` is used.
Runs offscreen unless DISPLAY is set (use xvfb-run for a real X server).

Measures:
* window shown: spawn -> first paint of the main window (empty shell, before heavy imports);
* usable: spawn -> the table shows its first rows of the 100k catalogue;
* filter change: facet tick -> count + first page on screen (p50/p95 over many facets);
* facet counts: the background recount of the sidebar after a filter change;
* scroll: the longest gap of a 5 ms GUI-thread heartbeat while scrolling top -> bottom;
* peak RSS of the GUI process.
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

TARGETS = {"window_shown_s": 0.5, "usable_s": 2.0, "filter_p95_ms": 150.0,
           "scroll_max_block_ms": 50.0, "peak_rss_mb": 400.0}  # fmt: skip


def child(catalogue: Path, spawned: float) -> dict[str, float]:
    """Runs inside the measured process: everything after spawn counts."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication([sys.argv[0]])
    from belarchive.gui.app import launch

    marks: dict[str, float] = {}

    class FirstPaint(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if (event.type() == QEvent.Type.Paint and "window_shown_s" not in marks
                    and obj.objectName() == "mainWindow"):  # fmt: skip
                marks["window_shown_s"] = time.time() - spawned
            return False

    # Installed on the application before launch(): the window paints inside launch().
    painter = FirstPaint()
    app.installEventFilter(painter)
    window = launch(catalogue, user=first_admin(catalogue), search=False)

    def usable() -> None:
        browser = window.browser
        if browser is None or browser.model.rowCount() == 0:
            QTimer.singleShot(5, usable)
            return
        browser.table.viewport().repaint()  # paints (and fetches) the first visible rows
        marks["usable_s"] = time.time() - spawned
        QTimer.singleShot(0, lambda: measure(window, app, marks))

    QTimer.singleShot(0, usable)
    QTimer.singleShot(300_000, app.quit)
    app.exec()
    window.shutdown()
    return marks


def first_admin(catalogue: Path) -> str:
    """The user to work as (no user dialog in a benchmark): the catalogue's first admin."""
    import sqlite3

    with sqlite3.connect(catalogue / "catalogue.sqlite") as conn:
        row = conn.execute("SELECT name FROM user WHERE role = 'admin' ORDER BY id").fetchone()
    return str(row[0])


def _settle(app: object, seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.005)


def measure(window: object, app: object, marks: dict[str, float]) -> None:
    import resource

    browser = window.browser  # type: ignore[attr-defined]
    _settle(app, 1.5)  # the background order and facet counts of the first listing land
    marks.update(filter_latency(browser, app))
    marks.update(scroll_blocks(browser, app))
    marks["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    app.quit()  # type: ignore[attr-defined]


def filter_latency(browser: object, app: object) -> dict[str, float]:
    """Tick and untick facets; each change is timed until its first page is painted."""
    facets = browser.facets  # type: ignore[attr-defined]
    keys = [k for k in facets._items if k[0] in ("tags", "statuses", "places")][:40]
    timings, counts = [], []
    loaded: list[int] = []
    browser.facets_loaded.connect(lambda: loaded.append(1))  # type: ignore[attr-defined]
    for section, key in keys:
        for on in (True, False):
            started = time.perf_counter()
            facets.tick(section, key, on)
            browser.table.viewport().repaint()  # type: ignore[attr-defined]
            timings.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            loaded.clear()
            while not loaded and time.perf_counter() - started < 10:
                app.processEvents()  # type: ignore[attr-defined]
                time.sleep(0.001)
            counts.append((time.perf_counter() - started) * 1000)
    timings.sort()
    counts.sort()
    return {"filter_p50_ms": statistics.median(timings),
            "filter_p95_ms": timings[int(len(timings) * 0.95) - 1],
            "filter_changes": len(timings),
            "facet_counts_p50_ms": statistics.median(counts),
            "facet_counts_p95_ms": counts[int(len(counts) * 0.95) - 1]}  # fmt: skip


def scroll_blocks(browser: object, app: object) -> dict[str, float]:
    """Scroll top -> bottom a screenful at a time while a 5 ms heartbeat measures gaps."""
    import gc

    from PySide6.QtCore import QTimer

    pauses: list[float] = []
    began: list[float] = []

    def collecting(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            began.append(time.perf_counter())
        elif began:
            pauses.append((time.perf_counter() - began.pop()) * 1000)

    gc.callbacks.append(collecting)

    gaps: list[float] = []
    last = [time.perf_counter()]

    def beat() -> None:
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000)
        last[0] = now

    heart = QTimer()
    heart.setInterval(5)
    heart.timeout.connect(beat)
    bar = browser.table.verticalScrollBar()  # type: ignore[attr-defined]
    bar.setValue(0)
    heart.start()
    started = time.perf_counter()
    steps = 0
    # A long drag: 400 positions spread over the whole range, each painted.
    for i in range(401):
        bar.setValue(bar.maximum() * i // 400)
        steps += 1
        end = time.perf_counter() + 0.012
        while time.perf_counter() < end:
            app.processEvents()  # type: ignore[attr-defined]
    heart.stop()
    gc.callbacks.remove(collecting)
    gaps = gaps[1:]
    return {"scroll_max_block_ms": max(gaps) if gaps else 0.0,
            "scroll_gc_max_ms": max(pauses, default=0.0), "scroll_gc_runs": len(pauses),
            "scroll_p99_gap_ms": sorted(gaps)[int(len(gaps) * 0.99) - 1] if gaps else 0.0,
            "scroll_positions": steps, "scroll_s": time.perf_counter() - started}  # fmt: skip


def default_catalogue() -> Path:
    cached = Path("/tmp/belarchive-synth/synth-100000-s0.belarchive")
    if cached.exists():
        return cached
    subprocess.run([sys.executable, "-m", "bench.synth", "--n", "100000"], check=True)
    return cached


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.bench_gui")
    parser.add_argument("--catalogue", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=3, help="cold starts to measure")
    parser.add_argument("--child", type=float, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        print(json.dumps(child(args.catalogue, args.child)))
        return 0
    source = args.catalogue or default_catalogue()
    work = Path(tempfile.mkdtemp(prefix="bench-gui-"))
    target = work / "Bench.belarchive"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.lock", "index"))
    from belarchive.services.catalogue import Catalogue
    from bench.synth import PASSPHRASE

    # The synthetic catalogue's users have no passphrase yet: the first sign-in sets it (a
    # write the GUI leaves to its dialog, which offscreen would wait unseen), so it is here.
    cat = Catalogue.open(target)
    cat.sign_in(first_admin(target), PASSPHRASE)
    cat.close()

    # The user signs in without a dialog (offscreen, a dialog would wait for ever).
    env = {"BELARCHIVE_PASSPHRASE": PASSPHRASE, **os.environ,
           "BELARCHIVE_CONFIG_DIR": str(work / "config"),
           "BELARCHIVE_DATA_DIR": str(work / "data")}  # fmt: skip
    if not env.get("DISPLAY"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    results = []
    for _ in range(args.runs):
        spawned = time.time()
        out = subprocess.run([sys.executable, "-m", "bench.bench_gui", "--catalogue", str(target),
                              "--child", repr(spawned)], env=env, capture_output=True,
                             text=True, check=True, timeout=600)  # fmt: skip
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    best = {k: statistics.median(r[k] for r in results) for k in results[0]}
    for key, value in best.items():
        target_value = TARGETS.get(key)
        verdict = ("ok" if value <= target_value else "OVER") if target_value else ""
        limit = f"(target < {target_value:g})" if target_value else ""
        print(f"{key:24} {value:10.3f} {limit:18} {verdict}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
