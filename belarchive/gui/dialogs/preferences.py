"""Preferences: interface language (applied at once by gui/app.py) and, for admins, users."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from belarchive.domain.values import Role
from belarchive.gui.dialogs.user_dialog import role_label
from belarchive.gui.errors import show_error
from belarchive.gui.i18n import LANGUAGES, tr
from belarchive.gui.settings import GuiSettings
from belarchive.services import users

if TYPE_CHECKING:
    from belarchive.gui.context import AppContext


class PreferencesDialog(QDialog):
    def __init__(self, ctx: AppContext, settings: GuiSettings,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.ctx, self.settings = ctx, settings
        self.setWindowTitle(tr("Preferences"))
        self.language = QComboBox(self)
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        form = QFormLayout()
        form.addRow(tr("Interface &language:"), self.language)
        self.lock_minutes = QSpinBox(self)
        self.lock_minutes.setObjectName("lockMinutes")
        self.lock_minutes.setRange(0, 480)
        self.lock_minutes.setSuffix(tr(" min"))
        self.lock_minutes.setSpecialValueText(tr("never"))
        self.lock_minutes.setValue(settings.lock_minutes)
        hint = QLabel(
            tr("A new language applies at once; unsaved edits are asked about first."), self
        )
        hint.setStyleSheet("color: #5f6368;")
        form.addRow("", hint)
        form.addRow(tr("&Lock after idle:"), self.lock_minutes)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self._users_box())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)  # fmt: skip
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        ctx.changed.connect(lambda change: self._load_users() if change.users else None)

    def _users_box(self) -> QGroupBox:
        box = QGroupBox(tr("Users"), self)
        self.user_list = QListWidget(box)
        self.new_name = QLineEdit(box)
        self.new_name.setPlaceholderText(tr("Name"))
        self.new_role = QComboBox(box)
        for role in Role:
            self.new_role.addItem(role_label(role.value), role.value)
        self.new_passphrase = QLineEdit(box)
        self.new_passphrase.setObjectName("newUserPassphrase")
        self.new_passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_passphrase.setPlaceholderText(tr("First passphrase"))
        self.add_button = QPushButton(tr("&Add user"), box)
        self.add_button.clicked.connect(self.add_user)
        self.change_button = QPushButton(tr("&Change my passphrase…"), box)
        self.change_button.setObjectName("changePassphrase")
        self.change_button.clicked.connect(self.change_passphrase)
        row = QHBoxLayout()
        for w in (self.new_name, self.new_role, self.new_passphrase, self.add_button):
            row.addWidget(w)
        layout = QVBoxLayout(box)
        layout.addWidget(self.user_list)
        layout.addLayout(row)
        layout.addWidget(self.change_button)
        self.account_message = QLabel(box)
        self.account_message.setObjectName("accountMessage")
        self.account_message.setWordWrap(True)
        layout.addWidget(self.account_message)
        admin = self.ctx.role == Role.ADMIN
        for w in (self.new_name, self.new_role, self.new_passphrase, self.add_button):
            w.setEnabled(admin)
        if not admin:
            self.add_button.setToolTip(tr("Only an admin may add users."))
        self._load_users()
        return box

    def _load_users(self) -> None:
        self.user_list.clear()
        for u in users.list_users(self.ctx.catalogue):
            self.user_list.addItem(f"{u.name} — {role_label(u.role)}")

    def add_user(self) -> None:
        name, role = self.new_name.text().strip(), str(self.new_role.currentData())
        first = self.new_passphrase.text()
        if not name:
            return
        cat, acting = self.ctx.catalogue, self.ctx.user

        def added(_out: object) -> None:
            self.new_name.clear()
            self.new_passphrase.clear()
            self.account_message.setText(
                tr("{name} was added; give them their first passphrase in person.")
                .format(name=name))  # fmt: skip

        self.ctx.write(lambda: users.add_user(cat, acting, name, role, first), added,
                       self._refused, label="add user")  # fmt: skip

    def change_passphrase(self) -> None:
        from belarchive.gui.app import ask_new_passphrase
        from belarchive.services import accounts

        cat, me = self.ctx.catalogue, self.ctx.user
        new = ask_new_passphrase(self, me)
        if new is None:
            return
        self.ctx.write(lambda: accounts.change_passphrase(cat, me, new),
                       lambda _o: self.account_message.setText(
                           tr("Your passphrase was changed; your signing key is the same.")),
                       self._refused, label="change passphrase")  # fmt: skip

    def accept(self) -> None:
        self.settings.language = str(self.language.currentData())
        self.settings.lock_minutes = self.lock_minutes.value()
        window = self.parent()
        locker = getattr(window, "locker", None)
        if locker is not None:
            locker.minutes = self.lock_minutes.value()
        super().accept()

    def _refused(self, exc: BaseException) -> None:
        show_error(self, exc)
