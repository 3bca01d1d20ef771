"""Forged dossiers: `dossier verify` checks what a reader sees, not only the manifest.

Each forgery is made with pypdf the way a hostile editor would: pages removed, added or
swapped, a figure changed in the page text, the manifest replaced, the text re-saved.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ContentStream
from test_dossier_fixtures import Sample, build_sample

from belarchive.exporting.pdf import DossierOptions, build_dossier, verify_dossier
from belarchive.exporting.pdf.manifest import MANIFEST_NAME
from belarchive.exporting.pdf.pages import AUDIT_ACTION, page_digests
from belarchive.storage.engine import raw_connect


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sample]:
    s = build_sample(tmp_path_factory.mktemp("forgery"))
    yield s
    s.cat.close()


@pytest.fixture(scope="module")
def dossier(sample: Sample, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("d") / "dossier.pdf"
    build_dossier(sample.cat, DossierOptions(template="chronicle", user="anna"), out)
    return out


def _rewrite(source: Path, target: Path, edit: Callable[[PdfReader, PdfWriter], None]) -> Path:
    reader = PdfReader(str(source))
    writer = PdfWriter(clone_from=reader)
    edit(reader, writer)
    with target.open("wb") as fh:
        writer.write(fh)
    return target


def _problems(sample: Sample, pdf: Path) -> list[str]:
    report = verify_dossier(sample.cat, pdf)
    assert not report.ok
    return report.problems


def test_the_genuine_dossier_and_a_plain_resave_verify(
    sample: Sample, dossier: Path, tmp_path: Path
) -> None:
    report = verify_dossier(sample.cat, dossier)
    assert report.ok, report.problems
    assert report.pages_checked == len(PdfReader(str(dossier)).pages) > 3
    # Saving it again unchanged (another tool's "save as") keeps every page as drawn.
    resaved = _rewrite(dossier, tmp_path / "resaved.pdf", lambda _r, _w: None)
    assert verify_dossier(sample.cat, resaved).ok


def test_the_export_is_in_the_audit_under_the_exporting_user(sample: Sample, dossier: Path) -> None:
    conn = raw_connect(sample.cat.db_path)
    try:
        rows = conn.execute(
            "SELECT user, after_json FROM auditentry WHERE action = ?", (AUDIT_ACTION,)
        ).fetchall()
    finally:
        conn.close()
    assert [user for user, _ in rows] == ["anna"]
    assert json.loads(rows[0][1])["pages"] == page_digests(dossier)


def test_a_removed_page_is_named(sample: Sample, dossier: Path, tmp_path: Path) -> None:
    forged = _rewrite(dossier, tmp_path / "f.pdf", lambda _r, w: w.remove_page(2))
    problems = _problems(sample, forged)
    assert any("Page 3 of the dossier as written is missing" in p for p in problems)


def test_an_added_page_is_named(sample: Sample, dossier: Path, tmp_path: Path) -> None:
    forged = _rewrite(dossier, tmp_path / "f.pdf", lambda _r, w: w.add_blank_page())
    problems = _problems(sample, forged)
    last = len(PdfReader(str(forged)).pages)
    assert any(f"Page {last} differs" in p for p in problems)


def test_swapped_pages_are_named(sample: Sample, dossier: Path, tmp_path: Path) -> None:
    def swap(reader: PdfReader, writer: PdfWriter) -> None:
        writer.insert_page(writer.pages[1], index=3)  # page 2 now also sits after page 3
        writer.remove_page(1)

    problems = _problems(sample, _rewrite(dossier, tmp_path / "f.pdf", swap))
    assert "Page 2 is page 3 of the dossier as written." in problems
    assert "Page 3 is page 2 of the dossier as written." in problems


def test_a_changed_figure_in_the_page_text_is_named(
    sample: Sample, dossier: Path, tmp_path: Path
) -> None:
    def change_a_number(reader: PdfReader, writer: PdfWriter) -> None:
        for number, page in enumerate(writer.pages):
            data = page.get_contents().get_data()  # type: ignore[union-attr]
            # A figure drawn as text: "(... 340 ...) Tj" becomes 940.
            forged = re.sub(rb"\(([^()]*?)340", rb"(\g<1>940", data, count=1)
            if forged != data:
                content = ContentStream(None, writer)
                content.set_data(forged)
                page.replace_contents(content)
                change_a_number.page = number + 1  # type: ignore[attr-defined]
                return
        raise AssertionError("no page draws 340")

    forged = _rewrite(dossier, tmp_path / "f.pdf", change_a_number)
    page = change_a_number.page  # type: ignore[attr-defined]
    assert f"Page {page} differs from the dossier as written (changed or added)." in _problems(
        sample, forged
    )


def test_a_replaced_manifest_is_refused(sample: Sample, dossier: Path, tmp_path: Path) -> None:
    manifest = json.loads(PdfReader(str(dossier)).attachments[MANIFEST_NAME][0])
    manifest["events"] = manifest["events"][:1]  # "this dossier only showed one event"

    def replace(reader: PdfReader, writer: PdfWriter) -> None:
        writer._root_object["/Names"].get_object().pop("/EmbeddedFiles")
        writer.add_attachment(MANIFEST_NAME, json.dumps(manifest).encode("utf-8"))

    forged = _rewrite(dossier, tmp_path / "f.pdf", replace)
    assert len(PdfReader(str(forged)).attachments[MANIFEST_NAME]) == 1
    assert any("no record of a dossier with this manifest" in p for p in _problems(sample, forged))


def test_text_resaved_by_another_program_is_reported(
    sample: Sample, dossier: Path, tmp_path: Path
) -> None:
    # The same words drawn again with another font size: what the reader sees changed.
    def redraw(reader: PdfReader, writer: PdfWriter) -> None:
        page = writer.pages[0]
        data = page.get_contents().get_data()  # type: ignore[union-attr]
        content = ContentStream(None, writer)
        content.set_data(re.sub(rb" (\d+(?:\.\d+)?) Tf", rb" 6 Tf", data))
        page.replace_contents(content)

    problems = _problems(sample, _rewrite(dossier, tmp_path / "f.pdf", redraw))
    assert "Page 1 differs from the dossier as written (changed or added)." in problems
