"""Helpers for the main-window GUI tests: a real window over a real temporary catalogue."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

from pytestqt.qtbot import QtBot

from belarchive.domain.values import Role
from belarchive.gui.app import setup_application
from belarchive.gui.context import AppContext
from belarchive.gui.main_window import MainWindow
from belarchive.gui.settings import GuiSettings
from belarchive.services import events, search_sync, sources
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventInput, SourceInput

WAIT_MS = 10_000
ROLES = {"anna": Role.ADMIN, "viktor": Role.REVIEWER, "vera": Role.REVIEWER, "olga": Role.ARCHIVIST}


def open_window(qtbot: QtBot, cat: Catalogue, user: str, tmp: Path, *,
                search: bool = False) -> MainWindow:  # fmt: skip
    """A main window attached to ``cat`` as ``user``; settings in ``tmp``."""
    from PySide6.QtWidgets import QApplication

    settings = GuiSettings(tmp / "gui-test.ini")
    setup_application(QApplication.instance(), settings)  # type: ignore[arg-type]
    if search:
        search_sync.attach(cat)
    # Not qtbot.addWidget: qtbot closes its widgets before fixtures tear down, and closing a
    # window with unsaved edits asks (modally) whether to discard them. close_window() instead.
    window = MainWindow(settings)
    window.attach(AppContext(cat, user, ROLES[user], window))
    window.show()
    return window


def wait_idle(qtbot: QtBot, window: MainWindow) -> None:
    """Until the writer has nothing queued and its callbacks ran on the GUI thread."""
    assert window.ctx is not None
    qtbot.waitUntil(lambda: not window.ctx.writer.busy, timeout=WAIT_MS)  # type: ignore[union-attr]


def make_event(cat: Catalogue, user: str, title: str, *, cited: bool = False,
               **kw: object) -> str:  # fmt: skip
    uuid = events.create_event(cat, user, EventInput(title=title, **kw)).uuid  # type: ignore[arg-type]
    if cited:
        source = sources.add_source(
            cat, user, SourceInput(title="Viasna report", kind="ngo_report")
        )
        sources.cite(cat, user, uuid, source.uuid, locator="p. 3")
    return uuid


def close_window(window: MainWindow) -> None:
    """Shut down (writer, index, lock), then close without the unsaved-changes question."""
    window.shutdown()
    window.close()
    window.deleteLater()
