"""The viewer's panes, one per kind of copy: PDF pages, an image, plain text.

Each pane takes the copy and the cited quote, shows the copy, and reports in ``found`` what
became of the quote (a sentence for the viewer's quote line). Drawing a PDF page and
decoding an image run on the thread pool; only the answer is put on screen here.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QImage,
    QImageReader,
    QKeySequence,
    QPainter,
    QPixmap,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QTextEdit,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from belarchive.errors import ValidationError
from belarchive.gui.evidence.pdf_pages import Found, PdfPages
from belarchive.gui.i18n import tr
from belarchive.gui.widgets.background import run_read
from belarchive.i18n import _
from belarchive.services.evidence import ArchivedCopy, quote_probes, text_of

HIGHLIGHT = QColor(255, 214, 0, 110)
ZOOM_STEP = 1.25


class Pane(QWidget):
    found = Signal(str)  # what became of the quote, in words
    failed = Signal(object)  # BelarchiveError: the copy cannot be shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QToolBar(self)
        self.bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.area = QScrollArea(self)
        self.area.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.canvas = QLabel(self.area)
        self.canvas.setObjectName("evidenceCanvas")
        self.canvas.setAccessibleName(tr("The archived copy"))
        self.canvas.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.area.setWidget(self.canvas)
        self.area.setWidgetResizable(False)
        self.fitting = True  # the copy follows the window's width until the user zooms
        self.refit = QTimer(self)  # one redraw after a resize settles, not one per pixel
        self.refit.setSingleShot(True)
        self.refit.setInterval(150)
        # Connected in zoom_actions, only while the copy is fitted: a resize must not undo a
        # zoom the user chose since.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar)
        layout.addWidget(self.area, 1)

    def act(self, text: str, keys: QKeySequence | QKeySequence.StandardKey | str,
            slot: object) -> QAction:  # fmt: skip
        action = self.bar.addAction(text)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        shown = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{text.replace('&', '')} ({shown})")
        action.triggered.connect(slot)
        return action

    def zoom_actions(self, zoom: Callable[[float], None], fit: Callable[[], None]) -> None:
        """Zoom out, in and fit, acting through the pane's own ``zoom`` and ``fit``."""
        out = 1 / ZOOM_STEP
        self.act(tr("Zoom &out"), QKeySequence.StandardKey.ZoomOut, lambda: zoom(out))
        self.act(tr("Zoom &in"), QKeySequence.StandardKey.ZoomIn, lambda: zoom(ZOOM_STEP))
        self.act(tr("&Fit width"), "Ctrl+0", fit)
        self.refit.timeout.connect(lambda: fit() if self.fitting else None)

    def usable_width(self) -> int:
        # The vertical scroll bar's width is kept free even before it shows: a page fitted
        # to the width is taller than the window, and the bar would then push it wider.
        bar = self.area.verticalScrollBar().sizeHint().width()
        return max(200, self.area.width() - 2 * self.area.frameWidth() - bar - 4)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.fitting:
            self.refit.start()


class PdfPane(Pane):
    """One page at a time, drawn at the zoom chosen; the quote's boxes painted over it."""

    def __init__(self, copy: ArchivedCopy, quote: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pages = PdfPages(copy.data, copy.attachment.original_name)  # ValidationError
        self.quote = quote
        self.hit: Found | None = None
        self.index, self.scale, self.fitting = 0, 1.0, True
        self._asked = 0  # the latest render asked for; older answers are dropped
        self.act(tr("&Previous page"), "Ctrl+PgUp", lambda: self.go(self.index - 1))
        self.page_box = QSpinBox(self)
        self.page_box.setObjectName("pageBox")
        self.page_box.setRange(1, self.pages.count)
        self.page_box.setSuffix(tr(" of {n}").format(n=self.pages.count))
        self.page_box.setAccessibleName(tr("Page"))
        self.page_box.valueChanged.connect(lambda v: self.go(v - 1))
        self.bar.addWidget(self.page_box)
        self.act(tr("&Next page"), "Ctrl+PgDown", lambda: self.go(self.index + 1))
        self.bar.addSeparator()
        self.zoom_actions(self.zoom, self.fit_width)
        self.act(tr("Find the &quote"), "F3", self.find_quote)

    def start(self) -> None:
        if self.quote.strip():
            self.find_quote()
        else:
            self.found.emit("")
            self.show_page()

    def go(self, index: int) -> None:
        index = max(0, min(self.pages.count - 1, index))
        if index != self.index or self.page_box.value() != index + 1:
            self.index = index
            self.page_box.blockSignals(True)
            self.page_box.setValue(index + 1)
            self.page_box.blockSignals(False)
            self.show_page()

    def zoom(self, factor: float) -> None:
        self.fitting = False
        self.scale = max(0.25, min(6.0, self.scale * factor))
        self.show_page()

    def fit_width(self) -> None:
        self.fitting = True
        self.show_page()

    def show_page(self) -> None:
        pages, index = self.pages, self.index
        if self.fitting:
            self.scale = self.usable_width() / max(1.0, pages.size(index)[0])
        self._asked += 1
        asked, scale = self._asked, self.scale
        run_read(lambda: (pages.render(index, scale), pages.size(index)[1]),
                 lambda result: self._drawn(asked, index, scale, *result),
                 self.failed.emit, owner=self)  # fmt: skip

    def _drawn(self, asked: int, index: int, scale: float, image: QImage, height: float) -> None:
        if asked != self._asked:
            return  # the user has moved on: a newer page or zoom is on its way
        hit = self.hit
        if hit is not None and hit.page == index:
            painter = QPainter(image)
            for left, bottom, right, top in hit.rects:
                painter.fillRect(QRectF(left * scale, (height - top) * scale,
                                        (right - left) * scale, (top - bottom) * scale),
                                 HIGHLIGHT)  # fmt: skip
            painter.end()
        self.canvas.setPixmap(QPixmap.fromImage(image))
        self.canvas.resize(image.size())
        if hit is not None and hit.page == index and hit.rects:
            self.area.ensureVisible(0, int((height - hit.rects[0][3]) * scale), 0, 120)

    def find_quote(self) -> None:
        pages, probes = self.pages, quote_probes(self.quote)
        if not probes:
            return
        self.found.emit(tr("Searching the copy for the quote…"))
        run_read(lambda: pages.find(probes), self._quote_found, self.failed.emit, owner=self)

    def _quote_found(self, hit: Found | None) -> None:
        self.hit = hit
        if hit is None:
            self.found.emit(tr("The quote was not found in this copy's text (a scan has no "
                               "text, or the wording differs)."))  # fmt: skip
            self.show_page()
            return
        whole = " ".join(self.quote.split())
        self.found.emit(tr("Quote found on page {page}.").format(page=hit.page + 1)
                        if hit.probe == whole else
                        tr("Part of the quote found on page {page}: “{part}”.").format(
                            page=hit.page + 1, part=hit.probe))  # fmt: skip
        self.index = -1
        self.go(hit.page)

    def close_document(self) -> None:
        self.pages.close()


def decode_image(data: bytes, name: str) -> QImage:
    """Pool thread: the image in a copy, or ValidationError saying why it cannot be shown."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QBuffer.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)
    image = reader.read()
    if image.isNull():
        message = _("The image “{name}” is damaged or in a format belarchive cannot show "
                    "({reason}).")  # fmt: skip
        raise ValidationError(message.format(name=name, reason=reader.errorString()))
    return image


class ImagePane(Pane):
    def __init__(self, copy: ArchivedCopy, quote: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.copy, self.quote = copy, quote
        self.image: QImage | None = None
        self.scale, self.fitting = 1.0, True
        self.zoom_actions(self.zoom, self.fit_width)
        self.act(tr("&Actual size"), "Ctrl+1", lambda: self.zoom(1 / self.scale))

    def start(self) -> None:
        data, name = self.copy.data, self.copy.attachment.original_name
        self.found.emit(tr("An image cannot be searched for the quote: compare it by eye.")
                        if self.quote.strip() else "")  # fmt: skip
        run_read(lambda: decode_image(data, name), self._decoded, self.failed.emit, owner=self)

    def _decoded(self, image: QImage) -> None:
        self.image = image
        self.fit_width()

    def zoom(self, factor: float) -> None:
        self.fitting = False
        self.scale = max(0.05, min(8.0, self.scale * factor))
        self._show()

    def fit_width(self) -> None:
        if self.image is not None:
            self.fitting = True
            self.scale = min(1.0, self.usable_width() / max(1, self.image.width()))
            self._show()

    def _show(self) -> None:
        if self.image is None:
            return
        size = self.image.size() * self.scale
        scaled = self.image.scaled(size, Qt.AspectRatioMode.KeepAspectRatio,
                                   Qt.TransformationMode.SmoothTransformation)  # fmt: skip
        self.canvas.setPixmap(QPixmap.fromImage(scaled))
        self.canvas.resize(scaled.size())


class TextPane(QWidget):
    """Text and saved pages as plain text (a page's scripts and links never run or load)."""

    found = Signal(str)
    failed = Signal(object)

    def __init__(self, copy: ArchivedCopy, quote: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.quote = quote
        self.view = QPlainTextEdit(self)
        self.view.setObjectName("evidenceText")
        self.view.setReadOnly(True)
        self.view.setPlainText(text_of(copy))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    def start(self) -> None:
        self.found.emit(self.highlight() if self.quote.strip() else "")

    def highlight(self) -> str:
        """Mark every place the quote (or the best part of it) occurs; go to the first."""
        document = self.view.document()
        for probe in quote_probes(self.quote):
            selections = []
            cursor = document.find(probe, 0)
            while not cursor.isNull():
                mark = QTextEdit.ExtraSelection()
                mark.cursor, mark.format = cursor, QTextCharFormat()  # type: ignore[misc]
                mark.format.setBackground(HIGHLIGHT)
                selections.append(mark)
                cursor = document.find(probe, cursor, QTextDocument.FindFlag(0))
            if selections:
                self.view.setExtraSelections(selections)
                first = QTextCursor(selections[0].cursor)
                first.clearSelection()
                self.view.setTextCursor(first)
                self.view.centerCursor()
                line = selections[0].cursor.blockNumber() + 1
                return tr("Quote found on line {line} ({n} in all).").format(
                    line=line, n=len(selections))  # fmt: skip
        return tr("The quote was not found in this copy's text (the wording may differ).")
