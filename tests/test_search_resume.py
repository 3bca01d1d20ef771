"""A rebuild killed part-way carries on from its last committed batch, for real: a child
process rebuilds and is killed (SIGKILL) after its second batch; the next rebuild resumes
there and gives the same index as a rebuild from nothing."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from belarchive.search import api, builds, indexer
from belarchive.services.bulk import create_events_bulk
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventInput


def _kill_after_two_batches(cat: Catalogue) -> None:
    child = subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        from belarchive.search import api, indexer
        from belarchive.services.catalogue import Catalogue

        indexer.BATCH = 100
        record, written = indexer._write_resume, []

        def record_then_die(*args):
            record(*args)
            written.append(args)
            if len(written) == 2:
                os.kill(os.getpid(), signal.SIGKILL)  # no cleanup of any kind runs

        indexer._write_resume = record_then_die
        api.rebuild_index(Catalogue(Path({str(cat.path)!r})), procs=1)
    """)], timeout=120)  # fmt: skip
    assert child.returncode == -9


def test_a_killed_rebuild_resumes_after_its_last_batch(
    catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = [EventInput(title=f"Πορεία {i}", date="2020-11-08", language="el",
                         description="συλλήψεις" if i % 3 == 0 else "πορεία")
              for i in range(300)]  # fmt: skip
    create_events_bulk(catalogue, "anna", inputs)
    _kill_after_two_batches(catalogue)
    left = builds.resumable(
        catalogue.index_dir, lambda b: indexer.resume_point(b, catalogue.catalogue_id) is not None
    )
    assert left is not None and (left / builds.RESUME_FILE).exists()
    monkeypatch.setattr(indexer, "BATCH", 100)
    seen: list[tuple[int, int]] = []
    health = api.rebuild_index(catalogue, progress=lambda d, t: seen.append((d, t)), procs=1)
    assert seen[0] == (200, 300)  # two batches were already written
    assert health.doc_count == 300
    assert api.search(catalogue, "συλληψη", limit=None, word_families=False).total == 100
    assert not list(catalogue.path.glob(builds.BUILD_PREFIX + "*"))


def test_a_build_of_another_format_or_catalogue_is_not_resumed(catalogue: Catalogue) -> None:
    create_events_bulk(catalogue, "anna", [EventInput(title="Πορεία", date="2020-11-08")])
    folder = catalogue.index_dir.with_name(builds.BUILD_PREFIX + "old00001")
    folder.mkdir()
    folder.with_name(folder.name + builds.LOCK_SUFFIX).touch()  # its builder died holding it
    indexer._write_resume(folder, "another-catalogue", 1, 10, 5)
    assert indexer.resume_point(folder, catalogue.catalogue_id) is None
    indexer._write_resume(folder, catalogue.catalogue_id, 1, 10, 5)
    assert indexer.resume_point(folder, catalogue.catalogue_id) == (1, 10, 5)
    record = json.loads((folder / builds.RESUME_FILE).read_text("utf-8"))
    record["families"] = "another table"  # its batches hold other family terms
    (folder / builds.RESUME_FILE).write_text(json.dumps(record), "utf-8")
    assert indexer.resume_point(folder, catalogue.catalogue_id) is None
    api.rebuild_index(catalogue)  # starts afresh, and the stranger's folder goes
    assert not folder.exists()
