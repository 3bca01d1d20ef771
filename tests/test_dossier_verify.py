"""belarchive dossier verify: passes on a fresh dossier, fails after the catalogue changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_dossier_fixtures import Sample, build_sample, needs_poppler, pdftotext

from belarchive.errors import ValidationError
from belarchive.exporting.pdf import DossierOptions, build_dossier, verify_dossier
from belarchive.services import events
from belarchive.services.inputs import EventPatch, FigureInput
from belarchive.storage import filestore


@pytest.fixture()
def fresh(tmp_path: Path) -> Sample:
    # Each test here changes the catalogue: a catalogue of its own.
    s = build_sample(tmp_path / "cat")
    yield s  # type: ignore[misc]
    s.cat.close()


def _dossier(s: Sample, tmp_path: Path) -> Path:
    out = tmp_path / "d.pdf"
    build_dossier(s.cat, DossierOptions(template="chronicle"), out)
    return out


@needs_poppler
def test_fresh_dossier_verifies_even_after_unrelated_writes(fresh: Sample, tmp_path: Path) -> None:
    out = _dossier(fresh, tmp_path)
    report = verify_dossier(fresh.cat, out)
    assert report.ok, report.problems
    assert report.events_checked == 4 and report.files_checked == 2
    # The digest verify prints is the one printed in the appendix (text and manifest agree).
    assert report.manifest_sha256 in pdftotext(out).replace("\n", "")
    # New audit entries after the export do not invalidate it: the head entry is unchanged.
    events.annotate(fresh.cat, "anna", fresh.detention, "Later note.")
    assert verify_dossier(fresh.cat, out).ok


def test_edited_event_fails(fresh: Sample, tmp_path: Path) -> None:
    out = _dossier(fresh, tmp_path)
    version = events.event_detail(fresh.cat, fresh.grodno)["version"]
    events.update_event(fresh.cat, "anna", fresh.grodno, version, EventPatch(title="Другое"))
    report = verify_dossier(fresh.cat, out)
    assert not report.ok
    assert report.changed_events == [fresh.grodno]
    assert any("was changed (version" in p for p in report.problems)


def test_changed_stored_file_fails(fresh: Sample, tmp_path: Path) -> None:
    out = _dossier(fresh, tmp_path)
    filestore.blob_path(fresh.cat.files_dir, fresh.file_ngo).write_bytes(b"forged copy")
    report = verify_dossier(fresh.cat, out)
    assert not report.ok and report.bad_files == [fresh.file_ngo]


def test_tampered_audit_log_fails(fresh: Sample, tmp_path: Path) -> None:
    out = _dossier(fresh, tmp_path)
    with fresh.cat.writer.begin() as conn:
        conn.exec_driver_sql("UPDATE auditentry SET user = 'mallory' WHERE seq = 5")
    report = verify_dossier(fresh.cat, out)
    assert not report.ok
    assert any("audit log is damaged" in p for p in report.problems)


def test_other_catalogue_and_non_dossier(fresh: Sample, tmp_path: Path) -> None:
    out = _dossier(fresh, tmp_path)
    other = build_sample(tmp_path / "other")
    try:
        report = verify_dossier(other.cat, out)
        assert not report.ok and "comes from catalogue" in report.problems[0]
    finally:
        other.cat.close()
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(b"%PDF-1.4\n%%EOF\n")
    with pytest.raises(ValidationError):
        verify_dossier(fresh.cat, plain)
    with pytest.raises(ValidationError):
        verify_dossier(fresh.cat, tmp_path / "missing.pdf")


def test_a_figure_turned_into_a_running_total_fails(fresh: Sample, tmp_path: Path) -> None:
    """Whether a figure is counted is part of what a dossier shows: changing its scope in
    the catalogue afterwards is a change the dossier's manifest catches."""
    out = _dossier(fresh, tmp_path)
    detail = events.event_detail(fresh.cat, fresh.detention)
    figures = [
        FigureInput(f["kind"], f["value_min"], f["value_max"], f["qualifier"], f["citation"],
                    f["note"], "period", "../2020-11-08")
        for f in detail["figures"]
    ]  # fmt: skip
    assert figures
    events.update_event(fresh.cat, "anna", fresh.detention, detail["version"],
                        EventPatch(figures=tuple(figures)))  # fmt: skip
    report = verify_dossier(fresh.cat, out)
    assert not report.ok and report.changed_events == [fresh.detention]
