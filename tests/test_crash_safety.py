"""A process killed in the middle of writing leaves a consistent catalogue that passes check."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from support import PASSPHRASE

from belarchive.services import maintenance
from belarchive.services.catalogue import Catalogue
from belarchive.storage import queries

WRITER = textwrap.dedent("""
    import sys
    from belarchive.services.catalogue import Catalogue
    from belarchive.services import bulk, events
    from belarchive.services.inputs import EventInput, FigureInput
    import os
    cat = Catalogue.open(sys.argv[1])
    cat.sign_in("anna", os.environ["BELARCHIVE_PASSPHRASE"])
    if sys.argv[2] == "many":
        n = 0
        while True:
            events.create_event(cat, "anna", EventInput(title=f"E{n}", date="2020-11-08",
                                tags=("detention",), figures=(FigureInput("detained", n),)))
            n += 1
            print(n, flush=True)
    else:
        def progress(done, total):
            print("progress", done, flush=True)
        inputs = [EventInput(title=f"Bulk {i}", date="2020-12-06", places=("minsk",))
                  for i in range(200_000)]
        bulk.create_events_bulk(cat, "anna", inputs, progress=progress)
        print("committed", flush=True)
""")


def _run_and_kill(cat_path: Path, mode: str, after_lines: int) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(cat_path), mode],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    seen = [proc.stdout.readline().strip() for _ in range(after_lines)]
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    return seen


def _consistent(path: Path) -> int:
    cat = Catalogue.open(path)
    try:
        report = maintenance.check(cat)
        assert report.ok, (report.database_messages, report.audit)
        with cat.reader.connect() as conn:
            n = queries.count_events(conn, queries.EventFilter())
            logged = conn.exec_driver_sql(
                "SELECT count(*) FROM auditentry WHERE action='event.create'"
            ).scalar()
        assert n == logged  # every event that exists has its audit entry, and only those
        return n
    finally:
        cat.close()


def test_killed_between_small_writes(tmp_path: Path) -> None:
    path = tmp_path / "Crash.belarchive"
    Catalogue.create(path, admin="anna", passphrase=PASSPHRASE).close()
    seen = _run_and_kill(path, "many", 25)
    n = _consistent(path)
    assert n >= int(seen[-1])  # what the writer saw committed is there


def test_killed_inside_a_large_transaction_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "Crash.belarchive"
    Catalogue.create(path, admin="anna", passphrase=PASSPHRASE).close()
    seen = _run_and_kill(path, "bulk", 60)
    assert seen[-1].startswith("progress") and "committed" not in seen
    assert _consistent(path) == 0
