"""Locking the window: the signed-in user's key leaves memory after idle time or on demand.

An unattended, unlocked laptop would let anyone sign as its user. After ``lock_minutes``
without keyboard or mouse input (Preferences; 0 = never), or on Catalogue → Lock, every key
is forgotten and the sign-in dialog asks again. Unsaved edits stay in the editor: a save
while locked is refused with a message, never lost.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from belarchive.gui.i18n import tr

if TYPE_CHECKING:
    from belarchive.gui.main_window import MainWindow

_INPUT = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
          QEvent.Type.Wheel, QEvent.Type.TouchBegin}  # fmt: skip


class Locker(QObject):
    def __init__(self, window: MainWindow, minutes: int) -> None:
        super().__init__(window)
        self.window = window
        self.minutes = minutes
        self.last_input = time.monotonic()
        self.locked = False
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._timer = QTimer(self)
        self._timer.setInterval(15_000)
        self._timer.timeout.connect(self._check_idle)
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT:
            self.last_input = time.monotonic()
        return False

    def _check_idle(self) -> None:
        if self.locked or self.minutes <= 0 or self.window.ctx is None:
            return
        if time.monotonic() - self.last_input >= self.minutes * 60:
            self.lock(tr("Locked after {n} minutes without use.").format(n=self.minutes))

    def lock(self, reason: str = "") -> None:
        """Forget every key, then ask for the passphrase again (the current user first)."""
        from belarchive.gui.dialogs.sign_in import SignInDialog
        from belarchive.gui.opening import users_of

        ctx = self.window.ctx
        if ctx is None or self.locked:
            return
        self.locked = True
        cat = ctx.catalogue
        cat.forget_signer()
        self.window.refresh_user()
        self.window.statusBar().showMessage(reason or tr("Locked."), 0)
        dialog = SignInDialog(cat, users_of(cat), ctx.user, self.window)
        dialog.setWindowTitle(tr("Locked: sign in to continue"))
        signed = dialog.signed_in if dialog.exec() else None
        self.locked = False
        self.last_input = time.monotonic()
        if signed is not None:
            role = dict(users_of(cat))[signed]
            if signed != ctx.user:
                ctx.set_user(signed, role)
            self.window.statusBar().clearMessage()
        self.window.refresh_user()
