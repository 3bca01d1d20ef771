"""Dossiers built from a real catalogue and read back with pdftotext and pypdf."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from test_dossier_fixtures import (
    GREEK_SENTENCE,
    Sample,
    needs_poppler,
    pdftotext,
    sample_catalogue,
    squash,
)

from belarchive.exporting.pdf import DossierOptions, build_dossier
from belarchive.exporting.pdf.manifest import MANIFEST_NAME, read_embedded
from belarchive.storage import filestore


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sample]:
    yield from sample_catalogue(tmp_path_factory)


pytestmark = needs_poppler


def _build(sample: Sample, tmp_path: Path, name: str, **kw: object) -> tuple[Path, str]:
    out = tmp_path / f"{name}.pdf"
    build_dossier(sample.cat, DossierOptions(user="anna", **kw), out)  # type: ignore[arg-type]
    return out, squash(pdftotext(out))


def test_incident_log_in_greek_has_text_totals_and_marks(sample: Sample, tmp_path: Path) -> None:
    _out, text = _build(
        sample,
        tmp_path,
        "il-el",
        template="incident_log",
        lang="el",
        date_from="2020-11-01",
        date_to="2020-12-31",
    )
    # Greek comes back verbatim (embedded DejaVu, no black boxes).
    assert GREEK_SENTENCE in text
    assert "Αρχείο περιστατικών καταστολής" in text
    assert "8 Νοεμβρίου 2020" in text
    # Highest lower bound per incident: ≥340 (not 300) + ~390 = at least 730, in 2 incidents.
    assert "Συλλήψεις: τουλάχιστον 730 άτομα σε 2 περιστατικά" in text
    assert "Νεκροί: 1 άτομο σε 1 περιστατικό" in text
    # The protest is not a repression incident.
    assert "Πορεία συνταξιούχων" not in text
    # Unverified entries are marked in the table and in the entry: 2 of them, twice each.
    assert text.count("ΜΗ ΕΠΑΛΗΘΕΥΜΕΝΟ") >= 4
    assert "Σελίδα 1 από" in text


def test_chronicle_structure_toc_appendix_and_metadata(sample: Sample, tmp_path: Path) -> None:
    out, text = _build(
        sample,
        tmp_path,
        "ch-en",
        template="chronicle",
        lang="en",
        annotations=True,
        internal_notes=True,
    )
    reader = PdfReader(str(out))
    pages = len(reader.pages)
    assert f"Page {pages} of {pages}" in text
    assert "Pensioners" not in text and "Πορεία συνταξιούχων" in text
    assert "At least 730 people detained in 2 incidents" in text
    assert "more than 1,000 taking part" in text
    # Contents: each section with the page it really starts on.
    page_texts = [squash(t) for t in pdftotext(out).split("\f")]
    for title in ("Summary", "Incidents at a glance", "Integrity appendix"):
        m = re.search(rf"{title} (\d+)", page_texts[1])
        assert m, f"{title} missing from the contents"
        assert page_texts[int(m.group(1)) - 1].split("Catalogue: Test ", 1)[1].startswith(title)
    # Figures attributed, citations with grades and quotes, review with reviewer.
    assert "at least 340 detained — according to Viasna [1]" in text
    assert "source reliability B · information credibility 2" in text
    assert "Verification: verified — decided by rita" in text
    assert "Ask Viasna for the list of names." in text  # annotations asked for
    assert "ministry figure, internal check" in text  # internal notes asked for
    # Integrity appendix: each archived copy re-hashed, the audit head.
    for sha in (sample.file_ngo, sample.file_ministry):
        assert sha[:32] in text.replace(" ", "")
    meta = reader.metadata
    assert meta is not None and meta.title == "Chronicle" and meta.author == "anna"
    assert "belarchive" in (meta.get("/Keywords") or "") and meta.creation_date is not None
    manifest = json.loads(read_embedded(reader, MANIFEST_NAME) or b"{}")
    assert {e["uuid"] for e in manifest["events"]} == {
        sample.detention,
        sample.death,
        sample.grodno,
        sample.protest,
    }
    assert f"entry {manifest['audit_head']['seq']}" in text
    assert manifest["audit_head"]["hash"] in text.replace(" ", "")


def test_defaults_leave_out_annotations_and_notes(sample: Sample, tmp_path: Path) -> None:
    _, text = _build(sample, tmp_path, "plain", template="chronicle")
    assert "Ask Viasna" not in text and "internal check" not in text


def test_fonts_are_embedded(sample: Sample, tmp_path: Path) -> None:
    out, _ = _build(sample, tmp_path, "fonts", template="incident_log", lang="el")
    fonts = set()
    for page in PdfReader(str(out)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all("DejaVu" in f for f in fonts), fonts


def test_changed_archived_copy_is_flagged(sample: Sample, tmp_path: Path) -> None:
    blob = filestore.blob_path(sample.cat.files_dir, sample.file_ministry)
    original = blob.read_bytes()
    try:
        blob.write_bytes(b"tampered")
        out = tmp_path / "tampered.pdf"
        result = build_dossier(sample.cat, DossierOptions(template="chronicle"), out)
        assert not result.ok
        assert [f.sha256 for f in result.file_problems] == [sample.file_ministry]
        text = squash(pdftotext(out))
        assert "CHANGED: does not match the catalogue" in text
        assert "archived copies that failed the check: 1" in text  # on the cover too
    finally:
        blob.write_bytes(original)


def test_progress_reaches_total(sample: Sample, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    build_dossier(
        sample.cat, DossierOptions(), tmp_path / "p.pdf", progress=lambda d, t: seen.append((d, t))
    )
    assert seen and seen[-1][0] == seen[-1][1]
    assert all(d <= t for d, t in seen)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ru", ("Журнал случаев репрессий", "8 ноября 2020", "НЕ ПРОВЕРЕНО", "Задержаны:",
                "Приложение о целостности")),
        ("be", ("Журнал выпадкаў рэпрэсій", "8 лістапада 2020", "НЕ ПРАВЕРАНА", "Затрыманы:",
                "Дадатак пра цэласнасць")),
    ],
)  # fmt: skip
def test_incident_log_in_russian_and_belarusian(
    sample: Sample, tmp_path: Path, lang: str, words: tuple[str, ...]
) -> None:
    _out, text = _build(sample, tmp_path, f"il-{lang}", template="incident_log", lang=lang,
                        date_from="2020-11-01", date_to="2020-12-31")  # fmt: skip
    for expected in words:
        assert expected in text, expected
    assert GREEK_SENTENCE in text  # the catalogue's own text stays as recorded
    # No label fell back to English on the way.
    for english in ("Repression incident log", "NOT VERIFIED", "Integrity appendix", "Summary"):
        assert english not in text


def test_every_dossier_label_is_translated() -> None:
    """Every label (and status, qualifier, role) has its own translation in each language:
    none is left as the English text, none is empty."""
    from belarchive.exporting.pdf import i18n

    for lang in i18n.TRANSLATED:
        labels, statuses, qualifiers, roles = i18n._words_of(lang)
        assert set(labels) == set(i18n._EN)
        pairs = ((labels, i18n._EN), (statuses, i18n._STATUS["en"]),
                 (qualifiers, i18n._QUALIFIER["en"]), (roles, i18n._ROLE["en"]))  # fmt: skip
        for ours, english in pairs:
            for key, text in english.items():
                if text and text.strip() not in ("—", "belarchive", "SHA-256"):
                    assert ours[key] and ours[key] != text, f"{lang}: {key} = {ours[key]!r}"
