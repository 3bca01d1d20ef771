"""The queue's list as a model: thousands of waiting events (13,677 in the 100k benchmark)
list at once, where one widget item each took seconds to lay out."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from belarchive.gui.editor.history_tab import when_in_words
from belarchive.gui.i18n import tr
from belarchive.storage.review import Waiting

Index = QModelIndex | QPersistentModelIndex
UUID = Qt.ItemDataRole.UserRole
GREY = QColor("#80868b")


class WaitingModel(QAbstractListModel):
    def __init__(self, user: str) -> None:
        super().__init__()
        self.user = user
        self.rows: list[Waiting] = []
        self.skipped: set[str] = set()

    def set_rows(self, rows: list[Waiting]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        w = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{w.date_edtf or '?'}  {w.title}"
        if role == UUID:
            return w.uuid
        if role == Qt.ItemDataRole.ForegroundRole and not w.is_for(self.user):
            return GREY
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(w)
        return None

    def tooltip(self, w: Waiting) -> str:
        sent = tr("Sent to review by {who} on {when}").format(who=w.sent_by, when=when_sent(w))
        lines = [w.title, sent]
        if not w.is_for(self.user):
            lines.append(tr("You edited it last: another reviewer must verify it."))
        if w.uuid in self.skipped:
            lines.append(tr("Skipped for now"))
        return "\n".join(lines)


def when_sent(w: Waiting) -> str:
    return when_in_words(w.since.strftime("%Y-%m-%dT%H:%M:%S"))
