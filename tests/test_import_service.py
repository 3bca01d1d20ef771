"""Chronicle import through the services: provenance, idempotence, bad input loses nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from belarchive.errors import BelarchiveError
from belarchive.services import maintenance
from belarchive.services.catalogue import Catalogue
from belarchive.services.first_run import ensure_default_catalogue
from belarchive.services.importing import commit_chronicle, preview_chronicle
from belarchive.storage import queries
from belarchive.storage.detail import load_event_detail


def _count(cat: Catalogue) -> tuple[int, int]:
    with cat.reader.connect() as conn:
        events = queries.count_events(conn, queries.EventFilter(include_deleted=True))
        audit = conn.exec_driver_sql("SELECT count(*) FROM auditentry").scalar()
    return events, int(audit or 0)


def test_sample_import_keeps_provenance(catalogue: Catalogue, sample_path: Path) -> None:
    preview = preview_chronicle(catalogue, sample_path, year=2020, language="el")
    assert not preview.already_imported and preview.encoding.lower().replace("-", "") == "utf8"
    result = commit_chronicle(catalogue, "olga", preview)
    assert len(result.event_uuids) == len(preview.events) >= 20
    sha = hashlib.sha256(sample_path.read_bytes()).hexdigest()
    with catalogue.session() as s:
        by_date = {}
        for uuid in result.event_uuids:
            d = load_event_detail(s, uuid)
            assert d.status == "unverified" and d.created_by == "olga"
            chronicle = [c for c in d.citations if c.source.uuid == result.source_uuid]
            assert chronicle and chronicle[0].locator.startswith("line")
            assert chronicle[0].source.attachments[0].sha256 == sha
            cited = {c.uuid: c for c in d.citations}
            for f in d.figures:  # every figure cites the sentence it came from
                assert f.citation_uuid in cited and cited[f.citation_uuid].quote
            by_date[d.date_edtf] = d
    eighth = by_date["2020-11-08"]
    detained = eighth.figures_of("detained")
    assert [(f.value_min, f.qualifier) for f in detained] == [(340, "at_least")]
    quote = {c.uuid: c.quote for c in eighth.citations}[detained[0].citation_uuid]
    assert "τουλάχιστον 340 συλλήψεις" in quote
    assert "minsk" in {p.key for p in eighth.places}
    assert maintenance.check(catalogue).ok


def test_reimport_creates_no_duplicates(catalogue: Catalogue, sample_path: Path) -> None:
    first = commit_chronicle(
        catalogue, "olga", preview_chronicle(catalogue, sample_path, year=2020)
    )
    counts = _count(catalogue)
    again = preview_chronicle(catalogue, sample_path, year=2020)
    assert again.already_imported and "olga" in again.previous_import
    result = commit_chronicle(catalogue, "olga", again)
    assert result.skipped_duplicate and not result.event_uuids and first.event_uuids
    assert _count(catalogue) == counts


def test_selected_proposals_only(catalogue: Catalogue, sample_path: Path) -> None:
    preview = preview_chronicle(catalogue, sample_path, year=2020)
    dated = [e.index for e in preview.events if e.edtf][:3]
    result = commit_chronicle(catalogue, "olga", preview, accepted=dated)
    assert len(result.event_uuids) == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
        (b"Just some words without any date at all.\n", "No dates"),
    ],
)
def test_bad_files_leave_the_catalogue_unchanged(
    catalogue: Catalogue, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    before = _count(catalogue)
    with pytest.raises(BelarchiveError) as err:
        commit_chronicle(catalogue, "olga", preview_chronicle(catalogue, path, year=2020))
    assert message.lower() in err.value.message.lower()
    assert _count(catalogue) == before
    assert not any(p.is_file() for p in catalogue.files_dir.rglob("*"))


def test_missing_file_is_a_clear_error(catalogue: Catalogue, tmp_path: Path) -> None:
    with pytest.raises(BelarchiveError, match="no file"):
        preview_chronicle(catalogue, tmp_path / "absent.txt")


def test_first_run_creates_the_default_catalogue_with_the_sample() -> None:
    cat = ensure_default_catalogue("anna")
    try:
        with cat.reader.connect() as conn:
            n = queries.count_events(conn, queries.EventFilter())
            users = {r[0] for r in conn.exec_driver_sql("SELECT name FROM user")}
        assert n >= 20 and {"anna", "archivist", "reviewer"} <= users
    finally:
        cat.close()
    again = ensure_default_catalogue("anna")  # second run opens, imports nothing more
    with again.reader.connect() as conn:
        assert queries.count_events(conn, queries.EventFilter()) == n
    again.close()
