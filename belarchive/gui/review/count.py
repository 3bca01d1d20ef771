"""The status bar's "7 waiting for you": events in review that the signed-in reviewer may
decide (not those they edited last). A click opens the review queue. Counted on the thread
pool after each change, at most once every half second."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QToolButton, QWidget

from belarchive.gui.i18n import tr
from belarchive.gui.widgets.background import run_read
from belarchive.i18n import ngettext
from belarchive.storage.review import waiting_for_review

if TYPE_CHECKING:
    from belarchive.gui.context import AppContext
    from belarchive.services.changes import Change


class ReviewCount(QToolButton):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewCount")
        self.setAutoRaise(True)
        self.setToolTip(tr("Open the review queue (Ctrl+R)"))
        self.ctx = ctx
        self.count = 0
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(500)
        self.timer.timeout.connect(self.refresh)
        ctx.changed.connect(self._on_change)
        ctx.user_changed.connect(lambda _name: self.refresh())
        self.hide()
        self.refresh()

    def _on_change(self, change: Change) -> None:
        if change.events:
            self.timer.start()

    def refresh(self) -> None:
        if not self.ctx.is_reviewer:
            self.count = 0
            self.hide()
            return
        cat, user = self.ctx.catalogue, self.ctx.user

        def read() -> int:
            with cat.session() as session:
                return sum(w.is_for(user) for w in waiting_for_review(session.connection()))

        run_read(read, self._counted, lambda _exc: self.hide(), owner=self)

    def _counted(self, n: int) -> None:
        self.count = n
        self.setText(ngettext("{n} waiting for you", "{n} waiting for you", n).format(n=n))
        self.setVisible(n > 0)
