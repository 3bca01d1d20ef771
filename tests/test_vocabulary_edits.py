"""Adding tags and places from the editor: the service (roles, keys from any script, the
audit) and the window path (Enter on an unknown name, the question, the chip)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from gui_conftest_helpers import close_window, open_window, wait_idle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from support import sql_rows

from belarchive.errors import PermissionDenied, ValidationError
from belarchive.services import vocabulary_edits
from belarchive.services.catalogue import Catalogue
from belarchive.storage.detail import list_places, list_tags

# Each test that takes ``catalogue`` runs on a folder and on a team catalogue (conftest).
BACKENDS = ("folder", "team")


def test_keys_come_from_any_script_and_never_collide() -> None:
    assert vocabulary_edits.key_for("Пытки в РУВД", set()) == "pytki_v_ruvd"
    assert vocabulary_edits.key_for("Σύλληψη", set()) == "syllipsi"
    assert vocabulary_edits.key_for("Okrestina", {"okrestina"}) == "okrestina_2"
    assert vocabulary_edits.key_for("!!!", set()) == "item"


def test_archivists_and_admins_add_reviewers_do_not(catalogue: Catalogue) -> None:
    out = vocabulary_edits.new_tag(catalogue, "olga", "Дело Окрестина", "ru")
    place = vocabulary_edits.new_place(catalogue, "anna", "Малиновка", "ru")
    with catalogue.session() as session:
        tags = {key: labels for key, _p, labels, _r in list_tags(session)}
        places = {p.key: p.names for p in list_places(session)}
    assert tags[out.uuid]["ru"] == "Дело Окрестина" and places[place.uuid] == {
        "ru": ["Малиновка"]}  # fmt: skip
    with pytest.raises(PermissionDenied, match="Only archivists and admins"):
        vocabulary_edits.new_tag(catalogue, "viktor", "Another", "en")
    with pytest.raises(ValidationError):
        vocabulary_edits.new_place(catalogue, "olga", "   ", "en")
    actions = [r[0] for r in sql_rows(
        catalogue, "SELECT action FROM auditentry WHERE action IN ('tag.add', 'place.add') "
        "AND \"user\" IN ('olga', 'anna') ORDER BY seq DESC LIMIT 2")]  # fmt: skip
    assert sorted(actions) == ["place.add", "tag.add"]


def test_enter_on_an_unknown_tag_adds_it_and_its_chip(
    qtbot: QtBot, catalogue: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def yes(_parent: object, _title: str, text: str, *a: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)  # the person answers Yes
    window = open_window(qtbot, catalogue, "olga", tmp_path)
    try:
        assert window.editor is not None
        window.new_event()
        tags = window.editor.details.tags
        tags.entry.setText("Courtyard concerts")
        qtbot.keyClick(tags.entry, Qt.Key.Key_Return)
        wait_idle(qtbot, window)
        qtbot.waitUntil(lambda: tags.values() == ["courtyard_concerts"], timeout=10_000)
        assert asked == ["“Courtyard concerts” is not a known tag. Add it as a new tag?"]
        assert tags.entry.text() == ""
    finally:
        close_window(window)


def test_a_reviewer_is_told_why_not(qtbot: QtBot, catalogue: Catalogue, tmp_path: Path) -> None:
    window = open_window(qtbot, catalogue, "viktor", tmp_path)
    try:
        assert window.editor is not None
        window.new_event()
        places = window.editor.details.places
        places.entry.setText("Nowhere-on-earth")
        qtbot.keyClick(places.entry, Qt.Key.Key_Return)
        assert "Only archivists and admins" in places.entry.toolTip()
        assert places.values() == []
    finally:
        close_window(window)
