"""The event editor over a real catalogue: the four-eyes rule in the verification tab, undo,
the stale-copy prompt, date validation, figures and the audit history."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from gui_conftest_helpers import (
    WAIT_MS,
    close_window,
    make_event,
    open_window,
    wait_idle,
)
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from belarchive.gui.main_window import MainWindow
from belarchive.gui.models.event_table import COLUMNS
from belarchive.services import events, verification
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventPatch

pytestmark = pytest.mark.gui
Opened = tuple[MainWindow, str]


@pytest.fixture
def opened(qtbot: QtBot, catalogue: Catalogue,
           tmp_path: Path) -> Iterator[tuple[MainWindow, str]]:  # fmt: skip
    """viktor (reviewer) wrote a cited event and opened it."""
    uuid = make_event(catalogue, "viktor", "Detentions in Grodno", date="2020-11-15",
                      tags=("detention",), places=("Grodno",), cited=True)  # fmt: skip
    window = open_window(qtbot, catalogue, "viktor", tmp_path)
    assert window.editor is not None
    window.editor.load(uuid)
    yield window, uuid
    close_window(window)


def click(qtbot: QtBot, window: MainWindow, key: str) -> None:
    editor = window.editor
    assert editor is not None
    button = editor.verification.buttons[key]
    assert button.isEnabled(), editor.verification.reasons[key].text()
    with qtbot.waitSignal(editor.saved, timeout=WAIT_MS):
        button.click()
    wait_idle(qtbot, window)


def test_four_eyes_rule_disables_verify_with_the_reason(qtbot: QtBot, opened: Opened) -> None:
    window, _uuid = opened
    editor = window.editor
    assert editor is not None
    tab = editor.verification
    assert not tab.buttons["verify"].isEnabled()  # not in review yet
    click(qtbot, window, "request")
    assert editor.detail is not None and editor.detail.status == "in_review"
    assert not tab.buttons["verify"].isEnabled()
    assert tab.reasons["verify"].text() == ("You edited this event last: another reviewer must "
                                            "verify it.")  # fmt: skip
    assert not tab.buttons["dispute"].isEnabled()  # needs a reason first
    tab.note.setText("Figures contradict the ministry")
    assert tab.buttons["dispute"].isEnabled()
    # Another reviewer may verify it.
    window.ctx.set_user("vera", "reviewer")  # type: ignore[union-attr]
    tab.note.clear()
    assert tab.buttons["verify"].isEnabled() and not tab.reasons["verify"].text()
    click(qtbot, window, "verify")
    assert editor.detail.status == "verified"  # type: ignore[union-attr]
    assert editor.verification.history.topLevelItemCount() == 2
    assert "vera" in editor.verification.history.topLevelItem(0).text(2)
    assert editor.verification.buttons["reopen"].isEnabled()


def test_archivists_do_not_see_reviewer_actions(qtbot: QtBot, opened: Opened) -> None:
    window, _uuid = opened
    window.ctx.set_user("olga", "archivist")  # type: ignore[union-attr]
    tab = window.editor.verification  # type: ignore[union-attr]
    assert tab.buttons["request"].isVisibleTo(tab)
    for key in ("verify", "dispute", "reject"):
        assert not tab.buttons[key].isVisibleTo(tab)


def test_unsaved_edits_block_decisions(opened: Opened) -> None:
    window, _uuid = opened
    editor = window.editor
    assert editor is not None
    editor.details.title.setText("Detentions in Grodno (corrected)")
    assert editor.dirty
    assert not editor.verification.buttons["request"].isEnabled()
    assert "Save" in editor.verification.reasons["request"].text()


def test_save_then_undo_and_redo(qtbot: QtBot, opened: Opened, catalogue: Catalogue) -> None:
    window, uuid = opened
    editor = window.editor
    assert editor is not None
    editor.details.title.setText("Mass detentions in Grodno")
    with qtbot.waitSignal(editor.saved, timeout=WAIT_MS):
        window.actions_.save.trigger()
    assert events.event_detail(catalogue, uuid)["title"] == "Mass detentions in Grodno"
    assert window.undo_stack.canUndo()
    with qtbot.waitSignal(editor.saved, timeout=WAIT_MS):
        window.undo_stack.undo()
    wait_idle(qtbot, window)
    assert events.event_detail(catalogue, uuid)["title"] == "Detentions in Grodno"
    assert editor.details.title.text() == "Detentions in Grodno"
    with qtbot.waitSignal(editor.saved, timeout=WAIT_MS):
        window.undo_stack.redo()
    wait_idle(qtbot, window)
    assert editor.details.title.text() == "Mass detentions in Grodno"
    editor.show_tab(editor.history)
    assert editor.history.tree.topLevelItemCount() >= 3  # create, edit, undo, redo


def test_stale_save_offers_reload(qtbot: QtBot, opened: Opened, catalogue: Catalogue) -> None:
    window, uuid = opened
    editor = window.editor
    assert editor is not None and editor.detail is not None
    editor.details.title.setText("My version")
    # Someone else saves the same event meanwhile (another window, another machine's sync).
    events.update_event(catalogue, "vera", uuid, editor.detail.version,
                        EventPatch(title="Vera's version"))  # fmt: skip
    qtbot.waitUntil(lambda: "changed elsewhere" in editor.heading.text(), timeout=WAIT_MS)
    window.actions_.save.trigger()
    qtbot.waitUntil(lambda: editor.stale_box is not None and editor.stale_box.isVisible(),
                    timeout=WAIT_MS)  # fmt: skip
    box = editor.stale_box
    assert box is not None and "vera" in box.text()
    assert events.event_detail(catalogue, uuid)["title"] == "Vera's version"  # not overwritten
    reload_button = next(b for b in box.buttons()
                         if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)  # fmt: skip
    reload_button.click()
    qtbot.waitUntil(lambda: editor.details.title.text() == "Vera's version", timeout=WAIT_MS)
    assert not editor.dirty


def test_date_is_validated_live(opened: Opened) -> None:
    window, _uuid = opened
    details = window.editor.details  # type: ignore[union-attr]
    details.date.setText("2020-13-45")
    assert "not" in details.date_reading.text() and "b00020" in details.date.styleSheet()
    assert not window.editor.save_button.isEnabled()  # type: ignore[union-attr]
    details.date.setText("2020-10-11/2020-10-20")
    assert details.date_reading.text() == "mid-October 2020"
    assert details.date.styleSheet() == ""


def test_figures_tab_saves_a_range_with_its_citation(
    qtbot: QtBot, opened: Opened, catalogue: Catalogue
) -> None:
    window, uuid = opened
    editor = window.editor
    assert editor is not None
    row = editor.figures.add_row()
    editor.figures.set_value(row, "detained", 300, 350, "approximately")
    cite_box = editor.figures.table.cellWidget(row, 4)
    cite_box.setCurrentIndex(1)  # type: ignore[attr-defined]
    with qtbot.waitSignal(editor.saved, timeout=WAIT_MS):
        editor.save()
    figures = events.event_detail(catalogue, uuid)["figures"]
    cited = editor.detail.citations[0].uuid  # type: ignore[union-attr]
    assert figures == [{"kind": "detained", "value_min": 300, "value_max": 350,
                        "qualifier": "approximately", "citation": cited, "note": "",
                        "scope": "incident", "period": None, "part_of": None}]  # fmt: skip
    wait_idle(qtbot, window)
    model = window.browser.model  # type: ignore[union-attr]
    assert model.index(0, COLUMNS.index("detained")).data() == "~300"


def test_decided_event_history_and_delete(
    qtbot: QtBot, opened: Opened, catalogue: Catalogue
) -> None:
    window, uuid = opened
    verification.set_status(catalogue, "viktor", uuid, "in_review")
    editor = window.editor
    assert editor is not None
    qtbot.waitUntil(lambda: editor.detail is not None and editor.detail.status == "in_review",
                    timeout=WAIT_MS)  # fmt: skip
    assert window.count_label.text() == "1 event matches"
    with qtbot.waitSignal(window.browser.count_changed, timeout=WAIT_MS):  # type: ignore[union-attr]
        editor.delete("Duplicate of another record")
    assert window.count_label.text() == "0 events match"
    assert events.event_detail(catalogue, uuid)["deleted"] is True


def test_delete_key_acts_on_the_table_only(qtbot: QtBot, opened: Opened,
                                           monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QInputDialog

    window, _uuid = opened
    asked: list[str] = []
    monkeypatch.setattr(
        QInputDialog, "getText", lambda *a, **k: (asked.append("x"), ("", False))[1]
    )
    window.activateWindow()
    editor = window.editor
    assert editor is not None
    editor.details.title.setFocus()
    qtbot.keyClick(editor.details.title, Qt.Key.Key_Delete)
    assert not asked  # in a text field Delete deletes text
    window.browser.table.setFocus()  # type: ignore[union-attr]
    window.browser.table.selectRow(0)  # type: ignore[union-attr]
    qtbot.keyClick(window.browser.table, Qt.Key.Key_Delete)  # type: ignore[union-attr]
    assert asked == ["x"]
