"""Connecting to a team catalogue: its server address and the member's password.

The password signs the member in to the server and unlocks their signing key (one secret,
services.users). Connecting runs on a worker thread: a server that does not answer keeps
the dialog waiting, never the window.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
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

Connector = Callable[[str, str], Any]


class TeamConnectDialog(QDialog):
    """Accepted once ``connector(address, password)`` opened the catalogue (``opened``)."""

    def __init__(self, connector: Connector, address: str = "",
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.connector = connector
        self.opened: Any = None
        self._worker = WriterWorker(self, name="belarchive-connect")
        self.setWindowTitle(tr("Connect to a team catalogue"))
        self.address = QLineEdit(address, self)
        self.address.setObjectName("teamAddress")
        self.address.setPlaceholderText(tr("postgresql://user@server/database"))
        self.password = QLineEdit(self)
        self.password.setObjectName("teamPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel(self)
        self.message.setObjectName("connectMessage")
        self.message.setWordWrap(True)
        note = QLabel(tr("A team catalogue lives on your organisation's PostgreSQL server. "
                         "Your password there also unlocks your signing key."), self)  # fmt: skip
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)  # fmt: skip
        self.buttons.accepted.connect(self.try_connect)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(tr("&Address:"), self.address)
        form.addRow(tr("Pass&word:"), self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        (self.password if address else self.address).setFocus()
        self.finished.connect(lambda _r: self._worker.stop())

    def try_connect(self) -> None:
        address, password = self.address.text().strip(), self.password.text()
        if not address:
            return
        self.buttons.setEnabled(False)
        self.message.setText(tr("Connecting…"))
        connector = self.connector
        self._worker.submit(lambda: connector(address, password), self._done, self._failed,
                            label="connect to a team catalogue")  # fmt: skip

    def _done(self, opened: Any) -> None:
        self.opened = opened
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.password.clear()
        self.password.setFocus()
        self.message.setText(exc.message if isinstance(exc, BelarchiveError) else str(exc))
