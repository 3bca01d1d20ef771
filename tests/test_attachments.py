"""Archived copies: stored once by SHA-256, re-hashed on demand, problems named."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from belarchive.cli import main as cli_main
from belarchive.errors import NotFoundError
from belarchive.services import sources
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import SourceInput
from belarchive.storage.filestore import blob_path


@pytest.fixture
def source(catalogue: Catalogue) -> str:
    return sources.add_source(catalogue, "olga", SourceInput(title="Report")).uuid


def test_same_bytes_are_stored_once(catalogue: Catalogue, source: str, tmp_path: Path) -> None:
    a, b = tmp_path / "a.pdf", tmp_path / "copy-of-a.pdf"
    a.write_bytes(b"%PDF-1.4 evidence " * 100)
    b.write_bytes(a.read_bytes())
    sha = sources.attach_file(catalogue, "olga", source, a).uuid
    other = sources.add_source(catalogue, "olga", SourceInput(title="Mirror")).uuid
    assert sources.attach_file(catalogue, "olga", other, b).uuid == sha
    assert sha == hashlib.sha256(a.read_bytes()).hexdigest()
    stored = [p for p in (catalogue.files_dir).rglob("*") if p.is_file()]
    assert stored == [blob_path(catalogue.files_dir, sha)]


def test_verify_names_changed_and_missing_files(
    catalogue: Catalogue, source: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    one.write_text("first")
    two.write_text("second")
    sha1 = sources.attach_file(catalogue, "olga", source, one).uuid
    sha2 = sources.attach_file(catalogue, "olga", source, two).uuid
    assert sources.verify_files(catalogue) == []
    blob_path(catalogue.files_dir, sha1).write_text("tampered")
    blob_path(catalogue.files_dir, sha2).unlink()
    problems = {(p.original_name, p.problem) for p in sources.verify_files(catalogue)}
    assert problems == {("one.txt", "changed"), ("two.txt", "missing")}
    assert cli_main(["files", "verify", "--catalogue", str(catalogue.path)]) == 1
    out = capsys.readouterr().out
    assert "CHANGED: one.txt" in out and "MISSING: two.txt" in out


def test_missing_file_is_refused(catalogue: Catalogue, source: str, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="does not exist"):
        sources.attach_file(catalogue, "olga", source, tmp_path / "nope.pdf")
    assert not any(p.is_file() for p in catalogue.files_dir.rglob("*"))
