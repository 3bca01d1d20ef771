"""A killed rebuild leaves nothing behind after the next start: its build folder is removed
at once (nobody holds its lock), while a rebuild that is running keeps its own."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from belarchive.search import builds
from belarchive.search.index import SearchIndex
from belarchive.services.catalogue import Catalogue


def test_a_folder_whose_builder_was_killed_goes_at_the_next_start(catalogue: Catalogue) -> None:
    left = catalogue.index_dir.with_name(builds.BUILD_PREFIX + "dead0001")
    left.mkdir()
    (left / "MAIN_1.seg").write_bytes(b"x" * 1000)
    (left.with_name(left.name + builds.LOCK_SUFFIX)).touch()  # its builder died holding it
    SearchIndex(catalogue)  # opening the index is "the next start"
    assert not left.exists()
    assert not list(catalogue.path.glob(builds.BUILD_PREFIX + "*"))


def test_a_running_rebuild_in_another_process_keeps_its_folder(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    running = catalogue.index_dir.with_name(builds.BUILD_PREFIX + "live0001")
    ready = tmp_path / "ready"
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        from pathlib import Path
        from belarchive.search import builds
        build = Path({str(running)!r})
        with builds.claimed(build):
            build.mkdir()
            Path({str(ready)!r}).touch()
            time.sleep(30)
    """)])  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ready.exists()
        assert builds.remove_abandoned(catalogue.index_dir) == []
        assert running.exists()
        holder.kill()  # killed mid-build: the OS releases its lock
        holder.wait(timeout=10)
        assert builds.remove_abandoned(catalogue.index_dir) == [running]
        assert not running.exists()
    finally:
        if holder.poll() is None:
            os.kill(holder.pid, 9)
