"""Signing in: who is working, proved by their passphrase (services.accounts).

The passphrase unlocks the user's signing key; every change they make is signed with it, so
switching to another user needs that user's passphrase. The key derivation (Argon2id) and
a first sign-in's write run on a worker thread: the window never freezes while it runs.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from belarchive.errors import BelarchiveError
from belarchive.gui.dialogs.user_dialog import role_label
from belarchive.gui.i18n import tr
from belarchive.gui.workers import WriterWorker
from belarchive.services.catalogue import Catalogue


class SignInDialog(QDialog):
    """Choose a user and type their passphrase; accepted once the catalogue signed them in."""

    def __init__(self, cat: Catalogue, people: list[tuple[str, str]], current: str = "",
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.cat = cat
        self.signed_in: str | None = None
        self._worker = WriterWorker(self, name="belarchive-sign-in")
        self.setWindowTitle(tr("Sign in"))
        self.list = QListWidget(self)
        self.list.setObjectName("userList")
        self._needs_new: dict[str, bool] = {}
        self._fill(people, current)
        self.passphrase = QLineEdit(self)
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit(self)
        self.again.setObjectName("passphraseAgain")
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel(self)
        self.message.setObjectName("signInMessage")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)  # fmt: skip
        self.buttons.accepted.connect(self.try_sign_in)
        self.buttons.rejected.connect(self.reject)
        self._layout()
        self.list.currentItemChanged.connect(lambda *_: self._user_changed())
        self._user_changed()
        self.finished.connect(lambda _r: self._worker.stop())

    def _fill(self, people: list[tuple[str, str]], current: str) -> None:
        from belarchive.services.accounts import has_passphrase

        for name, role in people:
            item = QListWidgetItem(f"{name} — {role_label(role)}")
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.list.addItem(item)
            self._needs_new[name] = not has_passphrase(self.cat, name)
            if name == current:
                self.list.setCurrentItem(item)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)

    def _layout(self) -> None:
        note = QLabel(tr("Everything you do is recorded in the audit log under this name and "
                         "signed with your key, which your passphrase unlocks."), self)  # fmt: skip
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("&Passphrase:"), self.passphrase)
        form.addRow(tr("&Again:"), self.again)
        self._again_label = form.labelForField(self.again)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.list)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _user_changed(self) -> None:
        first = self._needs_new.get(self.chosen() or "", False)
        self.again.setVisible(first)
        if self._again_label is not None:
            self._again_label.setVisible(first)
        self.message.setText(
            tr("{name} has no passphrase yet: choose one (at least 8 characters).")
            .format(name=self.chosen()) if first else ""
        )  # fmt: skip
        self.passphrase.clear()
        self.again.clear()
        self.passphrase.setFocus()

    def try_sign_in(self) -> None:
        name, given = self.chosen(), self.passphrase.text()
        if not name:
            return
        if self.again.isVisible() and self.again.text() != given:
            self.message.setText(tr("The two passphrases differ."))
            return
        self._busy(True)
        cat = self.cat
        self._worker.submit(lambda: cat.sign_in(name, given), lambda _s: self._done(name),
                            self._failed, label="sign in")  # fmt: skip

    def _busy(self, busy: bool) -> None:
        self.buttons.setEnabled(not busy)
        self.list.setEnabled(not busy)
        if busy:
            self.message.setText(tr("Checking the passphrase…"))

    def _done(self, name: str) -> None:
        self.signed_in = name
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        self.passphrase.clear()
        self.passphrase.setFocus()
        self.message.setText(exc.message if isinstance(exc, BelarchiveError) else str(exc))


def demo_note(cat: Catalogue) -> str:
    """What the window says about a demo catalogue's passphrase (empty otherwise)."""
    demo = cat.meta.get("demo_passphrase")
    if not demo:
        return ""
    return tr("Demo catalogue: its users sign in with the passphrase “{passphrase}”. Choose "
              "your own (Preferences → Change my passphrase) before recording real "
              "evidence.").format(passphrase=demo)  # fmt: skip
