"""Table model over the wizard's ``ProposalList``: one row per proposed event.

Column 0 is the accept checkbox; Date and Title edit in place (validated by the list, whose
error is shown in the wizard's message line); other columns explain what the parser found.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from belarchive.domain.values import QUALIFIER_SYMBOL, FigureKind, Qualifier
from belarchive.errors import BelarchiveError
from belarchive.gui.dialogs.import_proposals import ProposalList
from belarchive.importing.chronicle import ProposedEvent

Index = QModelIndex | QPersistentModelIndex
COL_ACCEPT, COL_DATE, COL_TITLE, COL_DETAINED, COL_SAME, COL_PLACES, COL_TAGS, COL_CONF = range(8)
HEADERS = ("Import", "Date", "Title", "Detained", "Same incident", "Places", "Tags",
           "Confidence")  # fmt: skip
SAME_BRUSH = QBrush(QColor(255, 213, 79, 70))
BACKGROUND_BRUSH = QBrush(QColor(120, 120, 120, 40))
LOW_CONFIDENCE = 0.6


def detained_text(e: ProposedEvent) -> str:
    """The largest detention count of the incident itself; running totals in brackets."""
    figures = [f for f in e.figures if f.kind == FigureKind.DETAINED and f.scope == "incident"]
    if not figures:
        totals = [f for f in e.figures if f.kind == FigureKind.DETAINED]
        return f"({max(f.value_min for f in totals)} Σ)" if totals else ""
    if not figures:
        return ""
    f = max(figures, key=lambda x: x.value_min)
    value = f"{f.value_min}–{f.value_max}" if f.value_max else str(f.value_min)
    return f"{QUALIFIER_SYMBOL.get(Qualifier(f.qualifier), '')}{value}"


class ProposalModel(QAbstractTableModel):
    edit_failed = Signal(str)
    accepted_changed = Signal()

    def __init__(self, proposals: ProposalList | None = None) -> None:
        super().__init__()
        self.proposals = proposals or ProposalList([])

    def set_proposals(self, proposals: ProposalList) -> None:
        self.beginResetModel()
        self.proposals = proposals
        self.endResetModel()
        self.accepted_changed.emit()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.proposals)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:  # fmt: skip
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(HEADERS[section])
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == COL_ACCEPT:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if index.column() in (COL_DATE, COL_TITLE):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        e = self.proposals.items[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and col == COL_ACCEPT:
            ok = self.proposals.accepted[index.row()]
            return Qt.CheckState.Checked if ok else Qt.CheckState.Unchecked
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(e, col, role == Qt.ItemDataRole.EditRole, index.row())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(e, col, index.row())
        if role == Qt.ItemDataRole.BackgroundRole and e.is_background:
            return BACKGROUND_BRUSH
        if role == Qt.ItemDataRole.BackgroundRole and col == COL_SAME:
            return SAME_BRUSH if self.proposals.same[index.row()].asked else None
        if role == Qt.ItemDataRole.FontRole and e.is_background:
            font = QFont()
            font.setItalic(True)
            return font
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and col == COL_CONF
            and e.confidence < LOW_CONFIDENCE
        ):
            return QBrush(QColor("#b00020"))
        return None

    def _text(self, e: ProposedEvent, col: int, editing: bool, row: int) -> str:
        if col == COL_ACCEPT:
            return self.tr("background") if e.is_background else ""
        if col == COL_DATE:
            if editing:
                return e.edtf or ""
            evidence = f"  «{e.date_evidence}»" if e.date_evidence else ""
            return (e.edtf or self.tr("(undated)")) + evidence
        if col == COL_TITLE:
            return e.title
        if col == COL_DETAINED:
            return detained_text(e)
        if col == COL_SAME:
            return self.same_text(row)
        if col == COL_PLACES:
            return ", ".join(dict.fromkeys(p.key for p in e.places))
        if col == COL_TAGS:
            return ", ".join(t.key for t in e.tags)
        return f"{e.confidence:.0%}"

    def same_text(self, row: int) -> str:
        same = self.proposals.same[row]
        if not same.asked:
            return ""
        if same.choice == "new":
            return self.tr("keep as new")
        if same.choice == "skip":
            return self.tr("skip")
        key = same.choice.removeprefix("link:")
        if key.startswith("#"):
            return self.tr("→ repeats an earlier item")
        title = next((m.title for m in same.candidates if m.key == key), key)
        return "→ " + title

    def _tooltip(self, e: ProposedEvent, col: int, row: int) -> str:
        if col == COL_SAME:
            return "\n".join(f"{m.title}: {'; '.join(m.reasons)}"
                              for m in self.proposals.same[row].candidates)  # fmt: skip
        if col == COL_DETAINED:
            return "\n".join(f"{f.kind.value} {f.qualifier.value} {f.value_min}: «{f.evidence}» — "
                             f"{f.sentence}" for f in e.figures)  # fmt: skip
        if col == COL_TAGS:
            return "\n".join(f"{t.key}: «{t.evidence}»" for t in e.tags)
        if col == COL_PLACES:
            return "\n".join(f"{p.key}: «{p.matched}» (line {p.line})" for p in e.places)
        if col == COL_DATE:
            return self.tr("Lines {a}–{b}; date confidence {c:.0%}").format(
                a=e.line_start, b=e.line_end, c=e.date_confidence)  # fmt: skip
        return e.text

    def setData(self, index: Index, value: object,
                role: int = Qt.ItemDataRole.EditRole) -> bool:  # fmt: skip
        row, col = index.row(), index.column()
        try:
            if col == COL_ACCEPT and role == Qt.ItemDataRole.CheckStateRole:
                checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2)
                self.proposals.set_accepted(row, checked)
                self.accepted_changed.emit()
            elif col == COL_DATE and role == Qt.ItemDataRole.EditRole:
                self.proposals.set_date(row, str(value))
            elif col == COL_TITLE and role == Qt.ItemDataRole.EditRole:
                self.proposals.set_title(row, str(value))
            else:
                return False
        except BelarchiveError as exc:
            self.edit_failed.emit(exc.message)
            return False
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))
        return True

    # -- structural edits (split/merge) reset the rows they touch ------------------------
    def split(self, row: int, at_sentence: int) -> None:
        self.beginResetModel()
        try:
            self.proposals.split(row, at_sentence)
        finally:
            self.endResetModel()
        self.accepted_changed.emit()

    def merge_with_next(self, row: int) -> None:
        self.beginResetModel()
        try:
            self.proposals.merge_with_next(row)
        finally:
            self.endResetModel()
        self.accepted_changed.emit()

    def set_choice(self, row: int, choice: str) -> None:
        try:
            self.proposals.set_choice(row, choice)
        except BelarchiveError as exc:
            self.edit_failed.emit(exc.message)
            return
        self.dataChanged.emit(self.index(row, COL_SAME), self.index(row, COL_SAME))

    def set_all(self, value: bool) -> None:
        self.proposals.set_all(value)
        self.dataChanged.emit(self.index(0, 0), self.index(max(0, len(self.proposals) - 1), 0))
        self.accepted_changed.emit()
