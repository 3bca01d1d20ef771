"""Signing in from the window: switching user needs that user's passphrase (pytest-qt)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from gui_conftest_helpers import WAIT_MS, close_window, open_window
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QLineEdit
from pytestqt.qtbot import QtBot
from support import PASSPHRASE

from belarchive.gui.dialogs.sign_in import SignInDialog
from belarchive.services.catalogue import Catalogue

pytestmark = pytest.mark.gui


def _when_dialog_shows(act: Callable[[SignInDialog], None]) -> None:
    """Run ``act`` on the sign-in dialog once it is up (it runs its own event loop)."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, SignInDialog) and dialog.isVisible():
            act(dialog)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(20, poll)


def _type_and_ok(qtbot: QtBot, dialog: SignInDialog, passphrase: str) -> None:
    field = dialog.findChild(QLineEdit, "passphrase")
    assert field is not None
    field.setText(passphrase)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_switching_user_needs_their_passphrase(
    qtbot: QtBot, catalogue: Catalogue, tmp_path: Path
) -> None:
    catalogue.forget_signer("viktor")
    window = open_window(qtbot, catalogue, "olga", tmp_path)
    try:
        combo = window.actions_.user_combo
        assert combo is not None
        index = next(i for i in range(combo.count()) if combo.itemData(i)[0] == "viktor")
        seen: list[str] = []

        def wrong_then_right(dialog: SignInDialog) -> None:
            assert dialog.chosen() == "viktor"
            _type_and_ok(qtbot, dialog, "not viktor's passphrase")
            message = dialog.findChild(QLabel, "signInMessage")
            assert message is not None
            qtbot.waitUntil(lambda: "Wrong passphrase" in message.text(), timeout=WAIT_MS)
            seen.append(message.text())
            _type_and_ok(qtbot, dialog, PASSPHRASE)

        _when_dialog_shows(wrong_then_right)
        combo.activated.emit(index)
        assert seen and "viktor" in seen[0]
        assert window.ctx is not None and window.ctx.user == "viktor"
        # olga was signed out: going back to her needs her passphrase too.
        assert not catalogue.is_signed_in("olga") and catalogue.is_signed_in("viktor")
    finally:
        close_window(window)


def test_cancelling_the_sign_in_keeps_the_current_user(
    qtbot: QtBot, catalogue: Catalogue, tmp_path: Path
) -> None:
    catalogue.forget_signer("vera")
    window = open_window(qtbot, catalogue, "olga", tmp_path)
    try:
        combo = window.actions_.user_combo
        assert combo is not None
        index = next(i for i in range(combo.count()) if combo.itemData(i)[0] == "vera")
        _when_dialog_shows(lambda dialog: dialog.reject())
        combo.activated.emit(index)
        assert window.ctx is not None and window.ctx.user == "olga"
        assert combo.itemData(combo.currentIndex())[0] == "olga"
        assert catalogue.is_signed_in("olga") and not catalogue.is_signed_in("vera")
    finally:
        close_window(window)


def test_a_first_sign_in_asks_twice_and_registers_the_key(qtbot: QtBot, tmp_path: Path) -> None:
    import shutil

    fixture = Path(__file__).resolve().parent.parent / "db" / "fixtures" / "schema-v5"
    shutil.copytree(fixture, tmp_path / "old.belarchive")
    cat = Catalogue.open(tmp_path / "old.belarchive")
    try:
        dialog = SignInDialog(cat, [("anna", "admin"), ("viktor", "reviewer")], "viktor")
        qtbot.addWidget(dialog)
        dialog.show()
        again = dialog.findChild(QLineEdit, "passphraseAgain")
        assert again is not None and again.isVisible()
        dialog.passphrase.setText("viktor chooses this")
        again.setText("something else")
        dialog.try_sign_in()
        assert "differ" in dialog.message.text() and not cat.is_signed_in("viktor")
        again.setText("viktor chooses this")
        dialog.try_sign_in()
        qtbot.waitUntil(lambda: dialog.signed_in == "viktor", timeout=WAIT_MS)
        assert cat.is_signed_in("viktor")
    finally:
        cat.close()


def test_lock_forgets_the_key_and_asks_again(
    qtbot: QtBot, catalogue: Catalogue, tmp_path: Path
) -> None:
    window = open_window(qtbot, catalogue, "olga", tmp_path)
    try:
        seen: list[bool] = []

        def right_passphrase(dialog: SignInDialog) -> None:
            seen.append(catalogue.is_signed_in("olga"))  # the key is gone while locked
            assert dialog.chosen() == "olga"
            _type_and_ok(qtbot, dialog, PASSPHRASE)

        _when_dialog_shows(right_passphrase)
        window.actions_.lock.trigger()
        assert seen == [False]
        assert catalogue.is_signed_in("olga") and window.ctx is not None
        assert window.ctx.user == "olga"
    finally:
        close_window(window)


def test_cancelling_the_lock_dialog_stays_signed_out(
    qtbot: QtBot, catalogue: Catalogue, tmp_path: Path
) -> None:
    window = open_window(qtbot, catalogue, "olga", tmp_path)
    try:
        _when_dialog_shows(lambda dialog: dialog.reject())
        window.locker.lock()
        assert not catalogue.is_signed_in("olga")
        assert "signed out" in window.user_label.text()
    finally:
        close_window(window)


def test_idle_time_locks_the_window(qtbot: QtBot, catalogue: Catalogue, tmp_path: Path) -> None:
    window = open_window(qtbot, catalogue, "olga", tmp_path)
    try:
        window.locker.minutes = 1
        window.locker.last_input -= 61  # a minute and a second without input
        _when_dialog_shows(lambda dialog: dialog.reject())
        window.locker._check_idle()
        assert not catalogue.is_signed_in("olga")
        window.locker.minutes = 0  # never: no lock however long the idle time
        catalogue.sign_in("olga", PASSPHRASE)
        window.locker.last_input -= 10_000
        window.locker._check_idle()
        assert catalogue.is_signed_in("olga")
    finally:
        close_window(window)


def test_a_sealed_catalogue_opens_with_a_members_passphrase(qtbot: QtBot, tmp_path: Path) -> None:
    from belarchive.gui.app import Controller
    from belarchive.gui.dialogs.unlock import UnlockDialog
    from belarchive.gui.main_window import MainWindow
    from belarchive.gui.settings import GuiSettings
    from belarchive.services import users

    path = tmp_path / "Sealed.belarchive"
    with Catalogue.create(path, admin="anna", passphrase=PASSPHRASE, sealed=True) as cat:
        users.add_user(cat, "anna", "vera", "reviewer", PASSPHRASE)
    window = MainWindow(GuiSettings(tmp_path / "gui.ini"))
    controller = Controller(window, window.settings, None, search=False)
    seen: list[str] = []

    def wrong_then_right() -> None:
        dialog = QApplication.activeModalWidget()
        if not (isinstance(dialog, UnlockDialog) and dialog.isVisible()):
            QTimer.singleShot(20, wrong_then_right)
            return
        dialog.member.setCurrentText("vera")
        message = dialog.findChild(QLabel, "unlockMessage")
        assert message is not None
        dialog.passphrase.setText("not vera's passphrase")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        qtbot.waitUntil(lambda: "Wrong passphrase" in message.text(), timeout=WAIT_MS)
        seen.append(message.text())
        dialog.passphrase.setText(PASSPHRASE)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(20, wrong_then_right)
    try:
        assert controller.open(path)
        assert seen and "vera" in seen[0]
        assert window.ctx is not None and window.ctx.user == "vera"
        assert window.ctx.catalogue.sealed and window.ctx.catalogue.is_signed_in("vera")
    finally:
        close_window(window)


def test_a_new_sealed_catalogue_is_made_off_the_window_thread_and_shows_its_recovery_key(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """File → New catalogue, sealed: the key derivations and first writes run on a worker,
    then the window opens it and shows the recovery key once."""
    import threading

    from PySide6.QtWidgets import QFileDialog

    from belarchive.gui import app as gui_app
    from belarchive.gui import opening
    from belarchive.gui.app import Controller
    from belarchive.gui.main_window import MainWindow
    from belarchive.gui.settings import GuiSettings

    target = tmp_path / "Field.belarchive"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *_a, **_k: (str(target), "")))  # fmt: skip
    monkeypatch.setattr(gui_app, "ask_new_passphrase", lambda *_a: PASSPHRASE)
    monkeypatch.setattr(gui_app, "ask_sealed", lambda *_a: True)
    shown: list[str] = []
    monkeypatch.setattr(gui_app, "show_recovery_key", lambda _w, secret: shown.append(secret))
    threads: list[str] = []
    real_create = opening.create_catalogue

    def create(*args: object) -> object:
        threads.append(threading.current_thread().name)
        return real_create(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(opening, "create_catalogue", create)
    window = MainWindow(GuiSettings(tmp_path / "gui.ini"))
    controller = Controller(window, window.settings, None, search=False)
    try:
        controller.new_catalogue()
        qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS)
        assert threads and threads[0] != threading.main_thread().name
        assert shown[0].startswith("AGE-SECRET-KEY-1")
        assert window.ctx is not None and window.ctx.catalogue.sealed
    finally:
        close_window(window)
