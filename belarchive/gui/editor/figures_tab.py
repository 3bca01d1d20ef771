"""The editor's Figures tab: kind, value or min–max, qualifier, citation, note per row.

Two sources may disagree (ministry 581, NGO 620): both rows stay, each with its citation.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from belarchive.domain.values import QUALIFIER_SYMBOL, FigureKind, FigureScope, Qualifier
from belarchive.gui.i18n import tr
from belarchive.services.inputs import FigureInput
from belarchive.storage.detail import CitationInfo, EventDetail, FigureInfo

MAX_VALUE = 10_000_000
KIND, LOW, HIGH, QUALIFIER, CITATION, NOTE, SCOPE, PERIOD = range(8)


def kind_label(kind: str) -> str:
    return {"detained": tr("detained"), "killed": tr("killed"), "injured": tr("injured"),
            "participants": tr("participants"), "other": tr("other")}.get(kind, kind)  # fmt: skip


def qualifier_label(q: Qualifier) -> str:
    words = {"exact": tr("exactly"), "approximately": tr("approximately"),
             "at_least": tr("at least"), "more_than": tr("more than"),
             "up_to": tr("up to")}  # fmt: skip
    symbol = QUALIFIER_SYMBOL[q]
    return f"{symbol} {words[q.value]}".strip()


def citation_label(c: CitationInfo) -> str:
    where = f" — {c.locator}" if c.locator else ""
    return f"{c.source.title}{where}"


class FiguresTab(QWidget):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._citations: tuple[CitationInfo, ...] = ()
        self.table = QTableWidget(0, 8, self)
        self.table.setObjectName("figuresTable")
        headers = [tr("Kind"), tr("Value (min)"), tr("Max"), tr("Qualifier"), tr("Citation"),
                   tr("Note"), tr("Counts"), tr("Period (EDTF)")]  # fmt: skip
        self.table.setHorizontalHeaderLabels(headers)
        self.table.horizontalHeader().setSectionResizeMode(NOTE, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.add_button = QPushButton(tr("&Add figure"), self)
        self.remove_button = QPushButton(tr("&Remove figure"), self)
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button.clicked.connect(self.remove_current)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        # What the totals will count, in words: the scope columns may be scrolled out of view.
        self.counting = QLabel(self)
        self.counting.setObjectName("figuresCounting")
        self.counting.setWordWrap(True)
        self.edited.connect(self._show_counting)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.counting)
        layout.addLayout(buttons)

    def load(self, d: EventDetail | None) -> None:
        self._citations = d.citations if d else ()
        self.table.setRowCount(0)
        for f in d.figures if d else ():
            self.add_row(f, emit=False)
        self._show_counting()

    def _show_counting(self) -> None:
        figures = self.values()
        running = sum(1 for f in figures if f.scope != FigureScope.INCIDENT.value)
        parts = sum(1 for f in figures if f.part_of is not None)
        words = []
        if running:
            words.append(tr("{n} running total(s): listed with their period, never added up.")
                         .format(n=running))  # fmt: skip
        if parts:
            words.append(tr("{n} part(s) of another figure: not added on their own.")
                         .format(n=parts))  # fmt: skip
        self.counting.setText(" ".join(words))
        self.counting.setVisible(bool(words))

    def add_row(self, f: FigureInfo | None = None, *, emit: bool = True) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        kind = QComboBox()
        for k in FigureKind:
            kind.addItem(kind_label(k.value), k.value)
        low, high = QSpinBox(), QSpinBox()
        low.setRange(0, MAX_VALUE)
        high.setRange(-1, MAX_VALUE)
        high.setSpecialValueText("—")  # -1: no upper bound, a single value
        qualifier = QComboBox()
        for q in Qualifier:
            qualifier.addItem(qualifier_label(q), q.value)
        scope = QComboBox()
        scope.addItem(tr("this incident"), FigureScope.INCIDENT.value)
        scope.addItem(tr("running total"), FigureScope.PERIOD.value)
        scope.setToolTip(tr("Running totals are shown with their period and never added up."))
        period = QLineEdit()
        period.setPlaceholderText("../2020-11-03")
        citation = QComboBox()
        citation.addItem(tr("(no citation)"), None)
        for c in self._citations:
            citation.addItem(citation_label(c), c.uuid)
        note = QLineEdit()
        if f is not None:
            kind.setCurrentIndex(max(0, kind.findData(f.kind)))
            low.setValue(f.value_min)
            high.setValue(f.value_max if f.value_max is not None else -1)
            qualifier.setCurrentIndex(max(0, qualifier.findData(f.qualifier)))
            citation.setCurrentIndex(max(0, citation.findData(f.citation_uuid)))
            note.setText(f.note)
            scope.setCurrentIndex(max(0, scope.findData(f.scope)))
            period.setText(f.period or "")
            # Which figure this one is part of travels with the row (by UUID, rows may move).
            kind.setProperty("figure_uuid", f.uuid)
            kind.setProperty("part_of", f.part_of)
        else:
            high.setValue(-1)
        for column, widget in ((KIND, kind), (LOW, low), (HIGH, high), (QUALIFIER, qualifier),
                               (SCOPE, scope), (PERIOD, period), (CITATION, citation),
                               (NOTE, note)):  # fmt: skip
            self.table.setCellWidget(row, column, widget)
        for signal in (kind.currentIndexChanged, low.valueChanged, high.valueChanged,
                       qualifier.currentIndexChanged, citation.currentIndexChanged,
                       note.textChanged, scope.currentIndexChanged,
                       period.textChanged):  # fmt: skip
            signal.connect(self.edited)
        if emit:
            self.edited.emit()
            kind.setFocus()
        return row

    def remove_current(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            row = self.table.rowCount() - 1
        if row >= 0:
            self.table.removeRow(row)
            self.edited.emit()

    def set_value(self, row: int, kind: str, low: int, high: int | None = None,
                  qualifier: str = "exact") -> None:  # fmt: skip
        """Fill one row (keyboard-free: tests and scripted entry)."""
        w = self.table.cellWidget
        w(row, KIND).setCurrentIndex(w(row, KIND).findData(kind))  # type: ignore[attr-defined]
        w(row, LOW).setValue(low)  # type: ignore[attr-defined]
        w(row, HIGH).setValue(-1 if high is None else high)  # type: ignore[attr-defined]
        w(row, QUALIFIER).setCurrentIndex(w(row, QUALIFIER).findData(qualifier))  # type: ignore[attr-defined]

    def values(self) -> tuple[FigureInput, ...]:
        out = []
        w = self.table.cellWidget
        row_of = {w(r, KIND).property("figure_uuid"): r for r in range(self.table.rowCount())}
        row_of.pop(None, None)
        for row in range(self.table.rowCount()):
            high = w(row, HIGH).value()  # type: ignore[attr-defined]
            scope = w(row, SCOPE).currentData()  # type: ignore[attr-defined]
            period = w(row, PERIOD).text().strip()  # type: ignore[attr-defined]
            out.append(FigureInput(
                kind=w(row, KIND).currentData(),  # type: ignore[attr-defined]
                value_min=w(row, LOW).value(),  # type: ignore[attr-defined]
                value_max=None if high < 0 else high,
                qualifier=w(row, QUALIFIER).currentData(),  # type: ignore[attr-defined]
                citation=w(row, CITATION).currentData(),  # type: ignore[attr-defined]
                note=w(row, NOTE).text().strip(),  # type: ignore[attr-defined]
                scope=scope,
                period=(period or None) if scope != FigureScope.INCIDENT.value else None,
                part_of=row_of.get(w(row, KIND).property("part_of")),
            ))  # fmt: skip
        return tuple(out)


def figure_inputs(figures: tuple[FigureInfo, ...]) -> tuple[FigureInput, ...]:
    """The stored figures as inputs (to compare with the form, and for undo)."""
    index = {f.uuid: k for k, f in enumerate(figures)}
    return tuple(FigureInput(f.kind, f.value_min, f.value_max, f.qualifier, f.citation_uuid,
                             f.note, f.scope, f.period, index.get(f.part_of or ""))
                 for f in figures)  # fmt: skip
