"""The window on a team catalogue: connecting, other desktops' saves appearing by themselves,
and the banner while the server is away (pytest-qt, a real PostgreSQL server)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pg_cluster
import pytest
import team_support
from gui_conftest_helpers import WAIT_MS, close_window, open_window
from PySide6.QtWidgets import QDialogButtonBox, QLabel
from pytestqt.qtbot import QtBot
from support import PASSPHRASE

from belarchive.gui.dialogs.team_connect import TeamConnectDialog
from belarchive.gui.opening import connect_team
from belarchive.gui.views.browser import COLUMNS
from belarchive.services import events
from belarchive.services.inputs import EventInput

pytestmark = pytest.mark.gui


def _titles(window: Any) -> list[str]:
    model = window.browser.model
    column = COLUMNS.index("title")
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_connecting_signs_the_member_in_and_a_wrong_password_says_so(
    qtbot: QtBot, team: Any
) -> None:
    address = team.address("olga").replace(f":{PASSPHRASE.replace(' ', '%20')}@", "@")
    dialog = TeamConnectDialog(connect_team, address)
    qtbot.addWidget(dialog)
    dialog.password.setText("not her password")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    message = dialog.findChild(QLabel, "connectMessage")
    assert message is not None
    qtbot.waitUntil(lambda: "wrong user name or password" in message.text(), timeout=WAIT_MS)
    dialog.password.setText(PASSPHRASE)
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    opened = dialog.opened
    try:
        assert opened.catalogue.member == "olga" and opened.catalogue.is_signed_in("olga")
    finally:
        opened.lock.unlock()
        opened.catalogue.close()


def test_another_desktops_save_appears_in_the_open_window(
    qtbot: QtBot, team: Any, tmp_path: Path
) -> None:
    window = open_window(qtbot, team.as_member("olga"), "olga", tmp_path)
    try:
        qtbot.waitUntil(lambda: window.ctx._feed.online is True, timeout=WAIT_MS)
        start = time.perf_counter()
        events.create_event(team.as_member("viktor"), "viktor",
                            EventInput(title="Saved on Viktor's desktop"))  # fmt: skip
        qtbot.waitUntil(lambda: "Saved on Viktor's desktop" in _titles(window), timeout=WAIT_MS)
        assert time.perf_counter() - start < 2.0
    finally:
        close_window(window)


def test_the_banner_shows_while_the_server_is_away(qtbot: QtBot, tmp_path: Path) -> None:
    cluster = pg_cluster.start_cluster()
    try:
        t = team_support.Team(cluster, team_support.new_database(cluster))
        window = open_window(qtbot, t.as_member("olga"), "olga", tmp_path)
        try:
            banner = window.server_banner
            qtbot.waitUntil(lambda: window.ctx._feed.online is True, timeout=WAIT_MS)
            assert banner.isHidden()
            cluster.stop("fast")
            qtbot.waitUntil(lambda: not banner.isHidden(), timeout=WAIT_MS)
            assert "cannot be reached" in banner.label.text()
            cluster.start()
            qtbot.waitUntil(banner.isHidden, timeout=3 * WAIT_MS)
        finally:
            close_window(window)
            t.close()
    finally:
        cluster.remove()


def test_starting_on_a_team_address_connects_through_the_dialog(
    qtbot: QtBot, team: Any, tmp_path: Path
) -> None:
    """belarchive -C postgresql://olga:…@host/db: the dialog shows the address without its
    password, the password masked; OK opens the window on the team catalogue as olga."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from belarchive.gui.app import launch
    from belarchive.gui.settings import GuiSettings

    seen: list[str] = []

    def accept_when_shown() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, TeamConnectDialog) and dialog.isVisible():
            seen.append(dialog.address.text())
            assert dialog.password.text() == PASSPHRASE
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        else:
            QTimer.singleShot(20, accept_when_shown)

    QTimer.singleShot(20, accept_when_shown)
    window = launch(team.address("olga"), None, GuiSettings(tmp_path / "s.ini"), search=False)
    try:
        qtbot.waitUntil(lambda: window.ctx is not None, timeout=WAIT_MS)
        assert window.ctx.catalogue.is_team and window.ctx.user == "olga"  # type: ignore[union-attr]
        assert seen and PASSPHRASE.replace(" ", "%20") not in seen[0] and "olga@" in seen[0]
    finally:
        close_window(window)


def test_an_editor_with_unsaved_edits_names_who_saved_meanwhile(
    qtbot: QtBot, team: Any, tmp_path: Path
) -> None:
    olga = team.as_member("olga")
    uuid = events.create_event(olga, "olga", EventInput(title="Detentions in Grodno")).uuid
    window = open_window(qtbot, olga, "olga", tmp_path)
    try:
        qtbot.waitUntil(lambda: window.ctx._feed.online is True, timeout=WAIT_MS)
        editor = window.editor
        editor.load(uuid)
        editor.details.title.setText("Olga's unsaved version")
        viktor = team.as_member("viktor")
        version = int(events.event_detail(viktor, uuid)["version"])
        events.update_event(viktor, "viktor", uuid, version,
                            events.EventPatch(title="Viktor's version"))  # fmt: skip
        qtbot.waitUntil(lambda: "viktor saved this event" in editor.heading.text(),
                        timeout=WAIT_MS)  # fmt: skip
        assert editor.details.title.text() == "Olga's unsaved version"  # her edit is kept
    finally:
        close_window(window)


def test_restore_on_a_team_catalogue_says_where_restoring_happens(
    qtbot: QtBot, team: Any, tmp_path: Path
) -> None:
    """Catalogue → Restore offers no file: a team catalogue is restored on its server."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    window = open_window(qtbot, team.as_member("anna"), "anna", tmp_path)
    seen: list[str] = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible():
            seen.append(box.text() + " " + box.informativeText())
            box.close()
        else:
            QTimer.singleShot(20, read_and_close)

    try:
        QTimer.singleShot(20, read_and_close)
        window.actions_.restore.trigger()
        qtbot.waitUntil(lambda: bool(seen), timeout=WAIT_MS)
        assert "team catalogue" in seen[0] and "docs/team-mode.md" in seen[0]
    finally:
        close_window(window)
