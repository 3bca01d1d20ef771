"""Who is working: chosen at start-up from the catalogue's users, remembered per catalogue."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from belarchive.gui.i18n import tr


def role_label(role: str) -> str:
    return {"archivist": tr("archivist"), "reviewer": tr("reviewer"),
            "admin": tr("admin")}.get(role, role)  # fmt: skip


class UserDialog(QDialog):
    def __init__(self, users: list[tuple[str, str]], current: str = "",
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(tr("Who is working?"))
        self.list = QListWidget(self)
        self.list.setObjectName("userList")
        for name, role in users:
            item = QListWidgetItem(f"{name} — {role_label(role)}")
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.list.addItem(item)
            if name == current:
                self.list.setCurrentItem(item)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _i: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)  # fmt: skip
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        note = QLabel(tr("Everything you do is recorded in the audit log under this name."), self)
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(self.list)
        layout.addWidget(buttons)

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None
