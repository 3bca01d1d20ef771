"""Zero-size flowables that record where things land, and page numbers drawn as forms.

Page numbers (the table of contents, "page X of Y") are known only once the whole
document is laid out. Instead of a second layout pass (which doubles the time of a
10,000-incident dossier), each number is drawn as a reference to a PDF form XObject that
is defined at the very end, when every number is known: one pass, exact numbers.
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from belarchive.exporting.pdf.styles import SANS

PageMap = dict[str, int]
TOTAL_FORM = "belarchive-total-pages"


def page_form(key: str) -> str:
    return f"belarchive-page-{key}"


class Anchor(Flowable):  # type: ignore[misc]
    """Marks where a section or entry starts: page map, PDF bookmark, outline entry."""

    def __init__(
        self,
        key: str,
        pages: PageMap,
        outline: str | None = None,
        level: int = 0,
        on_draw: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.key, self.pages, self.outline, self.level = key, pages, outline, level
        self.on_draw = on_draw
        self.width = self.height = 0

    def wrap(self, _aw: float, _ah: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        canv: Canvas = self.canv
        self.pages[self.key] = canv.getPageNumber()
        if self.outline is not None:
            canv.bookmarkPage(self.key)
            canv.addOutlineEntry(self.outline, self.key, level=self.level, closed=self.level > 0)
        if self.on_draw:
            self.on_draw()


class PageRef(Flowable):  # type: ignore[misc]
    """The page number of an anchor, right-aligned (defined later as a form)."""

    def __init__(
        self, key: str, width: float = 40, height: float = 12, baseline: float = 10
    ) -> None:
        super().__init__()
        self.key, self.width, self.height = key, width, height
        # A Paragraph draws its first baseline ``fontSize`` below its top: match it.
        self.baseline = height - baseline

    def wrap(self, _aw: float, _ah: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.translate(self.width, self.baseline)
        self.canv.doForm(page_form(self.key))
        self.canv.restoreState()


def define_page_forms(canv: Canvas, pages: PageMap, keys: list[str], font_size: float) -> None:
    """Define every page-number form; call once, on the last page."""
    for key in keys:
        canv.beginForm(page_form(key), -80, -4, 0, font_size + 4)
        canv.setFont(SANS, font_size)
        canv.drawRightString(0, 0, str(pages.get(key, "?")))
        canv.endForm()
    canv.beginForm(TOTAL_FORM, 0, -4, 80, 12)
    canv.setFont(SANS, 7.5)
    canv.drawString(0, 0, str(canv.getPageNumber()))
    canv.endForm()


class DefineForms(Flowable):  # type: ignore[misc]
    """The last flowable of a dossier: defines the page-number forms once all are known."""

    def __init__(self, pages: PageMap, keys: list[str], font_size: float = 10.5) -> None:
        super().__init__()
        self.pages, self.keys, self.font_size = pages, keys, font_size

    def wrap(self, _aw: float, _ah: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        define_page_forms(self.canv, self.pages, self.keys, self.font_size)
