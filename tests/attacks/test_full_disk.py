"""A full disk is reported as a full disk: never as a damaged catalogue, never a traceback,
and nothing is half-written.

SQLite's own "database or disk is full" is produced for real with ``max_page_count``; the
file-system cases use a tiny tmpfs, which needs the right to mount (root in CI's container):
without it those tests are skipped and say why.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event
from support import PASSPHRASE

from belarchive.errors import CatalogueError, ExportError, ValidationError
from belarchive.exporting.json_io import export_json
from belarchive.services import events, maintenance
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventInput

FIXTURES = Path(__file__).resolve().parents[2] / "db" / "fixtures"


def test_a_write_on_a_full_disk_says_so_and_loses_nothing(catalogue: Catalogue) -> None:
    events.create_event(catalogue, "olga", EventInput(title="Before the disk filled"))
    with catalogue.writer.connect() as conn:
        pages = int(conn.exec_driver_sql("PRAGMA page_count").scalar() or 0)
    # Every new writer connection sees a database that cannot grow: SQLITE_FULL, for real.
    event.listen(catalogue.writer, "connect",
                 lambda dbapi, _rec: dbapi.execute(f"PRAGMA max_page_count = {pages}"))  # fmt: skip
    with pytest.raises(CatalogueError, match="is full; nothing was changed") as caught:
        for _ in range(50):
            events.create_event(catalogue, "olga", EventInput(title="x", description="y" * 60_000))
    assert "damaged" not in caught.value.message
    report = maintenance.check(catalogue)
    assert report.ok, report


@pytest.fixture()
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "usb"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
                          capture_output=True, text=True, check=False)  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip() or 'not permitted'})")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def _fill(disk: Path, leave_kb: int) -> None:
    stat = shutil.disk_usage(disk)
    (disk / "filler").write_bytes(b"\0" * max(0, stat.free - leave_kb * 1024))


def test_an_export_to_a_full_stick_says_so_and_leaves_no_part_file(
    catalogue: Catalogue, tiny_disk: Path
) -> None:
    for i in range(30):
        events.create_event(catalogue, "olga", EventInput(title=f"E{i}", description="z" * 4000))
    target = tiny_disk / "export.json"
    target.write_text("the previous export\n")
    _fill(tiny_disk, leave_kb=8)
    with pytest.raises(ExportError, match=r"is full: export\.json was not written"):
        export_json(catalogue, target)
    assert target.read_text() == "the previous export\n"
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["export.json", "filler"]


def test_opening_an_old_catalogue_on_a_full_disk_is_not_called_damaged(tiny_disk: Path) -> None:
    folder = tiny_disk / "old.belarchive"
    shutil.copytree(FIXTURES / "schema-v4", folder)
    before = (folder / "catalogue.sqlite").read_bytes()
    _fill(tiny_disk, leave_kb=16)  # no room for the pre-migration backup
    with pytest.raises(CatalogueError) as caught:
        Catalogue.open(folder)
    assert "is full" in caught.value.message and "damaged" not in caught.value.message
    assert (folder / "catalogue.sqlite").read_bytes() == before


def test_a_catalogue_that_cannot_be_created_leaves_nothing_behind(tiny_disk: Path) -> None:
    target = tiny_disk / "New.belarchive"
    _fill(tiny_disk, leave_kb=64)  # room to start, not to finish
    with pytest.raises(CatalogueError, match="nothing was left behind") as caught:
        Catalogue.create(target, admin="anna", passphrase=PASSPHRASE)
    assert "is full" in caught.value.message
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["filler"]
    (tiny_disk / "filler").unlink()  # space freed: the same command now works
    with Catalogue.create(target, admin="anna", passphrase=PASSPHRASE) as cat:
        assert maintenance.check(cat).ok


@pytest.mark.parametrize("admin", ["", "   ", "a/b", "x" * 65])
def test_a_catalogue_needs_a_usable_admin_name(tmp_path: Path, admin: str) -> None:
    with pytest.raises(ValidationError, match="not a usable user name"):
        Catalogue.create(tmp_path / "C.belarchive", admin=admin, passphrase=PASSPHRASE)
    assert not (tmp_path / "C.belarchive").exists()
    assert list(tmp_path.iterdir()) == []
