"""Import wizard, page 3: write the accepted events (on the writer thread) and summarise.

The import is ONE transaction: Cancel stops it between events and nothing is written.
``progress``/``cancel`` callbacks run on the writer thread; progress is re-emitted as a
queued signal, cancel reads a thread-safe flag.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QLabel,
    QProgressBar,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from belarchive.errors import Cancelled
from belarchive.gui.context import AppContext
from belarchive.gui.widgets.background import CancelFn, ProgressFn

# fn(progress, cancel) -> result; runs on the writer thread
Writer = Callable[[ProgressFn, CancelFn], Any]


class _Bridge(QObject):
    progress = Signal(int, int)


class CommitPage(QWizardPage):
    committed = Signal(object)  # the import result

    def __init__(
        self,
        ctx: AppContext,
        make_writer: Callable[[], Writer],
        summarise: Callable[[Any], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.make_writer = make_writer
        self.summarise = summarise
        self.result: Any = None
        self.error: BaseException | None = None
        self.running = False
        self._cancel = threading.Event()
        self._bridge = _Bridge(self)
        self._bridge.progress.connect(self._progress)
        self.setTitle(self.tr("Importing"))
        self.status = QLabel(self.tr("Writing the accepted events…"), self)
        self.progress = QProgressBar(self)
        self.cancel_button = QPushButton(self.tr("Cancel import"), self)
        self.cancel_button.clicked.connect(self.cancel)
        self.summary = QTextBrowser(self)
        self.summary.setOpenExternalLinks(False)
        box = QVBoxLayout(self)
        box.addWidget(self.status)
        box.addWidget(self.progress)
        box.addWidget(self.cancel_button)
        box.addWidget(self.summary, 1)

    def initializePage(self) -> None:
        self.result, self.error, self.running = None, None, True
        self._cancel.clear()
        self.progress.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.summary.clear()
        write = self.make_writer()
        emit, flag = self._bridge.progress.emit, self._cancel.is_set
        self.ctx.write(lambda: write(emit, flag), self._done, self._failed, label="import")
        self.completeChanged.emit()

    def cancel(self) -> None:
        if self.running:
            self._cancel.set()
            self.status.setText(self.tr("Cancelling… nothing will be written."))
            self.cancel_button.setEnabled(False)

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        self.status.setText(self.tr("Writing event {done} of {total}…").format(
            done=done, total=total))  # fmt: skip

    def _done(self, result: Any) -> None:
        self.running, self.result = False, result
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.cancel_button.hide()
        self.status.setText(self.tr("Import finished."))
        self.summary.setHtml(self.summarise(result))
        self.committed.emit(result)
        self.completeChanged.emit()

    def _failed(self, exc: BaseException) -> None:
        self.running, self.error = False, exc
        self.cancel_button.hide()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        if isinstance(exc, Cancelled):
            self.status.setText(self.tr("Import cancelled; nothing was written."))
        else:
            self.status.setText(self.tr("The import failed; nothing was written."))
            self.summary.setPlainText(str(exc))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self.running
