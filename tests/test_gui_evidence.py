"""The evidence viewer over real archived copies: a 50-page PDF made with ReportLab, a PNG,
a saved page, and damaged, altered and missing copies."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from belarchive.errors import NotFoundError
from belarchive.gui.evidence.panes import ImagePane, PdfPane, TextPane
from belarchive.gui.evidence.viewer import EvidenceViewer, open_viewer
from belarchive.services import events, evidence, sources
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventInput, SourceInput
from belarchive.storage.detail import AttachmentInfo, load_event_detail

pytestmark = pytest.mark.gui
WAIT = 10_000
QUOTE = "at least 28 people were detained near the Pushkinskaya metro station"


def make_pdf(path: Path, pages: int, quote_page: int) -> Path:
    """A report of ``pages`` pages; the quote is on ``quote_page`` (1-based), split over two
    lines as a report's narrow column would split it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), pagesize=A4)
    for number in range(1, pages + 1):
        canvas.setFont("Helvetica", 11)
        canvas.drawString(72, 780, f"Daily report, page {number}")
        if number == quote_page:
            canvas.drawString(72, 500, "On Sunday evening at least 28 people were detained")
            canvas.drawString(72, 486, "near the Pushkinskaya metro station, witnesses said.")
        canvas.showPage()
    canvas.save()
    return path


def archive(cat: Catalogue, path: Path, quote: str = QUOTE) -> AttachmentInfo:
    """An event citing a source with ``path`` archived; the attachment as the viewer gets it."""
    uuid = events.create_event(cat, "anna", EventInput(title="March", date="2020-11-15")).uuid
    source = sources.add_source(cat, "anna", SourceInput(title="Report", kind="ngo_report")).uuid
    sources.cite(cat, "anna", uuid, source, quote=quote)
    sources.attach_file(cat, "anna", source, path)
    with cat.session() as session:
        return load_event_detail(session, uuid).citations[0].source.attachments[0]


def viewer_for(qtbot: QtBot, cat: Catalogue, att: AttachmentInfo,
               quote: str = QUOTE) -> EvidenceViewer:  # fmt: skip
    viewer = open_viewer(cat, att, quote, None)
    qtbot.addWidget(viewer)
    return viewer


def test_pdf_opens_at_the_quote_with_its_words_marked(qtbot: QtBot, catalogue: Catalogue,
                                                      tmp_path: Path) -> None:  # fmt: skip
    att = archive(catalogue, make_pdf(tmp_path / "report.pdf", 50, 37))
    viewer = viewer_for(qtbot, catalogue, att)
    qtbot.waitUntil(lambda: "page 37" in viewer.found.text(), timeout=WAIT)
    pane = viewer.pane
    assert isinstance(pane, PdfPane)
    assert pane.index == 36 and pane.page_box.value() == 37
    assert "Matches" in viewer.check.text() and viewer.sha.text() == att.sha256
    qtbot.waitUntil(lambda: pane.canvas.pixmap() is not None
                    and not pane.canvas.pixmap().isNull(), timeout=WAIT)  # fmt: skip
    # The quote's boxes are painted: yellow-tinted pixels where the text is.
    image = pane.canvas.pixmap().toImage()
    assert _yellowish(image) > 500
    # The whole quote crossed a line break; what was found is said, in words.
    assert "page 37" in viewer.found.text()


def _yellowish(image: QImage) -> int:
    count = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            c = QColor(image.pixel(x, y))
            if c.red() > 200 and c.green() > 190 and c.blue() < 170:
                count += 1
    return count


def test_pdf_pages_zoom_and_a_quote_that_is_not_there(qtbot: QtBot, catalogue: Catalogue,
                                                      tmp_path: Path) -> None:  # fmt: skip
    att = archive(catalogue, make_pdf(tmp_path / "r.pdf", 3, 2), quote="nothing like this")
    viewer = viewer_for(qtbot, catalogue, att, "nothing like this")
    qtbot.waitUntil(lambda: "not found" in viewer.found.text(), timeout=WAIT)
    pane = viewer.pane
    assert isinstance(pane, PdfPane)
    qtbot.waitUntil(lambda: not pane.canvas.pixmap().isNull(), timeout=WAIT)
    width = pane.canvas.pixmap().width()
    pane.zoom(2.0)
    qtbot.waitUntil(lambda: pane.canvas.pixmap().width() > width * 1.8, timeout=WAIT)
    pane.go(2)
    assert pane.page_box.value() == 3
    pane.go(99)  # past the end: stays on the last page
    assert pane.index == 2
    assert _yellowish(pane.canvas.pixmap().toImage()) == 0


def test_image_fits_the_window_and_zooms(qtbot: QtBot, catalogue: Catalogue,
                                         tmp_path: Path) -> None:  # fmt: skip
    picture = QImage(2400, 1200, QImage.Format.Format_RGB32)
    picture.fill(QColor("#336699"))
    picture.save(str(tmp_path / "photo.png"))
    viewer = viewer_for(qtbot, catalogue, archive(catalogue, tmp_path / "photo.png"))
    qtbot.waitUntil(lambda: isinstance(viewer.pane, ImagePane), timeout=WAIT)
    pane = viewer.pane
    assert isinstance(pane, ImagePane)
    qtbot.waitUntil(lambda: pane.image is not None, timeout=WAIT)
    fitted = pane.canvas.pixmap().width()
    assert 100 < fitted < 2400  # fitted to the window's width
    pane.zoom(1 / pane.scale)  # actual size
    assert pane.canvas.pixmap().width() == 2400
    assert "compare it by eye" in viewer.found.text()


def test_saved_page_is_text_without_its_scripts_and_the_quote_marked(
    qtbot: QtBot, catalogue: Catalogue, tmp_path: Path
) -> None:
    page = tmp_path / "news.html"
    page.write_text("<html><head><title>News</title><script>alert('x')</script></head><body>"
                    "<p>Minsk, 15 November.</p><p>Witnesses: at least 28 people were detained "
                    "near the Pushkinskaya metro station.</p></body></html>",
                    encoding="utf-8")  # fmt: skip
    viewer = viewer_for(qtbot, catalogue, archive(catalogue, page))
    qtbot.waitUntil(lambda: isinstance(viewer.pane, TextPane), timeout=WAIT)
    pane = viewer.pane
    assert isinstance(pane, TextPane)
    text = pane.view.toPlainText()
    assert "alert" not in text and "<p>" not in text and "Minsk, 15 November." in text
    qtbot.waitUntil(lambda: "line" in viewer.found.text(), timeout=WAIT)
    marks = pane.view.extraSelections()
    assert len(marks) == 1 and marks[0].cursor.selectedText() == QUOTE


@pytest.mark.parametrize(("name", "data", "words"), [
    ("scan.pdf", b"%PDF-1.7\n1 0 obj <<>> garbage without an xref", "not a readable PDF"),
    ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "is damaged"),
])  # fmt: skip
def test_a_damaged_copy_is_named_and_the_window_stays_usable(
    qtbot: QtBot, catalogue: Catalogue, tmp_path: Path, name: str, data: bytes, words: str
) -> None:
    (tmp_path / name).write_bytes(data)
    viewer = viewer_for(qtbot, catalogue, archive(catalogue, tmp_path / name))
    qtbot.waitUntil(lambda: words in viewer.message.text(), timeout=WAIT)
    assert name in viewer.message.text()
    assert viewer.stack.currentWidget() is viewer.message
    assert "Matches" in viewer.check.text()  # damaged as a document, yet as it was archived


def test_an_altered_copy_is_shown_with_a_warning(qtbot: QtBot, catalogue: Catalogue,
                                                 tmp_path: Path) -> None:  # fmt: skip
    (tmp_path / "note.txt").write_text(QUOTE, encoding="utf-8")
    att = archive(catalogue, tmp_path / "note.txt")
    stored = catalogue.files.path_of(att.sha256)
    stored.chmod(0o644)
    stored.write_text("at least 2 people were detained", encoding="utf-8")
    viewer = viewer_for(qtbot, catalogue, att)
    qtbot.waitUntil(lambda: "does not match" in viewer.check.text().lower(), timeout=WAIT)
    assert "restore it from a backup" in viewer.check.text()


def test_a_missing_copy_says_how_to_find_the_others(qtbot: QtBot, catalogue: Catalogue,
                                                    tmp_path: Path) -> None:  # fmt: skip
    (tmp_path / "note.txt").write_text(QUOTE, encoding="utf-8")
    att = archive(catalogue, tmp_path / "note.txt")
    catalogue.files.path_of(att.sha256).unlink()
    with pytest.raises(NotFoundError, match="files verify"):
        evidence.read_copy(catalogue, att)
    viewer = viewer_for(qtbot, catalogue, att)
    qtbot.waitUntil(lambda: "missing" in viewer.message.text(), timeout=WAIT)
    assert "could not be checked" in viewer.check.text()


@pytest.mark.parametrize(("head", "media", "name", "kind"), [
    (b"%PDF-1.4 ...", "application/octet-stream", "x.bin", evidence.PDF),
    (b"\xff\xd8\xff\xe0....", "application/pdf", "x.pdf", evidence.IMAGE),
    (b"<html><body>hi", "text/html", "x.html", evidence.HTML),
    ("Задержаны 28 человек".encode(), "application/octet-stream", "x", evidence.TEXT),
    (b"\x00\x01\x02PK", "application/zip", "x.zip", evidence.OTHER),
    (b"not an image at all", "image/png", "x.png", evidence.OTHER),
])  # fmt: skip
def test_the_kind_comes_from_the_bytes_first(head: bytes, media: str, name: str,
                                             kind: str) -> None:  # fmt: skip
    assert evidence.kind_of(head, media, name) == kind


def test_quote_probes_go_from_the_whole_quote_to_its_parts() -> None:
    probes = evidence.quote_probes("Police  detained   dozens. At least 28 people were taken "
                                   "to the Okrestina detention centre on Sunday")  # fmt: skip
    assert probes[0].startswith("Police detained dozens.")
    assert (
        probes[1].startswith("At least 28 people")
        and probes[2] == "Police detained dozens. At least 28"
    )
    assert evidence.quote_probes("   ") == []
