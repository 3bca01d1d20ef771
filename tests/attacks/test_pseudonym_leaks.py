"""Pseudonymised dossiers: no form of a protected name anywhere in the file.

The victim is recorded once, in Russian. The catalogue then writes about him the ways the
press does: in Latin and Greek letters, inflected, by surname or first name alone, with
initials, with a soft hyphen or a zero-width space inside, in a source's title and in an
archived file's name. The finished PDF is searched as text (poppler) and as bytes (every
stream decompressed), in both UTF-8 and UTF-16.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from support import PASSPHRASE
from test_dossier_fixtures import needs_poppler, pdftotext

from belarchive.errors import ValidationError
from belarchive.exporting.pdf import DossierOptions, build_dossier
from belarchive.exporting.pdf.leaks import scan
from belarchive.exporting.pdf.redaction import build_redactor
from belarchive.services import events, sources
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import ActorInput, EventInput, SourceInput

RECORDED = "Роман Николаевич Бондаренко"
WRITTEN = (
    "Roman Bondarenko",
    "Ρομάν Μπονταρένκο",
    "Романа Бондаренко",
    "Р. Н. Бондаренко",
    "Bonda\u00adrenko",
    "Бонда\u200bренко",
    "BONDARENKO",
)
# What must not be found in the file, in any encoding.
NEEDLES = ("Bondarenko", "Бондаренко", "Μπονταρένκο", "Bondarenk", "Бондаренк", "Николаевич")


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Catalogue]:
    root = tmp_path_factory.mktemp("leaks")
    cat = Catalogue.create(root / "Leaks.belarchive", admin="anna", passphrase=PASSPHRASE)
    events.create_event(
        cat,
        "anna",
        EventInput(
            title="Избит Роман Бондаренко",
            date="2020-11-12",
            language="ru",
            description="Роман был избит во дворе. " + " ".join(f"{w} —" for w in WRITTEN),
            tags=("police_violence",),
            actors=(ActorInput(RECORDED, "victim"),),
        ),
    )
    source = sources.add_source(
        cat,
        "anna",
        SourceInput(title="Letter from the family of Roman Bondarenko", kind="ngo_report"),
    ).uuid
    mention = events.create_event(
        cat,
        "anna",
        EventInput(
            title="Μνημόσυνο για τον Μπονταρένκο",
            date="2020-11-15",
            language="el",
            description="Χιλιάδες τίμησαν τον Ρομάν. R. Bondarenko, Bondarenko R.",
            tags=("protest",),
        ),
    ).uuid
    scan_file = root / "bondarenko-roman-medical.pdf"
    scan_file.write_bytes(b"%PDF-1.4 medical record")
    sources.attach_file(cat, "anna", source, scan_file)
    sources.cite(cat, "anna", mention, source, quote="Bondarenko's mother spoke.")
    yield cat
    cat.close()


def _streams(pdf: Path) -> bytes:
    """The file's bytes followed by every stream, decompressed."""
    raw = pdf.read_bytes()
    out = [raw]
    reader = PdfReader(str(pdf))
    for number in range(1, len(reader.xref_objStm) + 2000):
        try:
            obj = reader.get_object(number)
        except Exception:
            continue
        data = getattr(obj, "get_data", None)
        if data is not None:
            try:
                out.append(data())
            except Exception:
                continue
    for chunk in raw.split(b"stream")[1:]:  # belt and braces: raw Flate streams too
        try:
            out.append(zlib.decompressobj().decompress(chunk.lstrip(b"\r\n")))
        except zlib.error:
            continue
    return b"\n".join(out)


@needs_poppler
@pytest.mark.parametrize("template", ["chronicle", "incident_log"])
def test_no_form_of_a_protected_name_survives(
    catalogue: Catalogue, tmp_path: Path, template: str
) -> None:
    out = tmp_path / "shared.pdf"
    build_dossier(catalogue, DossierOptions(template=template, pseudonymise=True), out)
    text = pdftotext(out)
    data = _streams(out)
    for needle in NEEDLES:
        assert needle.casefold() not in text.casefold(), needle
        for encoding in ("utf-8", "utf-16-be"):
            assert needle.encode(encoding) not in data, (needle, encoding)
        assert needle.lower().encode() not in data.lower(), needle
    assert "Person" in text


@needs_poppler
def test_without_pseudonyms_the_scan_finds_every_page_that_names_him(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    # The scan that guards a shared dossier, run on one made for internal use.
    out = tmp_path / "internal.pdf"
    build_dossier(catalogue, DossierOptions(template="chronicle"), out)
    with catalogue.session() as session:
        redactor = build_redactor(session, catalogue.catalogue_id, "Person")
    # The searches above do see him when he is there (text, and bytes of the manifest).
    text = pdftotext(out)
    assert "Бондаренко" in text and "Bondarenko" in text and "Μπονταρένκο" in text
    assert b"bondarenko-roman-medical.pdf" in _streams(out)
    found = scan(out, redactor)
    assert any(where.startswith("page ") for where in found)
    assert "embedded file belarchive-manifest.json" in found  # the archived file's name


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", "The case of R. Bondarenko"), ("search query", "Бондаренко")],
)
def test_a_title_or_query_naming_him_is_refused(
    catalogue: Catalogue, tmp_path: Path, field: str, value: str
) -> None:
    out = tmp_path / "refused.pdf"
    option = field.removeprefix("search ")
    options = DossierOptions(template="chronicle", pseudonymise=True, **{option: value})
    with pytest.raises(ValidationError, match=f"The {field} names a person protected"):
        build_dossier(catalogue, options, out)
    assert not out.exists()
