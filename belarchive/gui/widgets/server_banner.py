"""The banner a window shows while its team catalogue's server cannot be reached.

Reading what is on screen goes on; a save fails with its own message and the edit stays in
the editor, to be saved again once the server is back (the feed retries by itself and the
banner goes away when it answers).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QSizePolicy, QToolBar

from belarchive.gui.i18n import tr


class ServerBanner(QToolBar):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setObjectName("serverBanner")
        self.setMovable(False)
        self.setFloatable(False)
        self.label = QLabel(self)
        # One line across the window: a toolbar sizes a widget by its size hint, which for
        # wrapped text is a tall narrow column.
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setStyleSheet("QLabel { background: #fff3cd; color: #5c4400; padding: 6px; }")
        self.addWidget(self.label)
        window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self)
        self.toggleViewAction().setVisible(False)  # not a toolbar the user hides
        self.hide()

    def show_status(self, online: bool) -> None:
        if online:
            self.hide()
            return
        self.label.setText(
            tr(
                "The team server cannot be reached: you can read, but not save, until it is "
                "back. Unsaved edits stay in the editor. Trying again…"
            )
        )
        self.show()
