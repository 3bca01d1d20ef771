"""The Catalogue menu: backup (with the anchor offer), anchor, check and restore, driven
through the real window; file dialogs answer with paths in the test's folder."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from gui_conftest_helpers import WAIT_MS, close_window, make_event, open_window, wait_idle
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from belarchive.services.catalogue import Catalogue

pytestmark = pytest.mark.gui


def _answer_next_box(button: QMessageBox.StandardButton, seen: list[str]) -> None:
    """Press ``button`` on the next message box, noting its text."""

    def poll() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible():
            seen.append(box.text())
            box.button(button).click() if box.button(button) else box.accept()
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(20, poll)


def _files(monkeypatch: pytest.MonkeyPatch, save: list[Path], open_: Path | None = None) -> None:
    """Qt's file dialogs answer with the next of ``save`` (or ``open_``)."""
    pending = list(save)

    def next_save(*_a: object, **_k: object) -> tuple[str, str]:
        return str(pending.pop(0)), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(next_save))
    if open_ is not None:
        monkeypatch.setattr(QFileDialog, "getOpenFileName",
                            staticmethod(lambda *_a, **_k: (str(open_), "")))  # fmt: skip


def _until(qtbot: QtBot, ready: Callable[[], bool]) -> None:
    qtbot.waitUntil(ready, timeout=WAIT_MS)


def test_backup_offers_an_anchor_and_both_are_written(
    qtbot: QtBot, catalogue: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_event(catalogue, "olga", "Detentions in Minsk", date="2020-11-08")
    backup, anchor = tmp_path / "usb" / "copy.sqlite", tmp_path / "usb" / "anchor.json"
    backup.parent.mkdir()
    _files(monkeypatch, [backup, anchor])
    window = open_window(qtbot, catalogue, "olga", tmp_path)
    try:
        seen: list[str] = []
        _answer_next_box(QMessageBox.StandardButton.Yes, seen)
        window.actions_.backup.trigger()
        _until(qtbot, lambda: backup.exists() and anchor.exists())
        wait_idle(qtbot, window)
        assert "audit anchor" in seen[0]
        assert backup.read_bytes().startswith(b"age-encryption.org/v1")  # for members only
        saved = json.loads(anchor.read_text(encoding="utf-8"))
        assert saved["catalogue_id"] == catalogue.catalogue_id and saved["head"]["signature"]
        assert window.care.anchor_reminder() == ""  # just saved
    finally:
        close_window(window)


def test_check_reports_in_a_message_and_names_a_tampered_row(
    qtbot: QtBot, catalogue: Catalogue, tmp_path: Path
) -> None:
    import sqlite3

    make_event(catalogue, "olga", "Detentions in Minsk", date="2020-11-08")
    window = open_window(qtbot, catalogue, "olga", tmp_path)
    try:
        seen: list[str] = []
        _answer_next_box(QMessageBox.StandardButton.Ok, seen)
        window.actions_.check.trigger()
        _until(qtbot, lambda: bool(seen))
        assert "Audit log: ok" in seen[0] and "signatures checked" in seen[0]
        conn = sqlite3.connect(catalogue.db_path)
        conn.execute("UPDATE event SET title = 'Changed by SQL'")
        conn.commit()
        conn.close()
        _answer_next_box(QMessageBox.StandardButton.Ok, seen)
        window.actions_.check.trigger()
        _until(qtbot, lambda: len(seen) == 2)
        assert "changed outside belarchive" in seen[1]
    finally:
        close_window(window)


def test_a_catalogue_without_anchors_is_reminded(
    qtbot: QtBot, catalogue: Catalogue, tmp_path: Path
) -> None:
    window = open_window(qtbot, catalogue, "olga", tmp_path)
    try:
        assert "No audit anchor saved yet" in window.care.anchor_reminder()
        catalogue.meta["last_anchor_at"] = "2020-01-01T00:00:00+00:00"
        assert "since 2020-01-01" in window.care.anchor_reminder()
    finally:
        close_window(window)


def test_a_sealed_catalogue_is_restored_from_the_window_without_asking_again(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window holds the sealed catalogue's key; restoring one of its (encrypted)
    backups uses it, and the restored database is sealed as before."""
    from support import PASSPHRASE

    from belarchive.services import maintenance, users
    from belarchive.services.unlocking import Unlock

    cat = Catalogue.create(tmp_path / "S.belarchive", admin="anna", passphrase=PASSPHRASE,
                           sealed=True)  # fmt: skip
    users.add_user(cat, "anna", "olga", "archivist", PASSPHRASE)
    cat.sign_in("olga", PASSPHRASE)
    make_event(cat, "olga", "Kept by the backup", date="2020-11-08")
    copy = maintenance.backup(cat, "anna", tmp_path / "copy.sqlite")
    make_event(cat, "olga", "Written after the backup", date="2020-11-09")
    _files(monkeypatch, [], open_=copy)
    window = open_window(qtbot, cat, "olga", tmp_path)
    key = cat.key
    try:
        seen: list[str] = []
        _answer_next_box(QMessageBox.StandardButton.Yes, seen)  # "Go on?"
        done: list[str] = []
        monkeypatch.setattr(QMessageBox, "information",
                            staticmethod(lambda *_a, **_k: done.append("restored")))  # fmt: skip
        window.actions_.restore.trigger()
        _until(qtbot, lambda: bool(done))
    finally:
        close_window(window)
    with Catalogue.open(cat.path, Unlock("anna", PASSPHRASE)) as reopened:
        assert reopened.sealed and reopened.key == key
        titles = {r[0] for r in reopened.raw_connect().execute("SELECT title FROM event")}
        assert "Kept by the backup" in titles and "Written after the backup" not in titles
        assert maintenance.check(reopened).ok
