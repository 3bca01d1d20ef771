"""Import wizard, CSV preview: every row as ``importing.csv_io`` reads it, good or bad.

The file is parsed and checked on the thread pool (read only); good rows can be unticked,
bad rows are listed in red with their spreadsheet row number and the reason. Nothing is
written on this page.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from belarchive.errors import Cancelled
from belarchive.gui.context import AppContext
from belarchive.gui.dialogs.import_csv import (
    COL_ACCEPT,
    COL_DATE,
    COL_ROW,
    COL_TITLE,
    CsvRowModel,
    header_html,
    load_rows,
)
from belarchive.gui.dialogs.import_pages import ImportOptions
from belarchive.gui.widgets.background import BackgroundTask, CancelFn, ProgressFn
from belarchive.importing import csv_io


class CsvPreviewPage(QWizardPage):
    def __init__(self, ctx: AppContext, options: ImportOptions,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.ctx, self.options = ctx, options
        self.task: BackgroundTask | None = None
        self.preview: csv_io.CsvPreview | None = None
        self.blocking = ""
        self._loading = False
        self.setTitle(self.tr("Check the rows"))
        self.setSubTitle(self.tr("Untick rows that should not be imported. Rows in red cannot "
                                 "be imported; the reason is given."))  # fmt: skip
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("Import"))
        self.model = CsvRowModel()
        self.model.accepted_changed.connect(self.completeChanged.emit)
        self.header = QLabel(self)
        self.header.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        head.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#b00020")
        self.buttons: dict[str, QPushButton] = {}
        actions = QHBoxLayout()
        for key, text, value in (("all", self.tr("Accept all"), True),
                                 ("none", self.tr("Reject all"), False)):  # fmt: skip
            button = QPushButton(text, self)
            button.clicked.connect(lambda _=False, v=value: self.model.set_all(v))
            self.buttons[key] = button
            actions.addWidget(button)
        actions.addStretch(1)
        box = QVBoxLayout(self)
        box.addWidget(self.header)
        box.addWidget(self.progress)
        box.addLayout(actions)
        box.addWidget(self.table, 1)
        box.addWidget(self.message)

    def initializePage(self) -> None:
        self.model.set_rows([])
        self.preview, self.blocking = None, ""
        self.message.setText("")
        self.header.setText(self.tr("Reading the file…"))
        self._set_loading(True)
        cat, opts = self.ctx.catalogue, self.options

        def work(_progress: ProgressFn, cancel: CancelFn) -> csv_io.CsvPreview:
            preview = load_rows(cat, opts)
            if cancel():
                raise Cancelled("Reading the table was cancelled.")
            return preview

        self.task = BackgroundTask(work)
        self.task.finished.connect(self._loaded)
        self.task.failed.connect(self._load_failed)
        self.task.start()

    def cleanupPage(self) -> None:
        self.cancel()

    def cancel(self) -> None:
        if self.task is not None and self._loading:
            self.task.cancel()

    @property
    def loading(self) -> bool:
        return self._loading

    def _set_loading(self, loading: bool) -> None:
        self._loading = loading
        self.progress.setVisible(loading)
        self.progress.setRange(0, 0)
        for button in self.buttons.values():
            button.setEnabled(not loading)
        self.completeChanged.emit()

    def _loaded(self, preview: csv_io.CsvPreview) -> None:
        self.preview = preview
        self.model.set_rows(list(preview.rows))
        self.header.setText(header_html(self.options, preview, self.tr))
        self._set_loading(False)
        for col, width in ((COL_ACCEPT, 110), (COL_ROW, 50), (COL_DATE, 110)):
            self.table.setColumnWidth(col, width)

    def _load_failed(self, exc: BaseException) -> None:
        self._set_loading(False)
        self.header.setText("")
        self.blocking = getattr(exc, "message", None) or str(exc)
        self.message.setText(self.blocking)

    def isComplete(self) -> bool:
        return not self._loading and not self.blocking and bool(self.model.accepted_rows())
