"""The evidence viewer window: one archived copy, its SHA-256 and whether it still matches,
the passage cited from it, and the copy itself (PDF, image, text or saved page).

The copy is read (and for a sealed catalogue decrypted) on the thread pool into memory; it
is never written to a temporary file, unlike handing it to another application.
"""

from __future__ import annotations

import html
import logging

from PySide6.QtCore import QDate, QDateTime, QLocale, Qt
from PySide6.QtGui import QCloseEvent, QFontDatabase, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from belarchive.errors import BelarchiveError
from belarchive.gui.errors import describe
from belarchive.gui.evidence.panes import ImagePane, PdfPane, TextPane
from belarchive.gui.i18n import size_text, tr
from belarchive.gui.widgets.background import run_read
from belarchive.services import evidence
from belarchive.services.catalogue import Catalogue
from belarchive.services.evidence import ArchivedCopy
from belarchive.storage.detail import AttachmentInfo

log = logging.getLogger(__name__)
GOOD, BAD = "#2e7d32", "#b00020"


class EvidenceViewer(QWidget):
    """A window of its own (several may be open, one per copy), closed with Esc."""

    def __init__(self, attachment: AttachmentInfo, quote: str = "",
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("evidenceViewer")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.attachment, self.quote = attachment, quote
        self.copy: ArchivedCopy | None = None
        self.pane: QWidget | None = None
        self.setWindowTitle(tr("{name} — archived copy").format(name=attachment.original_name))
        self.sha = QLineEdit(attachment.sha256, self)
        self.sha.setObjectName("evidenceSha")
        self.sha.setReadOnly(True)
        self.sha.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.sha.setAccessibleName(tr("SHA-256"))
        self.check = QLabel(tr("Checking the SHA-256…"), self)
        self.check.setObjectName("evidenceCheck")
        self.check.setWordWrap(True)
        self.quote_label = QLabel(self)
        self.quote_label.setObjectName("evidenceQuote")
        self.quote_label.setWordWrap(True)
        self.quote_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.found = QLabel(self)
        self.found.setObjectName("evidenceFound")
        self.found.setWordWrap(True)
        self.stack = QStackedWidget(self)
        self.message = QLabel(tr("Reading the archived copy…"), self)
        self.message.setObjectName("evidenceMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.stack.addWidget(self.message)
        self._layout()
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        self.resize(900, 700)

    def _layout(self) -> None:
        a = self.attachment
        form = QFormLayout()
        form.addRow(tr("File:"), QLabel(f"{a.original_name}  ·  {a.media_type}  ·  "
                                        f"{size_text(a.size)}", self))  # fmt: skip
        day = a.captured_at.date()
        archived = QLocale().toString(QDate(day.year, day.month, day.day),
                                      QLocale.FormatType.LongFormat)  # fmt: skip
        form.addRow(tr("Archived:"), QLabel(archived, self))
        form.addRow(tr("SHA-256:"), self.sha)
        form.addRow("", self.check)
        if self.quote.strip():
            self.quote_label.setText(f"<i>“{html.escape(' '.join(self.quote.split()))}”</i>")
            form.addRow(tr("Cited passage:"), self.quote_label)
        form.addRow("", self.found)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.stack, 1)

    def start(self, catalogue: Catalogue) -> None:
        """Read the copy off the GUI thread; show it when it arrives."""
        attachment = self.attachment
        run_read(lambda: evidence.read_copy(catalogue, attachment), self._read, self.fail,
                 owner=self)  # fmt: skip

    def _read(self, copy: ArchivedCopy) -> None:
        self.copy = copy
        moment = QDateTime.fromSecsSinceEpoch(int(copy.checked_at.timestamp()))
        when = QLocale().toString(moment, "d MMM yyyy, HH:mm")
        if copy.matches:
            text = tr("✓ Matches the SHA-256 recorded when it was archived (checked {when}).")
            self._set_check(text.format(when=when), GOOD)
        else:
            text = tr("✗ Does NOT match the SHA-256 recorded when it was archived (checked "
                      "{when}): the stored file was changed. Do not rely on it; restore it "
                      "from a backup.")  # fmt: skip
            self._set_check(text.format(when=when), BAD)
        try:
            pane = self._pane_for(copy)
        except BelarchiveError as exc:
            self.fail(exc)
            return
        if pane is None:
            media = copy.attachment.media_type
            known = tr("A file of type {type} cannot be shown here.").format(type=media)
            self.message.setText(known if media else tr("A file of unknown type cannot be "
                                                        "shown here."))  # fmt: skip
            return
        self.pane = pane
        pane.found.connect(self.found.setText)  # type: ignore[attr-defined]
        pane.failed.connect(self.fail)  # type: ignore[attr-defined]
        self.stack.addWidget(pane)
        self.stack.setCurrentWidget(pane)
        pane.start()  # type: ignore[attr-defined]

    def _pane_for(self, copy: ArchivedCopy) -> QWidget | None:
        kinds = {evidence.PDF: PdfPane, evidence.IMAGE: ImagePane, evidence.TEXT: TextPane,
                 evidence.HTML: TextPane}  # fmt: skip
        maker = kinds.get(copy.kind)
        return maker(copy, self.quote, self) if maker else None

    def _set_check(self, text: str, colour: str) -> None:
        self.check.setText(text)
        self.check.setStyleSheet(f"color: {colour}; font-weight: bold;")

    def fail(self, exc: BaseException) -> None:
        """The copy cannot be shown: say why in the window, which stays usable."""
        message, _detail = describe(exc)
        if not isinstance(exc, BelarchiveError):
            log.error("evidence viewer: %s", _detail)
        if self.copy is None:
            self._set_check(tr("The SHA-256 could not be checked."), BAD)
        self.message.setText(message)
        self.message.setStyleSheet(f"color: {BAD};")
        self.stack.setCurrentWidget(self.message)

    def closeEvent(self, event: QCloseEvent) -> None:
        if isinstance(self.pane, PdfPane):
            self.pane.close_document()
        super().closeEvent(event)


def open_viewer(catalogue: Catalogue, attachment: AttachmentInfo, quote: str,
                parent: QWidget | None) -> EvidenceViewer:  # fmt: skip
    viewer = EvidenceViewer(attachment, quote, parent)
    viewer.show()
    viewer.start(catalogue)
    return viewer
