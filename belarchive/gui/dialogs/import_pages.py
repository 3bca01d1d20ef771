"""Import wizard, page 1: the file and how to read it (kind, year, language, encoding)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
    QWizardPage,
)

ENCODINGS = (("auto", None), ("UTF-8", "utf-8"), ("Windows-1253 (Greek)", "cp1253"),
             ("Windows-1251 (Cyrillic)", "cp1251"), ("KOI8-R", "koi8-r"))  # fmt: skip
LANGUAGES = (("el", "Ελληνικά"), ("ru", "Русский"), ("be", "Беларуская"), ("en", "English"),
             ("uk", "Українська"))  # fmt: skip
NO_YEAR = 1899  # the spin box's "auto" value


@dataclass(slots=True)
class ImportOptions:
    path: Path | None = None
    kind: str = "chronicle"  # or "csv"
    year: int | None = None
    language: str | None = None
    encoding: str | None = None
    csv_mapping: dict[str, str] = field(default_factory=dict)  # field -> CSV column


def guess_kind(path: Path) -> str:
    return "csv" if path.suffix.lower() in (".csv", ".tsv") else "chronicle"


class FilePage(QWizardPage):
    def __init__(self, options: ImportOptions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.options = options
        self.setTitle(self.tr("Choose a file to import"))
        self.setSubTitle(self.tr("A narrative chronicle (plain text) or a table of events (CSV). "
                                 "Nothing is written until you confirm the preview."))  # fmt: skip
        self.path = QLineEdit(self)
        self.path.setPlaceholderText(self.tr("Path of a .txt or .csv file"))
        self.path.textChanged.connect(self._path_changed)
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self._browse)
        self.kind = QComboBox(self)
        self.kind.addItem(self.tr("Chronicle (narrative text)"), "chronicle")
        self.kind.addItem(self.tr("CSV table"), "csv")
        self.year = QSpinBox(self)
        self.year.setRange(NO_YEAR, 2100)
        self.year.setSpecialValueText(self.tr("from the text"))
        self.year.setToolTip(self.tr("Year of entries that give only a day and month"))
        self.language = QComboBox(self)
        self.language.addItem(self.tr("detect"), None)
        for code, name in LANGUAGES:
            self.language.addItem(f"{name} ({code})", code)
        self.encoding = QComboBox(self)
        for label, value in ENCODINGS:
            self.encoding.addItem(self.tr("detect") if value is None else label, value)
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color:#b00020")
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form = QFormLayout(self)
        form.addRow(self.tr("File"), row)
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Year"), self.year)
        form.addRow(self.tr("Language"), self.language)
        form.addRow(self.tr("Encoding"), self.encoding)
        form.addRow("", self.problem)

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import a chronicle or CSV"),
            "",
            self.tr("Chronicles and tables (*.txt *.text *.md *.csv *.tsv);;All files (*)"),
        )
        if name:
            self.path.setText(name)

    def _path_changed(self, text: str) -> None:
        path = Path(text.strip()) if text.strip() else None
        if path is not None and path.is_file():
            self.kind.setCurrentIndex(self.kind.findData(guess_kind(path)))
            self.problem.setText("")
        elif path is not None:
            self.problem.setText(self.tr("There is no file at this path."))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        text = self.path.text().strip()
        return bool(text) and Path(text).is_file()

    def validatePage(self) -> bool:
        o = self.options
        o.path = Path(self.path.text().strip())
        o.kind = str(self.kind.currentData())
        o.year = None if self.year.value() == NO_YEAR else self.year.value()
        o.language = self.language.currentData()
        o.encoding = self.encoding.currentData()
        return True
