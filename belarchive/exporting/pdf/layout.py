"""Page layout: A4, a cover without header, running header and "page X of Y" footer elsewhere.

The story is fed lazily (LazyStory): ReportLab consumes flowables from the front of a
list, so a list that refills itself from a generator keeps only a few entries' flowables
in memory at a time, whatever the size of the dossier.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from belarchive.exporting.pdf.flowables.markers import TOTAL_FORM
from belarchive.exporting.pdf.styles import MUTED, RULE, SANS, SANS_BOLD

PAGE_W, PAGE_H = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 20 * mm
FRAME_W = PAGE_W - 2 * MARGIN_X


class LazyStory(list):  # type: ignore[type-arg]
    """A list of flowables that tops itself up from a generator as ReportLab consumes it."""

    def __init__(self, source: Iterator[Flowable], low_water: int = 16) -> None:
        super().__init__()
        self._source: Iterator[Flowable] | None = source
        self._low = low_water

    def __len__(self) -> int:
        if self._source is not None and super().__len__() < self._low:
            for _ in range(self._low * 4):
                try:
                    self.append(next(self._source))
                except StopIteration:
                    self._source = None
                    break
        return super().__len__()


class DossierDoc(BaseDocTemplate):  # type: ignore[misc]
    def __init__(
        self,
        path: Path,
        *,
        header_left: str,
        header_right: str,
        footer_left: str,
        page_word: str,
        of_word: str,
        **meta: str | list[str],
    ) -> None:
        super().__init__(
            str(path),
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            # Without this every page's preamble selects Helvetica (unused, but listed).
            initialFontName=SANS,
            initialFontSize=9,
            **meta,
        )
        self.header_left, self.header_right = header_left, header_right
        self.footer_left = footer_left
        self.page_word, self.of_word = page_word, of_word
        frame = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            FRAME_W,
            PAGE_H - MARGIN_TOP - MARGIN_BOTTOM,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates(
            [
                PageTemplate(id="cover", frames=[frame], onPage=self._footer_only),
                PageTemplate(id="body", frames=[frame], onPage=self._header_footer),
            ]
        )

    def _footer(self, canv: Canvas) -> None:
        canv.setFont(SANS, 7.5)
        canv.setFillColor(MUTED)
        y = MARGIN_BOTTOM - 10 * mm
        canv.drawString(MARGIN_X, y, self.footer_left)
        # "Page 3 of N": N is a form defined on the last page (see markers.py).
        text = f"{self.page_word} {canv.getPageNumber()} {self.of_word} "
        x = PAGE_W - MARGIN_X - 22
        canv.drawRightString(x, y, text)
        canv.saveState()
        canv.translate(x, y)
        canv.doForm(TOTAL_FORM)
        canv.restoreState()

    def _footer_only(self, canv: Canvas, _doc: object) -> None:
        canv.saveState()
        self._footer(canv)
        canv.restoreState()

    def _header_footer(self, canv: Canvas, _doc: object) -> None:
        canv.saveState()
        y = PAGE_H - MARGIN_TOP + 8 * mm
        canv.setFont(SANS_BOLD, 7.5)
        canv.setFillColor(MUTED)
        canv.drawString(MARGIN_X, y, self.header_left[:90])
        canv.setFont(SANS, 7.5)
        canv.drawRightString(PAGE_W - MARGIN_X, y, self.header_right[:70])
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN_X, y - 2.5 * mm, PAGE_W - MARGIN_X, y - 2.5 * mm)
        self._footer(canv)
        canv.restoreState()
