"""CSV tables in the import wizard: map columns to fields, check every row, write the accepted.

All CSV knowledge lives in ``belarchive.importing.csv_io``: the mapping page shows its
headers and the fields it recognises by name (``peek_csv``), the preview is its
``preview_csv`` checked against the catalogue (``check_rows``: unknown tags or places),
and the commit is its ``import_csv`` on the writer thread with the accepted row numbers —
one transaction, all or nothing. Bad rows are listed with their row number and reason and
cannot be ticked.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from belarchive.gui.dialogs.import_commit import Writer
from belarchive.gui.dialogs.import_pages import ImportOptions
from belarchive.gui.widgets.background import CancelFn, ProgressFn
from belarchive.importing import csv_io
from belarchive.importing.csv_values import FIELDS
from belarchive.services.catalogue import Catalogue

Index = QModelIndex | QPersistentModelIndex
REQUIRED = ("title",)
LABELS = {
    "title": "Title", "date": "Date", "description": "Description", "language": "Language",
    "tags": "Tags", "places": "Places", "actors": "Actors", "uuid": "Event id",
    "detained": "Detained", "killed": "Killed", "injured": "Injured",
    "participants": "Participants", "detained_qualifier": "Detained: qualifier",
    "killed_qualifier": "Killed: qualifier", "injured_qualifier": "Injured: qualifier",
    "participants_qualifier": "Participants: qualifier",
}  # fmt: skip
BAD_BRUSH = QBrush(QColor("#b00020"))


def load_rows(cat: Catalogue, opts: ImportOptions) -> csv_io.CsvPreview:
    """On the thread pool: every row parsed, then checked against the catalogue (reads)."""
    assert opts.path is not None
    preview = csv_io.preview_csv(opts.path, opts.csv_mapping, opts.encoding)
    return csv_io.check_rows(cat, preview)


@dataclass(frozen=True, slots=True)
class CsvResult:
    """Shaped like ``ImportResult`` so the summary page reads both."""

    event_uuids: list[str]
    source_uuid: str | None
    warnings: tuple[str, ...] = ()


def make_writer(cat: Catalogue, user: str, opts: ImportOptions, rows: list[int]) -> Writer:
    path, mapping, encoding = opts.path, dict(opts.csv_mapping), opts.encoding
    assert path is not None

    def write(progress: ProgressFn, cancel: CancelFn) -> CsvResult:
        r = csv_io.import_csv(cat, user, path, mapping, encoding, progress, cancel, rows=rows)
        return CsvResult(r.created, None, tuple(f"Row {n}: {why}" for n, why in r.bad_rows))

    return write


class CsvMappingPage(QWizardPage):
    """Which column holds which field; the first rows are shown to help choose."""

    def __init__(self, options: ImportOptions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.options = options
        self.setTitle(self.tr("Match the columns"))
        self.setSubTitle(
            self.tr(
                "Say which column holds each field. Only the title is "
                "required; columns with known names are already chosen."
            )
        )
        self.boxes: dict[str, QComboBox] = {}
        self.sample = QTableWidget(self)
        self.sample.verticalHeader().hide()  # blank lines are skipped: no row numbers here
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color:#b00020")
        grid = QGridLayout()
        for n, name in enumerate(FIELDS):
            box = QComboBox(self)
            box.currentIndexChanged.connect(lambda _i: self.completeChanged.emit())
            self.boxes[name] = box
            row, col = n // 2, (n % 2) * 2
            grid.addWidget(QLabel(self.tr(LABELS.get(name, name)), self), row, col)
            grid.addWidget(box, row, col + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.sample, 1)
        layout.addWidget(self.problem)

    def initializePage(self) -> None:
        assert self.options.path is not None
        self.problem.setText("")
        try:  # reads the file once to show its header; the full parse runs off the GUI thread
            peek = csv_io.peek_csv(self.options.path, self.options.encoding)
        except Exception as exc:
            self.problem.setText(getattr(exc, "message", str(exc)))
            peek = csv_io.CsvPeek("", ",", (), {}, ())
        for name, box in self.boxes.items():
            box.blockSignals(True)
            box.clear()
            box.addItem(self.tr("(none)"), "")
            for h in peek.headers:
                if h:
                    box.addItem(h, h)
            box.setCurrentIndex(max(0, box.findData(peek.mapping.get(name, ""))))
            box.blockSignals(False)
        self.sample.clear()
        self.sample.setColumnCount(len(peek.headers))
        self.sample.setHorizontalHeaderLabels(list(peek.headers))
        self.sample.setRowCount(len(peek.sample))
        for r, row in enumerate(peek.sample):
            for c, cell in enumerate(row[: len(peek.headers)]):
                self.sample.setItem(r, c, QTableWidgetItem(cell))
        self.completeChanged.emit()

    def mapping(self) -> dict[str, str]:
        """Every field: its column, or "" for none (csv_io then does not read it)."""
        return {f: str(b.currentData() or "") for f, b in self.boxes.items()}

    def isComplete(self) -> bool:
        return all(self.boxes[f].currentData() for f in REQUIRED)

    def validatePage(self) -> bool:
        self.options.csv_mapping = self.mapping()
        return True


COL_ACCEPT, COL_ROW, COL_DATE, COL_TITLE, COL_DETAINED, COL_PLACES, COL_TAGS = range(7)
HEADERS = ("Import", "Row", "Date", "Title / problem", "Detained", "Places", "Tags")


class CsvRowModel(QAbstractTableModel):
    """One line per CSV record; good rows can be ticked off, bad rows show why they are bad."""

    accepted_changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[csv_io.CsvRow] = []
        self.accepted: list[bool] = []

    def set_rows(self, rows: list[csv_io.CsvRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.accepted = [r.event is not None for r in self.rows]
        self.endResetModel()
        self.accepted_changed.emit()

    def accepted_rows(self) -> list[int]:
        return [r.number for r, ok in zip(self.rows, self.accepted, strict=True) if ok]

    def bad_rows(self) -> list[tuple[int, str]]:
        return [(r.number, r.error or "") for r in self.rows if r.event is None]

    def set_all(self, value: bool) -> None:
        self.accepted = [value and r.event is not None for r in self.rows]
        self.dataChanged.emit(self.index(0, 0), self.index(max(0, len(self.rows) - 1), 0))
        self.accepted_changed.emit()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:  # fmt: skip
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(HEADERS[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == COL_ACCEPT and self.rows[index.row()].event is not None:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, col = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.CheckStateRole and col == COL_ACCEPT:
            if row.event is None:
                return None
            ok = self.accepted[index.row()]
            return Qt.CheckState.Checked if ok else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ForegroundRole and row.event is None:
            return BAD_BRUSH
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(row, col)
        return None

    def _text(self, row: csv_io.CsvRow, col: int) -> str:
        e = row.event
        if col == COL_ROW:
            return str(row.number)
        if e is None:
            if col == COL_ACCEPT:
                return self.tr("cannot import")
            return row.error or "" if col == COL_TITLE else ""
        if col == COL_DATE:
            return e.date or self.tr("(undated)")
        if col == COL_TITLE:
            return e.title
        if col == COL_DETAINED:
            return ", ".join(str(f.value_min) for f in e.figures if f.kind == "detained")
        if col == COL_PLACES:
            return ", ".join(e.places)
        if col == COL_TAGS:
            return ", ".join(e.tags)
        return ""

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if index.column() != COL_ACCEPT or role != Qt.ItemDataRole.CheckStateRole:
            return False
        if self.rows[index.row()].event is None:
            return False  # a bad row cannot be imported
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2)
        self.accepted[index.row()] = checked
        self.dataChanged.emit(index, index)
        self.accepted_changed.emit()
        return True


def header_html(opts: ImportOptions, preview: csv_io.CsvPreview, tr: Callable[[str], str]) -> str:
    bad = preview.bad_rows
    assert opts.path is not None
    text = tr("<b>{name}</b>: {n} rows, encoding {enc}; {good} can be imported.").format(
        name=html.escape(opts.path.name), n=len(preview.rows), enc=preview.encoding,
        good=len(preview.rows) - len(bad))  # fmt: skip
    if bad:
        text += " " + tr("{n} rows cannot be imported (in red, with the reason).").format(
            n=len(bad))  # fmt: skip
    if preview.unused:
        text += "<br>" + tr("Columns not read: {cols}").format(
            cols=html.escape(", ".join(preview.unused)))  # fmt: skip
    return text
