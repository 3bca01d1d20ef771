"""Export the current selection: a PDF dossier, a CSV table or a belarchive-json file.

The export only reads the catalogue, so it runs on the thread pool with progress and Cancel
while the window stays usable; the exporters write to a temporary file and rename it, so a
cancelled export leaves nothing behind.
"""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from belarchive.errors import Cancelled
from belarchive.gui.context import AppContext
from belarchive.gui.dialogs.export_jobs import (
    ExportOutcome,
    Job,
    PdfChoices,
    csv_job,
    json_job,
    pdf_job,
)
from belarchive.gui.i18n import LANGUAGES
from belarchive.gui.widgets.background import BackgroundTask, run_read
from belarchive.storage import queries
from belarchive.storage.queries import EventFilter

FORMATS = (("pdf", "PDF dossier", ".pdf"), ("csv", "CSV table", ".csv"),
           ("json", "belarchive-json (complete, re-importable)", ".json"))  # fmt: skip


class ExportDialog(QDialog):
    exported = Signal(object)  # ExportOutcome

    def __init__(self, ctx: AppContext, current_filter: EventFilter | None,
                 parent: QWidget | None = None, *, query: str = "") -> None:  # fmt: skip
        super().__init__(parent)
        # No filter (no browser yet) means the whole catalogue.
        self.ctx, self.filter, self.query = ctx, current_filter or EventFilter(), query
        self.task: BackgroundTask | None = None
        self.outcome: ExportOutcome | None = None
        self._running_now = False
        self.setWindowTitle(self.tr("Export"))
        self.selection = QLabel(self.describe_filter(), self)
        self.selection.setWordWrap(True)
        self.format_group = QButtonGroup(self)
        self.pdf_box = self._pdf_options()
        self.with_files = QCheckBox(self.tr("Embed the archived copies (larger file)"), self)
        self.bom = QCheckBox(self.tr("Start with a byte-order mark (Excel then reads UTF-8)"),
                             self)  # fmt: skip
        self.bom.setChecked(True)
        self.path = QLineEdit(self)
        self.progress = QProgressBar(self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.export_button = QPushButton(self.tr("Export"), self)
        self.export_button.setDefault(True)
        self.open_button = QPushButton(self.tr("Open"), self)
        self.close_button = QPushButton(self.tr("Close"), self)
        self._build()
        self._format_changed()
        self._count_events()
        self.resize(620, self.sizeHint().height())

    # -- building ----------------------------------------------------------------------
    def _pdf_options(self) -> QGroupBox:
        box = QGroupBox(self.tr("Dossier"), self)
        self.template = QComboBox(box)
        self.template.addItem(self.tr("Repression incident log"), "incident_log")
        self.template.addItem(self.tr("Chronicle (every event)"), "chronicle")
        self.lang = QComboBox(box)
        for code, name in LANGUAGES.items():  # the dossier languages are the interface's
            self.lang.addItem(name, code)
        self.title = QLineEdit(box)
        self.title.setPlaceholderText(self.tr("default: the template's name"))
        self.verified_only = QCheckBox(self.tr("Verified events only"), box)
        self.no_annotations = QCheckBox(self.tr("Leave out annotations and internal notes"), box)
        self.no_annotations.setChecked(True)
        self.pseudonymise = QCheckBox(self.tr("Pseudonymise victims and witnesses"), box)
        form = QFormLayout(box)
        form.addRow(self.tr("Template"), self.template)
        form.addRow(self.tr("Language"), self.lang)
        form.addRow(self.tr("Title"), self.title)
        form.addRow("", self.verified_only)
        form.addRow(self.tr("Redaction"), self.no_annotations)
        form.addRow("", self.pseudonymise)
        return box

    def _build(self) -> None:
        what = QGroupBox(self.tr("Selection"), self)
        QVBoxLayout(what).addWidget(self.selection)
        formats = QGroupBox(self.tr("Format"), self)
        fbox = QVBoxLayout(formats)
        for i, (key, label, _ext) in enumerate(FORMATS):
            radio = QRadioButton(self.tr(label), formats)
            radio.setProperty("format", key)
            radio.setChecked(i == 0)
            self.format_group.addButton(radio, i)
            fbox.addWidget(radio)
        fbox.addWidget(self.bom)
        fbox.addWidget(self.with_files)
        self.format_group.idToggled.connect(lambda _i, on: self._format_changed() if on else None)
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self._browse)
        out = QHBoxLayout()
        out.addWidget(QLabel(self.tr("Save as"), self))
        out.addWidget(self.path, 1)
        out.addWidget(browse)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)
        self.export_button.clicked.connect(self.start)
        self.open_button.clicked.connect(self.open_result)
        self.close_button.clicked.connect(self.cancel_or_close)
        self.open_button.setEnabled(False)
        self.progress.setVisible(False)
        box = QVBoxLayout(self)
        for w in (what, formats, self.pdf_box):
            box.addWidget(w)
        box.addLayout(out)
        box.addWidget(self.progress)
        box.addWidget(self.status)
        box.addStretch(1)
        box.addLayout(buttons)

    # -- selection in words ------------------------------------------------------------
    def describe_filter(self) -> str:
        f, parts = self.filter, []
        if f.date_from or f.date_to:
            parts.append(self.tr("dates {a} – {b}").format(
                a=f.date_from.isoformat() if f.date_from else "…",
                b=f.date_to.isoformat() if f.date_to else "…"))  # fmt: skip
        for label, values in ((self.tr("tags"), f.tags), (self.tr("places"), f.places),
                              (self.tr("statuses"), f.statuses),
                              (self.tr("languages"), f.languages)):  # fmt: skip
            if values:
                parts.append(f"{label}: {', '.join(values)}")
        if self.query:
            parts.append(self.tr("search «{q}»").format(q=self.query))
        elif f.uuids is not None:
            parts.append(self.tr("{n} search results").format(n=len(f.uuids)))
        words = "; ".join(parts) if parts else self.tr("every event in the catalogue")
        return html.escape(words[0].upper() + words[1:])

    def _count_events(self) -> None:
        cat, f = self.ctx.catalogue, self.filter

        def count() -> int:
            with cat.reader.connect() as conn:
                return queries.count_events(conn, f)

        run_read(count, lambda n: self.selection.setText(
            self.describe_filter() + " — " + self.tr("{n} events").format(n=n)),
            owner=self)  # fmt: skip

    # -- format and output path -----------------------------------------------------------
    @property
    def format(self) -> str:
        return FORMATS[max(0, self.format_group.checkedId())][0]

    def set_format(self, key: str) -> None:
        index = [k for k, _l, _e in FORMATS].index(key)
        self.format_group.button(index).setChecked(True)

    def _format_changed(self) -> None:
        fmt = self.format
        self.pdf_box.setEnabled(fmt == "pdf")
        self.with_files.setEnabled(fmt == "json")
        self.bom.setEnabled(fmt == "csv")
        ext = dict((k, e) for k, _l, e in FORMATS)[fmt]
        current = self.path.text().strip()
        if not current:
            docs = QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DocumentsLocation
            )
            current = str(Path(docs or Path.home()) / f"belarchive-{date.today().isoformat()}")
        self.path.setText(str(Path(current).with_suffix(ext)))
        note = ""
        if fmt == "pdf" and self.filter.uuids is not None and not self.query:
            note = self.tr("The dossier cannot use search results without the query text; "
                           "it uses the other filters.")  # fmt: skip
        self.status.setText(note)

    def _browse(self) -> None:
        ext = dict((k, e) for k, _l, e in FORMATS)[self.format]
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export to"), self.path.text(),
                                              f"*{ext}")  # fmt: skip
        if name:
            self.path.setText(name if name.endswith(ext) else name + ext)

    # -- running -------------------------------------------------------------------------
    def make_job(self, out: Path) -> Job:
        cat, f = self.ctx.catalogue, self.filter
        if self.format == "pdf":
            choices = PdfChoices(
                template=str(self.template.currentData()), lang=str(self.lang.currentData()),
                title=self.title.text(), verified_only=self.verified_only.isChecked(),
                leave_out_annotations=self.no_annotations.isChecked(),
                pseudonymise=self.pseudonymise.isChecked())  # fmt: skip
            return pdf_job(cat, f, self.query, self.ctx.user, choices, out)
        if self.format == "json":
            return json_job(cat, f, self.with_files.isChecked(), out)
        return csv_job(cat, f, self.bom.isChecked(), out)

    def start(self) -> None:
        out = Path(self.path.text().strip()).expanduser()
        if not self.path.text().strip() or not out.parent.is_dir():
            self.status.setText(self.tr("Choose a file in an existing folder."))
            return
        self.outcome = None
        self.open_button.setEnabled(False)
        self._running(True)
        self.status.setText(self.tr("Exporting…"))
        self.task = BackgroundTask(self.make_job(out))
        self.task.progress.connect(self._progress)
        self.task.finished.connect(self._done)
        self.task.failed.connect(self._failed)
        self.task.start()

    @property
    def running(self) -> bool:
        # GUI-side state: cleared only once the result (or the failure) has been shown.
        return self._running_now

    def _running(self, on: bool) -> None:
        self._running_now = on
        self.progress.setVisible(on)
        self.progress.setRange(0, 0)
        self.export_button.setEnabled(not on)
        self.close_button.setText(self.tr("Cancel") if on else self.tr("Close"))

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)

    def _done(self, outcome: ExportOutcome) -> None:
        self._running(False)
        self.outcome = outcome
        text = self.tr("Saved {path}: {summary}").format(path=outcome.path, summary=outcome.summary)
        if outcome.problems:
            text += "<br><b style='color:#b00020'>" + html.escape(
                self.tr("Archived copies that failed their check:")) + "</b> " + html.escape(
                "; ".join(outcome.problems))  # fmt: skip
        self.status.setText(text)
        self.open_button.setEnabled(True)
        self.exported.emit(outcome)

    def _failed(self, exc: BaseException) -> None:
        self._running(False)
        if isinstance(exc, Cancelled):
            self.status.setText(self.tr("Export cancelled; no file was written."))
            return
        self.status.setText(f"<span style='color:#b00020'>{html.escape(str(exc))}</span>")

    def cancel_or_close(self) -> None:
        if self.running and self.task is not None:
            self.task.cancel()
            self.status.setText(self.tr("Cancelling…"))
        else:
            self.accept()

    def reject(self) -> None:  # Esc or the window's close button
        if self.running and self.task is not None:
            self.task.cancel()  # the pool thread stops at its next check; the file is not kept
        super().reject()

    def open_result(self) -> None:
        if self.outcome is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.outcome.path)))
