"""Background reads (gui/latest.py): an answer comes back on the GUI thread, and one that
arrives after the application has let go of its bridge is dropped without a traceback."""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from belarchive.gui import latest


def test_an_answer_comes_back_to_its_owner(qtbot: QtBot) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    got: list[int] = []
    latest.LatestOnly(owner).request(lambda: 6 * 7, got.append)
    qtbot.waitUntil(lambda: got == [42], timeout=5000)


def test_an_answer_after_the_bridge_is_gone_is_dropped_quietly() -> None:
    bridge = latest._Bridge()
    latest._waiting[-1] = (latest.LatestOnly(bridge), print, None)
    shiboken6.delete(bridge)  # what quitting does to it while a read still runs
    latest._run(-1, lambda: "late", bridge)  # no RuntimeError out of the pool's thread
    assert -1 not in latest._waiting


def test_a_background_task_whose_qt_object_is_gone_drops_its_answer(qtbot: QtBot) -> None:
    from belarchive.gui.widgets.background import BackgroundTask

    parent = QWidget()
    task = BackgroundTask(lambda _p, _c: "late", parent)
    task.running = True
    shiboken6.delete(parent)  # the window closing takes its child tasks along
    task._finish(task.finished, "late")  # no RuntimeError out of the pool's thread
    assert not task.running
