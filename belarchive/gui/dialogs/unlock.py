"""Opening a sealed catalogue: a member's passphrase opens its key, then signs them in.

Everything in a sealed catalogue is encrypted; its only readable file, seal.json, names its
members. The key derivation (Argon2id) and the opening run on a worker thread, so the
window never freezes while they run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from belarchive.errors import BelarchiveError
from belarchive.gui.i18n import tr
from belarchive.gui.workers import WriterWorker
from belarchive.services.unlocking import Unlock


class UnlockDialog(QDialog):
    """Choose a member, type their passphrase; accepted once ``opener`` opened the catalogue
    with them (``opened`` then holds what it returned)."""

    def __init__(
        self,
        folder_name: str,
        members: list[str],
        current: str,
        opener: Callable[[Unlock], Any],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.opener = opener
        self.opened: Any = None
        self.user = ""
        self._worker = WriterWorker(self, name="belarchive-unlock")
        self.setWindowTitle(tr("Open sealed catalogue"))
        self.member = QComboBox(self)
        self.member.setObjectName("member")
        self.member.addItems(members)
        if current in members:
            self.member.setCurrentText(current)
        self.passphrase = QLineEdit(self)
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel(self)
        self.message.setObjectName("unlockMessage")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)  # fmt: skip
        self.buttons.accepted.connect(self.try_open)
        self.buttons.rejected.connect(self.reject)
        note = QLabel(tr("{name} is sealed: everything in it is encrypted. A member's "
                         "passphrase opens it.").format(name=folder_name), self)  # fmt: skip
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("&Member:"), self.member)
        form.addRow(tr("&Passphrase:"), self.passphrase)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        # Wide enough that the wrapped note and messages keep their last line (Qt sizes a
        # word-wrapped label for the width it first gets).
        self.setMinimumWidth(460)
        self.passphrase.setFocus()
        self.finished.connect(lambda _r: self._worker.stop())

    def try_open(self) -> None:
        name, given = self.member.currentText(), self.passphrase.text()
        if not name:
            return
        self.buttons.setEnabled(False)
        self.message.setText(tr("Checking the passphrase…"))
        opener = self.opener
        self._worker.submit(lambda: opener(Unlock(name, given)),
                            lambda opened: self._done(name, opened), self._failed,
                            label="open sealed catalogue")  # fmt: skip

    def _done(self, name: str, opened: Any) -> None:
        self.opened, self.user = opened, name
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.passphrase.clear()
        self.passphrase.setFocus()
        self.message.setText(exc.message if isinstance(exc, BelarchiveError) else str(exc))
