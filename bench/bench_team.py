"""Team-catalogue benchmarks on a PostgreSQL server started for the run on this machine:
bulk creation with audit, open + first page, filtered listings, and several writer
processes at once (no lost write, one valid chain, throughput).

    .venv/bin/python -m bench.bench_team                  # N = 100,000; 5 writers x 2,000
    .venv/bin/python -m bench.bench_team --n 10000 --each 200

The server is the same throwaway cluster the tests start (tests/pg_cluster.py): fsync off,
PostgreSQL's default 128 MB of shared buffers, on the same 2 cores as the benchmark.
Issue 13's targets: first 200 rows < 150 ms, filtered listing p95 < 50 ms, 100k bulk
create < 120 s, 5 writers x 2,000 events with zero lost writes, another member's save
visible in an open window < 2 s.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import synth
from bench.bench_core import Report, _batches, _latencies, pct, timed, varied_filters
from bench.bulk_status import set_status_bulk

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import pg_cluster  # noqa: E402  (the tests' own cluster helper)
import team_support  # noqa: E402

from belarchive.services import users  # noqa: E402
from belarchive.services.audit import verify_chain  # noqa: E402
from belarchive.services.bulk import create_events_bulk  # noqa: E402
from belarchive.services.bulk_citations import add_sources_bulk, cite_bulk  # noqa: E402
from belarchive.services.team import create_team, open_team  # noqa: E402
from belarchive.storage import queries  # noqa: E402
from belarchive.storage.queries import EventFilter  # noqa: E402

PASSPHRASE = team_support.PASSPHRASE


def bench_create(report: Report, address: str, n: int, seed: int) -> None:
    inputs = list(synth.generate_inputs(n, seed))
    cat = create_team(address, passphrase=PASSPHRASE)
    users.add_user(cat, cat.member or "", synth.REVIEWER, "reviewer", PASSPHRASE)
    cat.sign_in(synth.REVIEWER, PASSPHRASE)
    admin = cat.member or ""
    start = time.perf_counter()
    for batch in _batches(iter(inputs), synth.BATCH):
        create_events_bulk(cat, admin, batch)
    report.add(f"bulk create {n:,} events with audit", time.perf_counter() - start, "s", 120.0,
               f"{synth.BATCH:,} per transaction")  # fmt: skip
    sources = synth.generate_sources(max(1, n // 20), seed)
    citations = synth.generate_citations(inputs, sources, seed)
    start = time.perf_counter()
    add_sources_bulk(cat, admin, sources)
    for i in range(0, len(citations), 20_000):
        cite_bulk(cat, admin, citations[i : i + 20_000])
    decisions = synth.plan_statuses(citations, inputs, seed)
    for i in range(0, len(decisions), 20_000):
        set_status_bulk(cat, synth.REVIEWER, decisions[i : i + 20_000])
    report.add(f"sources, {len(citations):,} citations, {len(decisions):,} decisions",
               time.perf_counter() - start, "s")  # fmt: skip
    with cat.writer.connect() as conn:  # what the server's autovacuum would soon do
        conn.exec_driver_sql("COMMIT")
        conn.exec_driver_sql("ANALYZE")
    cat.close()


def bench_listing(report: Report, address: str, runs: int = 7) -> None:
    first: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        cat = open_team(address)
        with cat.reader.connect() as conn:
            rows = queries.list_events(conn, EventFilter(), sort="date", limit=200)
        first.append((time.perf_counter() - start) * 1000)
        assert len(rows) == 200
        cat.close()
    report.add("open + first 200 rows p50 (new connection)", pct(first, 0.5), target=150.0)
    cat = open_team(address)
    with cat.reader.connect() as conn:
        page = [timed(lambda: queries.list_events(conn, EventFilter(), limit=200))
                for _ in range(runs)]  # fmt: skip
        report.add("first 200 rows, open catalogue p50", pct(page, 0.5), target=150.0)
        filters = varied_filters(50)
        latencies = _latencies(conn, filters, lambda c, f: queries.list_events(c, f, limit=200))
        counts = _latencies(conn, filters, queries.count_events)
        report.add("filtered first 200 rows p50", pct(latencies, 0.5))
        report.add("filtered first 200 rows p95", pct(latencies, 0.95), target=50.0)
        report.add("count of filtered set p95", pct(counts, 0.95))
    cat.close()


def bench_writers(report: Report, cluster: pg_cluster.Cluster, database: str, each: int) -> None:
    admin = open_team(cluster.address(database, team_support.ADMIN, PASSPHRASE))
    admin.sign_in(team_support.ADMIN, PASSPHRASE)
    writers = ["w1", "w2", "w3", "w4", "w5"]
    for name in writers:
        users.add_user(admin, team_support.ADMIN, name, "archivist", PASSPHRASE)
    with admin.reader.connect() as conn:
        before = int(conn.exec_driver_sql("SELECT count(*) FROM event").scalar() or 0)
    data = Path(tempfile.mkdtemp(prefix="bench-team-desks-"))
    spawn = multiprocessing.get_context("spawn")
    start = time.perf_counter()
    with spawn.Pool(len(writers)) as pool:
        jobs = [
            pool.apply_async(
                team_support.write_events,
                (cluster.address(database, w, PASSPHRASE), w, each, str(data / w)),
            )
            for w in writers
        ]
        made = [job.get(timeout=3600) for job in jobs]
    seconds = time.perf_counter() - start
    with admin.reader.connect() as conn:
        after = int(conn.exec_driver_sql("SELECT count(*) FROM event").scalar() or 0)
        chain = verify_chain(conn)
    lost = len(writers) * each - (after - before)
    report.add(f"{len(writers)} writers x {each:,} events, one transaction each", seconds, "s",
               note=f"{len(writers) * each / seconds:,.0f} events/s")  # fmt: skip
    report.add("lost writes", float(lost), "", 0.0)
    report.add("audit chain valid (1 = yes)", float(chain.ok), "",
               note=f"{chain.checked:,} entries")  # fmt: skip
    assert all(len(m) == each for m in made)
    admin.close()


def bench_live(report: Report, cluster: pg_cluster.Cluster, database: str, saves: int = 40) -> None:
    """From the moment another desktop starts a save to the moment this desktop's listeners
    hold it (services.live; the window's refresh then follows on the GUI thread). The save
    itself is in it: the announcement goes out at its commit."""
    import queue

    from belarchive.services import events
    from belarchive.services.inputs import EventInput
    from belarchive.services.live import ChangeFeed

    watcher = open_team(cluster.address(database, "w1", PASSPHRASE))
    writer = open_team(cluster.address(database, "w2", PASSPHRASE))
    writer.sign_in("w2", PASSPHRASE)
    arrived: queue.Queue[tuple[float, frozenset[str]]] = queue.Queue()
    watcher.add_listener(lambda change: arrived.put((time.perf_counter(), change.created)))
    online: queue.Queue[bool] = queue.Queue()
    feed = ChangeFeed(watcher, on_status=online.put)
    feed.start()
    assert online.get(timeout=30)
    delays = []
    for i in range(saves):
        saved = time.perf_counter()
        uuid = events.create_event(writer, "w2", EventInput(title=f"live {i}")).uuid
        while True:
            at, created = arrived.get(timeout=10)
            if uuid in created:
                delays.append((at - saved) * 1000)
                break
        time.sleep(0.05)
    feed.stop()
    watcher.close()
    writer.close()
    report.add("save on one desktop to heard on another, p50", pct(delays, 0.5),
               note=f"{saves} saves")  # fmt: skip
    report.add("save on one desktop to heard on another, p95", pct(delays, 0.95), target=2000.0)


def bench_window(
    report: Report,
    cluster: pg_cluster.Cluster,
    database: str,
    members: tuple[str, str],
    saves: int = 20,
) -> None:
    """From another desktop starting a save to the row being listed in an open window (Qt,
    offscreen), on the big catalogue: the feed, the window's refresh of its list and facets,
    all of it. ``members``: who watches, who writes."""
    watching, writing = members
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from belarchive.gui.app import setup_application
    from belarchive.gui.context import AppContext
    from belarchive.gui.main_window import MainWindow
    from belarchive.gui.settings import GuiSettings
    from belarchive.gui.views.browser import COLUMNS
    from belarchive.services import events
    from belarchive.services.inputs import EventInput

    app = QApplication.instance() or QApplication([])
    settings = GuiSettings(Path(tempfile.mkdtemp()) / "gui.ini")
    setup_application(app, settings)  # type: ignore[arg-type]
    watcher = open_team(cluster.address(database, watching, PASSPHRASE))
    watcher.sign_in(watching, PASSPHRASE)
    window = MainWindow(settings)
    window.attach(AppContext(watcher, watching, "admin", window))
    window.resize(1366, 740)
    window.show()
    writer = open_team(cluster.address(database, writing, PASSPHRASE))
    writer.sign_in(writing, PASSPHRASE)
    column = COLUMNS.index("title")

    def listed(title: str) -> bool:
        model = window.browser.model  # type: ignore[union-attr]
        return any(
            model.index(r, column).data() == title for r in range(min(model.rowCount(), 400))
        )

    def until(done: Any, limit_s: float = 10.0) -> None:
        end = time.perf_counter() + limit_s
        while not done() and time.perf_counter() < end:
            app.processEvents()  # type: ignore[union-attr]
            time.sleep(0.001)

    until(lambda: window.ctx is not None and window.ctx._feed.online)  # type: ignore[union-attr]
    delays = []
    for i in range(saves):
        title = f"Window live {i}"
        start = time.perf_counter()
        events.create_event(writer, writing, EventInput(title=title, date="2022-06-01"))
        until(lambda title=title: listed(title))  # type: ignore[misc]
        delays.append((time.perf_counter() - start) * 1000)
    window.shutdown()
    window.close()
    writer.close()
    report.add("save on one desktop to listed in another's window, p50", pct(delays, 0.5),
               note=f"{saves} saves, offscreen Qt")  # fmt: skip
    report.add(
        "save on one desktop to listed in another's window, p95", pct(delays, 0.95), target=2000.0
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--each", type=int, default=2_000, help="events per writer process")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    os.environ.setdefault("BELARCHIVE_DATA_DIR", tempfile.mkdtemp(prefix="bench-team-data-"))
    report = Report(args.n)
    print(f"load before: {os.getloadavg()}", file=sys.stderr)
    cluster = pg_cluster.start_cluster(shared_buffers="128MB")  # PostgreSQL's own default
    try:
        listing_db = team_support.new_database(cluster)
        bench_create(report, listing_db, args.n, args.seed)
        bench_listing(report, listing_db)
        writers_db = team_support.new_database(cluster)
        team_support.Team(cluster, writers_db).close()
        bench_writers(report, cluster, writers_db.rsplit("/", 1)[1], args.each)
        bench_live(report, cluster, writers_db.rsplit("/", 1)[1])
        bench_window(report, cluster, listing_db.rsplit("/", 1)[1],
                     (team_support.ADMIN, synth.REVIEWER))  # fmt: skip
    finally:
        cluster.remove()
    print(f"load after: {os.getloadavg()}", file=sys.stderr)
    print(report.table())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
