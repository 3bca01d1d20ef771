"""Bulk tag of 10,000 selected events in the GUI at 100k: how long until committed and shown,
and the longest the GUI thread was blocked meanwhile (a 5 ms heartbeat).

    .venv/bin/python -m bench.bench_bulk [--catalogue PATH] [--count 10000] [--search]

The parent copies the catalogue (``bench.synth``'s 100k by default); the child opens it in
the main window as the first admin, selects the first ``--count`` rows of the list, and tags
them through the same path as Edit → Tag selected events (``BulkEdits.run``), then undoes
it. ``--search`` keeps the search index attached, made ready first: a batch of 1,000 or more
is re-indexed by the bulk edit's own process after its commit, and ``searchable_s`` is when
the window's index had taken that up (the heartbeat runs until then).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_review import _until

TARGETS = {"tag_s": 10.0, "tag_max_block_ms": 50.0, "undo_max_block_ms": 50.0}


class Heartbeat:
    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.gaps: list[float] = []
        self.when: list[float] = []
        self.last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self.beat)

    def beat(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self.last) * 1000)
        self.when.append(now)
        self.last = now

    def longest_between(self, start: float, end: float) -> float:
        """The longest gap that ended between ``start`` and ``end`` (perf_counter times)."""
        return max((g for g, t in zip(self.gaps[1:], self.when[1:], strict=True)
                    if start <= t <= end), default=0.0)  # fmt: skip

    def start(self) -> None:
        self.gaps.clear()
        self.when.clear()
        self.last = time.perf_counter()
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        return max(self.gaps[1:], default=0.0)


def child(catalogue: Path, user: str, count: int, search: bool) -> dict[str, float]:
    from PySide6.QtCore import QItemSelection, QItemSelectionModel
    from PySide6.QtWidgets import QApplication

    app = QApplication([sys.argv[0]])
    from belarchive.gui.app import launch

    window = launch(catalogue, user=user, search=search)
    _until(app, lambda: window.browser is not None and window.browser.model.rowCount() > 0)
    browser, ctx = window.browser, window.ctx
    assert browser is not None and ctx is not None
    _until(app, lambda: browser.model.ids is not None, 60)  # the listing's order (< 1 s)
    settle = time.perf_counter() + 3
    _until(app, lambda: time.perf_counter() > settle)
    model = browser.model
    span = QItemSelection(model.index(0, 0), model.index(count - 1, 0))
    select = QItemSelectionModel.SelectionFlag
    flags = select.ClearAndSelect | select.Rows
    browser.table.selectionModel().select(span, flags)
    heart = Heartbeat()
    marks: dict[str, float] = {}
    results: list[object] = []
    committed: list[float] = []
    window.bulk.finished.connect(results.append)
    window.bulk.finished.connect(lambda _r: committed.append(time.perf_counter()))
    heart.start()
    started = time.perf_counter()
    uuids = browser.selected_uuids()
    assert uuids is not None
    marks["select_ms"] = (time.perf_counter() - started) * 1000
    window.bulk.run("tag", "torture", uuids)
    _until(app, lambda: bool(results), 120)
    _until(app, lambda: not ctx.writer.busy, 120)
    marks["tag_s"] = time.perf_counter() - started
    marks["tagged"] = len(results[0].changed)  # type: ignore[attr-defined]
    settle = time.perf_counter() + 2  # the list and the facets re-read after the change
    _until(app, lambda: time.perf_counter() > settle)
    if search:  # the bulk edit's process indexes the batch after its commit
        from belarchive.search import api

        index = api.index_for(ctx.catalogue)
        _until(app, lambda: not index.behind_events, 300)
        marks["searchable_s"] = time.perf_counter() - started
    marks["tag_max_block_ms"] = heart.stop()
    # Where the longest block fell: while the writer worked, or while the window re-read.
    marks["tag_block_writing_ms"] = heart.longest_between(started, committed[0])
    marks["tag_block_rereading_ms"] = heart.longest_between(committed[0], time.perf_counter())
    heart.start()
    started = time.perf_counter()
    window.undo_stack.undo()
    _until(app, lambda: not ctx.writer.busy, 120)
    marks["undo_s"] = time.perf_counter() - started
    if search:
        _until(app, lambda: not index.behind_events, 300)
        marks["undo_searchable_s"] = time.perf_counter() - started
    settle = time.perf_counter() + 2
    _until(app, lambda: time.perf_counter() > settle)
    marks["undo_max_block_ms"] = heart.stop()
    window.shutdown()
    return marks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.bench_bulk")
    parser.add_argument("--catalogue", type=Path, default=None)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--search", action="store_true")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    from bench.bench_gui import default_catalogue, first_admin

    if args.child is not None:
        print(json.dumps(child(args.catalogue, args.child, args.count, args.search)))
        return 0
    source = args.catalogue or default_catalogue()
    work = Path(tempfile.mkdtemp(prefix="bench-bulk-"))
    target = work / "Bench.belarchive"
    ignore = shutil.ignore_patterns("*.lock") if args.search else shutil.ignore_patterns(
        "*.lock", "index")  # fmt: skip
    shutil.copytree(source, target, ignore=ignore)
    from belarchive.services.catalogue import Catalogue
    from bench.synth import PASSPHRASE

    # The synthetic catalogue's users have no passphrase yet: the first sign-in sets it (a
    # write the GUI leaves to its dialog), so it happens here, as in bench_review.
    user = first_admin(target)
    cat = Catalogue.open(target)
    cat.sign_in(user, PASSPHRASE)
    if args.search:
        # The window must find its index ready, as a user's would: an index the window has
        # to rebuild first (the cached catalogue's may be of an older format) would be
        # measured instead of the bulk edit.
        from belarchive.services import search_sync

        search_sync.attach(cat)
        search_sync.detach(cat)
    cat.close()
    env = {"BELARCHIVE_PASSPHRASE": PASSPHRASE, **os.environ,
           "BELARCHIVE_CONFIG_DIR": str(work / "config"),
           "BELARCHIVE_DATA_DIR": str(work / "data")}  # fmt: skip
    if not env.get("DISPLAY"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    command = [sys.executable, "-m", "bench.bench_bulk", "--catalogue", str(target),
               "--child", user, "--count", str(args.count)]  # fmt: skip
    if args.search:
        command.append("--search")
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True,
                         timeout=900)  # fmt: skip
    marks = json.loads(out.stdout.strip().splitlines()[-1])
    for key, value in marks.items():
        target_value = TARGETS.get(key)
        verdict = ("ok" if value <= target_value else "OVER") if target_value else ""
        limit = f"(target < {target_value:g})" if target_value else ""
        print(f"{key:24} {value:10.2f} {limit:18} {verdict}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
