"""A restore keeps every other writer out from the copy it takes of the current database
to the end of the replacement: nothing committed meanwhile is lost, and the restore is in
the log with the person who made it."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from support import PASSPHRASE

from belarchive.services import events, maintenance, users
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventInput
from belarchive.storage.folder_lock import writer_lock


def _titles(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        return {r[0] for r in conn.execute("SELECT title FROM event")}
    finally:
        conn.close()


def test_no_commit_falls_between_the_copy_and_the_replacement(tmp_path: Path) -> None:
    path = tmp_path / "R.belarchive"
    cat = Catalogue.create(path, admin="anna", passphrase=PASSPHRASE)
    users.add_user(cat, "anna", "olga", "archivist", PASSPHRASE)
    events.create_event(cat, "anna", EventInput(title="before the backup", date="2020-11-08"))
    backup = maintenance.backup(cat, "anna", tmp_path)
    cat.close()
    writer = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        from pathlib import Path
        from belarchive.services import events
        from belarchive.services.catalogue import Catalogue
        from belarchive.services.inputs import EventInput
        cat = Catalogue.open(Path({str(path)!r}))
        cat.sign_in("olga", {PASSPHRASE!r})
        for n in range(200):
            events.create_event(cat, "olga", EventInput(title=f"written {{n}}", date="2020-11-09"))
            time.sleep(0.005)
        cat.close()
    """)])  # fmt: skip
    try:
        deadline = time.monotonic() + 30  # until the writer is committing
        while not any(t.startswith("written") for t in _titles(path / "catalogue.sqlite")):
            assert time.monotonic() < deadline
            time.sleep(0.02)
        kept = maintenance.restore(path, backup, "vera")
        written_before = {t for t in _titles(kept) if t.startswith("written")}
        assert written_before  # the writer had committed before the restore took its copy
        writer.wait(timeout=60)
    finally:
        if writer.poll() is None:
            writer.kill()
    assert writer.returncode == 0
    after = _titles(path / "catalogue.sqlite")
    # Every event is either in the copy kept aside (committed before) or in the restored
    # database (committed after): none fell between.
    for n in range(200):
        assert f"written {n}" in written_before | after
    conn = sqlite3.connect(path / "catalogue.sqlite")
    row = conn.execute(
        "SELECT user, after_json FROM auditentry WHERE action = 'catalogue.restore'"
    ).fetchone()
    conn.close()
    assert row is not None and row[0] == "vera"
    record = json.loads(row[1])
    assert record["rollback"] is True and record["kept"] == str(kept)


def test_the_writer_lock_is_reentrant_and_shared_by_threads_in_turn(tmp_path: Path) -> None:
    cat = Catalogue.create(tmp_path / "L.belarchive", admin="anna", passphrase=PASSPHRASE)
    with writer_lock(cat.path), writer_lock(cat.path):
        events.create_event(cat, "anna", EventInput(title="inside", date="2020-11-08"))
    events.create_event(cat, "anna", EventInput(title="after", date="2020-11-08"))
    assert {"inside", "after"} <= _titles(cat.db_path)
    cat.close()
