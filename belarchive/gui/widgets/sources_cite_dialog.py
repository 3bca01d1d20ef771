"""The "Cite a source" dialog: pick an existing source (search as you type) or describe a new
one, then say where in it the event is reported and how credible that is.

The dialog only collects values; the panel writes them on the writer thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from belarchive.domain.edtf_dates import human_reading, is_valid
from belarchive.domain.text import fold
from belarchive.domain.values import LANGUAGES, SourceKind
from belarchive.services.inputs import SourceInput
from belarchive.storage.detail import SourceInfo

RELIABILITY = {
    "A": "Completely reliable", "B": "Usually reliable", "C": "Fairly reliable",
    "D": "Not usually reliable", "E": "Unreliable", "F": "Reliability cannot be judged",
}  # fmt: skip
KIND_LABELS = {
    "news": "News", "ngo_report": "NGO report", "official": "Official statement",
    "social_media": "Social media", "witness": "Witness account", "chronicle": "Chronicle",
    "document": "Document", "other": "Other",
}  # fmt: skip
CREDIBILITY = {
    1: "Confirmed by other sources", 2: "Probably true", 3: "Possibly true",
    4: "Doubtful", 5: "Improbable", 6: "Truth cannot be judged",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class CitationRequest:
    """What the user asked for: an existing source's UUID or a new source, plus the citation."""

    source_uuid: str | None
    new_source: SourceInput | None
    locator: str
    quote: str
    credibility: int


class NewSourceForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLineEdit(self)
        self.kind = QComboBox(self)
        for kind in SourceKind:
            self.kind.addItem(self.tr(KIND_LABELS.get(kind.value, kind.value)), kind.value)
        self.author, self.publisher, self.url = QLineEdit(self), QLineEdit(self), QLineEdit(self)
        self.url.setPlaceholderText("https://")
        self.published = QLineEdit(self)
        self.published.setPlaceholderText(self.tr("EDTF, e.g. 2020-11-15 or 2020-11~"))
        self.published_hint = QLabel(self)
        self.accessed = QLineEdit(date.today().isoformat(), self)
        self.accessed.setPlaceholderText("YYYY-MM-DD")
        self.language = QComboBox(self)
        for code in LANGUAGES:
            self.language.addItem(code, code)
        self.reliability = QComboBox(self)
        for grade, words in RELIABILITY.items():
            self.reliability.addItem(f"{grade} — {self.tr(words)}", grade)
        self.reliability.setCurrentIndex(len(RELIABILITY) - 1)
        form = QFormLayout(self)
        form.addRow(self.tr("Title"), self.title)
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Author"), self.author)
        form.addRow(self.tr("Publisher"), self.publisher)
        form.addRow(self.tr("URL"), self.url)
        form.addRow(self.tr("Published"), self.published)
        form.addRow("", self.published_hint)
        form.addRow(self.tr("Accessed"), self.accessed)
        form.addRow(self.tr("Language"), self.language)
        form.addRow(self.tr("Reliability"), self.reliability)
        self.published.textChanged.connect(self._check_published)

    def _check_published(self) -> None:
        text = self.published.text().strip()
        if not text:
            self.published_hint.setText("")
        elif is_valid(text):
            self.published_hint.setText(
                f'<span style="color:#2e7d32">✓ {human_reading(text)}</span>'
            )
        else:
            self.published_hint.setText('<span style="color:#b00020">' + self.tr(
                "Not an EDTF date (2020-11-15, 2020-11, 2020-11~, 2020-11-13/2020-11-15)")
                + "</span>")  # fmt: skip

    def problem(self) -> str:
        """Why the form cannot be saved yet ('' when it can)."""
        if not self.title.text().strip():
            return self.tr("Give the source a title.")
        published = self.published.text().strip()
        if published and not is_valid(published):
            return self.tr("The publication date is not a valid EDTF date.")
        accessed = self.accessed.text().strip()
        try:
            if accessed:
                date.fromisoformat(accessed)
        except ValueError:
            return self.tr("The access date must look like 2020-11-15.")
        return ""

    def value(self) -> SourceInput:
        return SourceInput(
            title=self.title.text().strip(), kind=str(self.kind.currentData()),
            author=self.author.text(), publisher=self.publisher.text(), url=self.url.text(),
            published=self.published.text().strip() or None,
            accessed=self.accessed.text().strip() or None,
            language=str(self.language.currentData()),
            reliability=str(self.reliability.currentData()),
        )  # fmt: skip


class CiteSourceDialog(QDialog):
    """``sources`` is the catalogue's source list (read beforehand, off the GUI thread)."""

    def __init__(self, sources: list[SourceInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Cite a source"))
        self.sources = sources
        self._folded = [fold(f"{s.title} {s.publisher} {s.author} {s.url}") for s in sources]
        self.tabs = QTabWidget(self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Type to search titles, publishers, URLs…"))
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.new_form = NewSourceForm(self)
        self.locator = QLineEdit(self)
        self.locator.setPlaceholderText(self.tr("page, paragraph, timestamp, lines…"))
        self.quote = QPlainTextEdit(self)
        self.quote.setMaximumHeight(80)
        self.credibility = QComboBox(self)
        for grade, words in CREDIBILITY.items():
            self.credibility.addItem(f"{grade} — {self.tr(words)}", grade)
        self.credibility.setCurrentIndex(len(CREDIBILITY) - 1)
        self.problem_label = QLabel(self)
        self.problem_label.setStyleSheet("color:#b00020")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Cite"))
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)
        self._build()
        self.search.textChanged.connect(self._filter)
        self._filter("")
        if not sources:
            self.tabs.setCurrentIndex(1)
        self.resize(560, 620)

    def _build(self) -> None:
        existing = QWidget(self)
        box = QVBoxLayout(existing)
        box.addWidget(self.search)
        box.addWidget(self.list, 1)
        self.tabs.addTab(existing, self.tr("Existing source"))
        self.tabs.addTab(self.new_form, self.tr("New source"))
        cite = QFormLayout()
        cite.addRow(self.tr("Locator"), self.locator)
        cite.addRow(self.tr("Quoted passage"), self.quote)
        cite.addRow(self.tr("Credibility"), self.credibility)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(cite)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)

    def _filter(self, text: str) -> None:
        words = fold(text).split()
        self.list.clear()
        for source, folded in zip(self.sources, self._folded, strict=True):
            if all(w in folded for w in words):
                label = source.title + (f" — {source.publisher}" if source.publisher else "")
                item = QListWidgetItem(f"{label}  [{source.reliability}]", self.list)
                item.setData(Qt.ItemDataRole.UserRole, source.uuid)
                item.setToolTip(source.url or source.title)
        if self.list.count():
            self.list.setCurrentRow(0)

    def request(self) -> CitationRequest:
        new = self.tabs.currentIndex() == 1
        item = self.list.currentItem()
        return CitationRequest(
            source_uuid=None if new or item is None else str(item.data(Qt.ItemDataRole.UserRole)),
            new_source=self.new_form.value() if new else None,
            locator=self.locator.text().strip(), quote=self.quote.toPlainText().strip(),
            credibility=int(self.credibility.currentData()),
        )  # fmt: skip

    def _try_accept(self) -> None:
        if self.tabs.currentIndex() == 1:
            problem = self.new_form.problem()
        else:
            problem = "" if self.list.currentItem() else self.tr("Pick a source from the list.")
        self.problem_label.setText(problem)
        if not problem:
            self.accept()
