"""The review queue: the events waiting for review, oldest request first, one at a time.

Beside each event the reviewer sees what it asserts, its figures with their sources, its
citations with the quoted passages (archived copies open in the evidence viewer) and what
changed since the last decision. The decision buttons are the editor's Verification tab,
so the same rules show their reasons inline. Reads run on the thread pool; decisions go
through ``ctx.write`` like every other write. Keyboard: Ctrl+Down / Ctrl+Up next and
previous, Ctrl+K skip, Alt+N the note, Alt+V verify, Alt+I dispute, Alt+J reject, Alt+B send
back with a note.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from belarchive.errors import StaleVersionError
from belarchive.gui.editor.history_tab import Words
from belarchive.gui.editor.verification_tab import VerificationTab
from belarchive.gui.errors import show_error
from belarchive.gui.focus import show_focus
from belarchive.gui.i18n import current_language, tr
from belarchive.gui.review.model import UUID, WaitingModel, when_sent
from belarchive.gui.review.summary import parse_copy_link, summary_html
from belarchive.gui.widgets.background import run_read
from belarchive.services import verification
from belarchive.storage import detail as detail_reads
from belarchive.storage.review import (
    SinceDecision,
    Waiting,
    changes_since_decision,
    waiting_for_review,
)

if TYPE_CHECKING:
    from belarchive.gui.context import AppContext
    from belarchive.services.changes import Change
    from belarchive.storage.detail import EventDetail


class ReviewQueue(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("reviewQueue")
        self.setWindowTitle(tr("Review queue"))
        self.ctx = ctx
        self.model = WaitingModel(ctx.user)
        self.detail: EventDetail | None = None
        self._asked = ""  # the event whose detail was asked for last
        self._last_row = 0  # where the reviewer was: the next event takes this row
        self.words = Words()
        self.list = QListView(self)
        self.list.setObjectName("reviewList")
        self.list.setAccessibleName(tr("Events waiting for review"))
        self.list.setModel(self.model)
        self.list.setUniformItemSizes(True)  # one height for all: thousands lay out at once
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)  # the full title: tooltip
        show_focus(self.list)
        self.list.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._row_changed(current.row())
        )
        self.position = QLabel(self)
        self.position.setObjectName("reviewPosition")
        self.position.setWordWrap(True)
        self.page = QTextBrowser(self)
        self.page.setObjectName("reviewSummary")
        self.page.setOpenLinks(False)
        self.page.anchorClicked.connect(self._open_link)
        self.verification = VerificationTab(self)
        self.verification.compact()
        self.verification.action_requested.connect(self.decide)
        self.verification.set_user(ctx.user, ctx.role)
        self.buttons = self._navigation()
        self._layout()
        self.reload = QTimer(self)  # many changes in a burst (an import): one re-read
        self.reload.setSingleShot(True)
        self.reload.setInterval(300)
        self.reload.timeout.connect(self.refresh)
        ctx.changed.connect(self._on_change)
        ctx.user_changed.connect(self._on_user)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        self.resize(1100, 720)

    def _navigation(self) -> dict[str, QPushButton]:
        buttons = {}
        for key, text, keys, slot in (
            ("previous", tr("&Previous"), "Ctrl+Up", lambda: self.step(-1)),
            ("next", tr("N&ext"), "Ctrl+Down", lambda: self.step(1)),
            ("skip", tr("S&kip for now"), "Ctrl+K", self.skip),
        ):
            button = QPushButton(text, self)
            button.setObjectName(f"review_{key}")
            shortcut = QShortcut(QKeySequence(keys), self, slot)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            button.setToolTip(f"{text.replace('&', '')} ({keys})")
            button.clicked.connect(slot)
            buttons[key] = button
        return buttons

    def _layout(self) -> None:
        nav = QHBoxLayout()
        nav.addWidget(self.position, 1)
        for button in self.buttons.values():
            nav.addWidget(button)
        right = QWidget(self)
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(nav)
        column.addWidget(self.page, 3)
        column.addWidget(self.verification, 0)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([300, 800])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    @property
    def waiting(self) -> list[Waiting]:
        return self.model.rows

    @property
    def skipped(self) -> set[str]:
        return self.model.skipped

    def row(self) -> int:
        return self.list.currentIndex().row()

    def set_row(self, row: int) -> None:
        self.list.setCurrentIndex(self.model.index(row, 0))

    # -- the list ---------------------------------------------------------------------------
    def refresh(self) -> None:
        cat = self.ctx.catalogue

        lang = current_language()

        def read() -> tuple[list[Waiting], dict[str, str]]:
            with cat.session() as session:
                labels = detail_reads.tag_labels(session, lang)
                return waiting_for_review(session.connection()), labels

        run_read(read, self._listed, self._failed, owner=self)

    def _listed(self, result: tuple[list[Waiting], dict[str, str]]) -> None:
        waiting, labels = result
        self.words = Words(labels)
        keep = self.current_uuid()
        self.model.user = self.ctx.user
        # Skipped events go to the end, in their own order: the reviewer sees them again
        # after the others.
        selection = self.list.selectionModel()
        selection.blockSignals(True)
        self.model.set_rows(sorted(waiting, key=lambda w: w.uuid in self.skipped))
        selection.blockSignals(False)
        uuids = [w.uuid for w in self.waiting]
        row = uuids.index(keep) if keep in uuids else min(self._row_hint(), len(uuids) - 1)
        self.show_row(row)

    def _row_hint(self) -> int:
        return max(0, self._last_row)

    def current_uuid(self) -> str | None:
        index = self.list.currentIndex()
        return str(index.data(UUID)) if index.isValid() else None

    def show_row(self, row: int) -> None:
        if row < 0 or not self.waiting:
            self.set_row(-1)
            self._show_empty()
            return
        if self.row() == row:
            self._row_changed(row)
        else:
            self.set_row(row)
            self.list.scrollTo(self.model.index(row, 0))

    def step(self, delta: int) -> None:
        if self.waiting:
            self.show_row(max(0, min(len(self.waiting) - 1, self.row() + delta)))

    def skip(self) -> None:
        uuid = self.current_uuid()
        if uuid is None:
            return
        self.skipped.add(uuid)
        self._last_row = self.row()
        self.set_row(-1)  # the row is the next event's after the re-read
        self.refresh()

    def _row_changed(self, row: int) -> None:
        self._last_row = row
        if row < 0 or row >= len(self.waiting):
            return
        w = self.waiting[row]
        mine = sum(x.is_for(self.ctx.user) for x in self.waiting)
        self.position.setText(tr("{pos} of {n} waiting ({mine} for you) · sent to review by "
                                 "{who} on {when}").format(
            pos=row + 1, n=len(self.waiting), mine=mine, who=w.sent_by,
            when=when_sent(w)))  # fmt: skip
        self.buttons["previous"].setEnabled(row > 0)
        self.buttons["next"].setEnabled(row < len(self.waiting) - 1)
        self.load(w.uuid)

    def _show_empty(self) -> None:
        self.detail = None
        self.position.setText(tr("Nothing is waiting for review."))
        self.page.setHtml(f"<p>{self.position.text()}</p>")
        self.verification.load(None)
        for button in self.buttons.values():
            button.setEnabled(False)

    # -- one event ----------------------------------------------------------------------------
    def load(self, uuid: str) -> None:
        cat = self.ctx.catalogue
        self._asked = uuid

        def read() -> tuple[EventDetail, SinceDecision]:
            with cat.session() as session:
                d = detail_reads.load_event_detail(session, uuid)
                return d, changes_since_decision(session, uuid)

        run_read(read, lambda r: self._loaded(uuid, *r), self._failed, owner=self)

    def _loaded(self, uuid: str, d: EventDetail, since: SinceDecision) -> None:
        if uuid != self._asked:
            return  # the reviewer has moved on
        self.detail = d
        self.page.setHtml(summary_html(d, since, self.words))
        self.verification.load(d)
        self.buttons["skip"].setEnabled(True)

    def _open_link(self, url: QUrl) -> None:
        target = parse_copy_link(url.toString())
        d = self.detail
        if target is None or d is None:
            return
        citation = next((c for c in d.citations if c.uuid == target[0]), None)
        if citation is None:
            return
        attachment = next((a for a in citation.source.attachments if a.sha256 == target[1]), None)
        if attachment is not None:
            from belarchive.gui.evidence.viewer import open_viewer

            open_viewer(self.ctx.catalogue, attachment, citation.quote, self)

    # -- deciding ------------------------------------------------------------------------------
    def decide(self, target: str, note: str) -> None:
        d = self.detail
        if d is None:
            return
        cat, user = self.ctx.catalogue, self.ctx.user
        self._last_row = self.row()
        self.verification.set_blocked(tr("Saving the decision…"))
        self.ctx.write(lambda: verification.set_status(cat, user, d.uuid, target, note,
                                                       expected_version=d.version),
                       lambda _out: self._decided(), self._decision_failed,
                       label="review decision")  # fmt: skip

    def _decided(self) -> None:
        self.verification.set_blocked("")
        self.refresh()  # the event leaves the queue; the next one takes its row

    def _decision_failed(self, exc: BaseException) -> None:
        self.verification.set_blocked("")
        if isinstance(exc, StaleVersionError) and self.detail is not None:
            self.load(self.detail.uuid)  # show what the other person saved, then decide
        show_error(self, exc, tr("The decision was not saved"))

    def _failed(self, exc: BaseException) -> None:
        show_error(self, exc, tr("The review queue could not be read"))

    # -- outside changes -------------------------------------------------------------------------
    def _on_change(self, change: Change) -> None:
        if change.events or change.sources:
            self.reload.start()

    def _on_user(self, _name: str) -> None:
        self.verification.set_user(self.ctx.user, self.ctx.role)
        self.refresh()
