"""Undo and redo of verification steps in the editor: a recorded step back (the history keeps
both), under the same rules, never a traceback."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from gui_conftest_helpers import close_window, make_event, open_window, wait_idle
from pytestqt.qtbot import QtBot

from belarchive.gui.editor.undo import UNDONE_NOTE, undo_target
from belarchive.gui.main_window import MainWindow
from belarchive.services import verification
from belarchive.services.catalogue import Catalogue
from belarchive.storage.detail import EventDetail, load_event_detail

pytestmark = pytest.mark.gui


def _detail(cat: Catalogue, uuid: str) -> EventDetail:
    with cat.session() as session:
        return load_event_detail(session, uuid)


def _open_on(qtbot: QtBot, cat: Catalogue, user: str, tmp: Path, uuid: str) -> MainWindow:
    window = open_window(qtbot, cat, user, tmp)
    assert window.editor is not None and window.browser is not None
    qtbot.waitUntil(lambda: window.browser.select_event(uuid), timeout=10_000)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: window.editor.uuid == uuid, timeout=10_000)  # type: ignore[union-attr]
    return window


def test_undo_a_verification_sends_the_event_back_to_review_and_redo_verifies_again(
    qtbot: QtBot, catalogue: Catalogue, tmp_path: Path
) -> None:
    uuid = make_event(catalogue, "olga", "March", date="2020-11-15", cited=True)
    verification.set_status(catalogue, "olga", uuid, "in_review")
    window = _open_on(qtbot, catalogue, "viktor", tmp_path, uuid)
    try:
        assert window.editor is not None
        window.editor.set_status("verified", "")
        wait_idle(qtbot, window)
        assert _detail(catalogue, uuid).status == "verified"
        assert window.undo_stack.count() == 1 and window.undo_stack.canUndo()
        window.undo_stack.undo()
        wait_idle(qtbot, window)
        d = _detail(catalogue, uuid)
        assert d.status == "in_review" and d.status_history[-1].note == UNDONE_NOTE
        window.undo_stack.redo()
        wait_idle(qtbot, window)
        d = _detail(catalogue, uuid)
        assert d.status == "verified" and len(d.status_history) == 4  # every step recorded
    finally:
        close_window(window)


def test_undo_a_review_request_and_a_refused_redo_clears_the_history(
    qtbot: QtBot, catalogue: Catalogue, tmp_path: Path
) -> None:
    uuid = make_event(catalogue, "olga", "March", date="2020-11-15", cited=True)
    window = _open_on(qtbot, catalogue, "olga", tmp_path, uuid)
    try:
        assert window.editor is not None
        window.editor.set_status("in_review", "")
        wait_idle(qtbot, window)
        window.undo_stack.undo()  # back to unverified, with the note the rule asks for
        wait_idle(qtbot, window)
        assert _detail(catalogue, uuid).status == "unverified"
        # Meanwhile someone else sends it to review: redoing the request is refused by the
        # rules, said in words, and the undo history (now wrong) is cleared.
        verification.set_status(catalogue, "vera", uuid, "in_review", "")
        window.undo_stack.redo()
        wait_idle(qtbot, window)
        assert window.undo_stack.count() == 0
        assert _detail(catalogue, uuid).status == "in_review"
    finally:
        close_window(window)


@pytest.mark.parametrize(("before", "after", "back"), [
    ("in_review", "verified", "in_review"), ("unverified", "in_review", "unverified"),
    ("in_review", "disputed", "in_review"), ("verified", "in_review", "verified"),
    ("in_review", "unverified", "in_review"),
])  # fmt: skip
def test_undo_goes_back_where_the_rules_allow(before: str, after: str, back: str) -> None:
    assert undo_target(before, after) == back
