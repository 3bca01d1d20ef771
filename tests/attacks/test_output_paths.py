"""Outputs can never destroy a catalogue: every writer refuses a path inside a catalogue
folder — directly, through "..", or through a symbolic link — with one line and a non-zero
exit, and replaces an existing file only whole."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from belarchive.cli import main
from belarchive.errors import BelarchiveError, CatalogueError, ExportError
from belarchive.exporting.csv_io import export_csv
from belarchive.exporting.json_io import export_json
from belarchive.exporting.pdf import DossierOptions, build_dossier
from belarchive.outputs import output_path, replace_atomically, safe_file_name
from belarchive.services import events, maintenance
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventInput


def _fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(("-wal", "-shm"))
    }


@pytest.fixture
def cat(catalogue: Catalogue) -> Catalogue:
    events.create_event(catalogue, "anna", EventInput(title="Марш", date="2020-11-08"))
    return catalogue


def _targets(cat: Catalogue, tmp_path: Path) -> list[Path]:
    outside = tmp_path / "outside"
    outside.mkdir(exist_ok=True)
    link_dir = tmp_path / "innocent-folder"
    if not link_dir.exists():
        link_dir.symlink_to(cat.path, target_is_directory=True)
    link_file = outside / "report.json"
    if not link_file.exists():
        link_file.symlink_to(cat.db_path)
    return [
        cat.db_path,
        cat.path / "catalogue.json",
        cat.path / "files" / "x.pdf",
        cat.path / "index" / "x.csv",
        outside / ".." / cat.path.name / "catalogue.sqlite",
        link_dir / "catalogue.sqlite",
        link_dir / "new.json",
        link_file,
    ]


WRITERS: dict[str, Callable[[Catalogue, Path], object]] = {
    "json": lambda cat, p: export_json(cat, p),
    "csv": lambda cat, p: export_csv(cat, p),
    "dossier": lambda cat, p: build_dossier(cat, DossierOptions(), p),
    "backup": lambda cat, p: maintenance.backup(cat, "anna", p),
}


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_no_writer_writes_inside_a_catalogue(kind: str, cat: Catalogue, tmp_path: Path) -> None:
    targets = _targets(cat, tmp_path)
    before = _fingerprint(cat.path)
    for target in targets:
        with pytest.raises((ExportError, CatalogueError), match="inside the catalogue folder"):
            WRITERS[kind](cat, target)
    after = _fingerprint(cat.path)
    audit = [k for k in before if k == "catalogue.sqlite"]
    assert audit  # the database itself is compared too (it may only gain audit entries)
    assert {k: v for k, v in after.items() if k != "catalogue.sqlite"} == {
        k: v for k, v in before.items() if k != "catalogue.sqlite"
    }
    assert (cat.path / "catalogue.json").read_text(encoding="utf-8").startswith("{")


def test_a_backup_may_go_to_its_own_backups_folder_and_outside(
    cat: Catalogue, tmp_path: Path
) -> None:
    inside = maintenance.backup(cat, "anna")
    assert inside.parent == cat.backups_dir.resolve()
    outside = maintenance.backup(cat, "anna", tmp_path)
    assert outside.parent == tmp_path.resolve() and not list(tmp_path.glob(".*partial"))


def test_the_cli_refuses_in_one_line_and_changes_nothing(
    cat: Catalogue, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(cat.path)
    before = _fingerprint(cat.path)
    for argv in (
        ["export", "json", "-C", path, "-o", str(cat.db_path)],
        ["export", "csv", "-C", path, "-o", str(cat.path / "catalogue.json")],
        ["dossier", "incident-log", "-C", path, "-u", "anna", "-o", str(cat.path / "x.pdf")],
        ["backup", "-C", path, "-u", "anna", "-o", str(cat.path / "index" / "b.sqlite")],
    ):
        assert main(argv) != 0, argv
        err = capsys.readouterr().err
        assert "inside the catalogue folder" in err and "Traceback" not in err
        assert len(err.strip().splitlines()) == 1
    after = _fingerprint(cat.path)
    assert {k: v for k, v in after.items() if k != "catalogue.sqlite"} == {
        k: v for k, v in before.items() if k != "catalogue.sqlite"
    }


def test_an_existing_file_is_replaced_only_whole(tmp_path: Path) -> None:
    target = tmp_path / "export.json"
    target.write_text("the old export", encoding="utf-8")

    def fail_half_way(tmp: Path) -> None:
        tmp.write_text("half of the new", encoding="utf-8")
        raise BelarchiveError("disk full")

    with pytest.raises(BelarchiveError):
        replace_atomically(output_path(target, what="the export"), fail_half_way)
    assert target.read_text(encoding="utf-8") == "the old export"
    assert [p.name for p in tmp_path.iterdir()] == ["export.json"]  # no temporary left


def test_a_symlink_loop_and_a_missing_folder_are_clear(tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    os.symlink(loop, loop)
    with pytest.raises(ExportError):
        output_path(loop / "x.json", what="the export")
    with pytest.raises(ExportError, match="does not exist"):
        output_path(tmp_path / "nowhere" / "x.json", what="the export")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../.bashrc", "bashrc"),
        ("..\\..\\Windows\\evil.exe", "evil.exe"),
        ("/etc/passwd", "passwd"),
        ("report.pdf", "report.pdf"),
        ("..", "FALLBACK"),
        ("a\u202ebad.pdf", "a\u202ebad.pdf"[:1] + "bad.pdf"),
    ],
)
def test_an_archived_files_stored_name_is_only_a_name(name: str, expected: str) -> None:
    assert safe_file_name(name, "FALLBACK") == expected
