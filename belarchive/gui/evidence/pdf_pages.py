"""A PDF copy's pages through PDFium (pypdfium2): page sizes, rendering, and where a quote is.

PDFium is not thread-safe, and pages render on the thread pool so the window never waits
for one; every call into it therefore holds ``_PDFIUM``, one lock for the whole process.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pypdfium2 as pdfium
from PySide6.QtGui import QImage

from belarchive.errors import ValidationError
from belarchive.i18n import _

_PDFIUM = threading.Lock()
WHITE = (255, 255, 255, 255)
# PDFium's pixel formats (FPDFBitmap_Gray, _BGR, _BGRx, _BGRA), in the byte order Qt reads
# once ``rev_byteorder`` has turned BGR into RGB.
_FORMATS = {1: QImage.Format.Format_Grayscale8, 2: QImage.Format.Format_RGB888,
            3: QImage.Format.Format_RGBX8888, 4: QImage.Format.Format_RGBA8888}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Found:
    page: int  # 0-based
    probe: str  # the words that were found (the whole quote or a part of it)
    rects: tuple[tuple[float, float, float, float], ...]  # left, bottom, right, top (points)


class PdfPages:
    """One open PDF, read from bytes in memory (never from a temporary file)."""

    def __init__(self, data: bytes, name: str) -> None:
        self._data = data  # PDFium reads from this buffer for as long as the document lives
        try:
            with _PDFIUM:
                self._doc = pdfium.PdfDocument(data)
                self.count = len(self._doc)
        except pdfium.PdfiumError as exc:
            raise ValidationError(
                _("“{name}” is damaged or not a readable PDF ({reason}).").format(
                    name=name, reason=exc
                )
            ) from None
        self.closed = False
        if self.count == 0:
            raise ValidationError(_("“{name}” is a PDF without pages.").format(name=name))

    def _page(self, index: int) -> pdfium.PdfPage:
        """Under the lock: a page of the document, unless the viewer has closed it (a
        render queued just before the window closed must not touch freed memory)."""
        if self.closed:
            raise ValidationError(_("The document is closed."))
        return self._doc[index]

    def size(self, index: int) -> tuple[float, float]:
        """Width and height of a page in points."""
        with _PDFIUM:
            page = self._page(index)
            try:
                return page.get_size()  # type: ignore[no-any-return]
            finally:
                page.close()

    def render(self, index: int, scale: float) -> QImage:
        """The page as an image (``scale`` pixels per point), owned by Qt."""
        with _PDFIUM:
            page = self._page(index)
            try:
                bitmap = page.render(scale=scale, fill_color=WHITE, rev_byteorder=True)
                pixels = bytes(bitmap.buffer)
                image = QImage(pixels, bitmap.width, bitmap.height, bitmap.stride,
                               _FORMATS[bitmap.format])  # fmt: skip
                return image.copy()  # Qt's own memory: ``pixels`` goes with this frame
            except pdfium.PdfiumError as exc:
                raise ValidationError(
                    _("Page {page} cannot be drawn: {reason}.").format(page=index + 1, reason=exc)
                ) from None
            finally:
                page.close()

    def find(self, probes: list[str]) -> Found | None:
        """The first page where one of ``probes`` occurs (tried in order), and its boxes."""
        for probe in probes:
            for index in range(self.count):
                rects = self._find_on(index, probe)
                if rects:
                    return Found(index, probe, rects)
        return None

    def _find_on(self, index: int, probe: str) -> tuple[tuple[float, float, float, float], ...]:
        with _PDFIUM:
            page = self._page(index)
            text = page.get_textpage()
            try:
                searcher = text.search(probe, match_case=False)
                hit = searcher.get_next()
                if hit is None:
                    return ()
                start, length = hit
                n = text.count_rects(start, length)
                return tuple(text.get_rect(i) for i in range(n))
            finally:
                text.close()
                page.close()

    def close(self) -> None:
        with _PDFIUM:
            if not self.closed:
                self.closed = True
                self._doc.close()
