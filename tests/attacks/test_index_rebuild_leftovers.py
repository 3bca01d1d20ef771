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


def test_a_rebuild_worker_ends_when_the_rebuild_is_killed(tmp_path: Path) -> None:
    """The whole tree, for real: a parent starts a worker process the way Whoosh's
    rebuild does, and is killed; the worker must not linger."""
    from whoosh import multiproc

    from belarchive.search import whoosh_patches

    assert multiproc.SubWriterTask.run is whoosh_patches._worker_run  # the patch is on
    pid_file = tmp_path / "worker.pid"
    parent = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import multiprocessing, os, time
        from pathlib import Path
        from belarchive.search import whoosh_patches

        def work():
            whoosh_patches.watch_parent(os.getppid(), poll=0.1)
            # Written aside, then renamed: the test must never read a half-written file.
            Path({str(pid_file)!r} + ".part").write_text(str(os.getpid()))
            os.replace({str(pid_file)!r} + ".part", {str(pid_file)!r})
            time.sleep(60)  # a worker waiting on its job queue

        if __name__ == "__main__":
            multiprocessing.Process(target=work).start()
            time.sleep(60)
    """)])  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while not pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        worker = int(pid_file.read_text())
        parent.kill()
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10
        while _alive(worker) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(worker)
    finally:
        if parent.poll() is None:
            parent.kill()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its new parent) counts as gone.
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split()[2] == "Z")
